"""`/api/ws`: scan progress and result summaries, for logged-in users."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from scanner.service.auth import websocket_user
from scanner.service.services import Services

router = APIRouter(tags=["events"])
UNAUTHORISED = 4401


@router.websocket("/api/ws")
async def events(websocket: WebSocket) -> None:
    """Send every progress and result event as JSON until the client goes."""
    user = websocket_user(websocket)
    if user is None:
        await websocket.close(code=UNAUTHORISED, reason="log in first")
        return
    services: Services = websocket.app.state.services
    await websocket.accept()
    queue = services.events.subscribe()
    closed = asyncio.ensure_future(_until_closed(websocket))
    try:
        await websocket.send_json({"type": "hello", "username": user.username,
                                   "role": user.role})
        # Wait for the next event and, at the same time, for the client to go (or the server
        # to shut down): a handler that only waited on the queue would keep a dead socket,
        # and the daemon, alive.
        while True:
            event = asyncio.ensure_future(queue.get())
            done, _ = await asyncio.wait({event, closed}, return_when=asyncio.FIRST_COMPLETED)
            if closed in done:
                event.cancel()
                return
            await websocket.send_json(event.result())
    except WebSocketDisconnect:
        pass
    finally:
        closed.cancel()
        services.events.unsubscribe(queue)


async def _until_closed(websocket: WebSocket) -> None:
    """Return when the client disconnects; anything it sends is ignored."""
    while (await websocket.receive())["type"] != "websocket.disconnect":
        pass
