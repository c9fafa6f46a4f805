"""`/api/ws`: scan progress and result summaries, for logged-in users."""

from __future__ import annotations

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
    try:
        await websocket.send_json({"type": "hello", "username": user.username,
                                   "role": user.role})
        while True:
            await websocket.send_json(await queue.get())
    except WebSocketDisconnect:
        pass
    finally:
        services.events.unsubscribe(queue)
