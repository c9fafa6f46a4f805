"""Progress and result events from worker threads to WebSocket subscribers."""

from __future__ import annotations

import asyncio
import threading
from typing import Any


class EventBroker:
    """Fan-out of events to asyncio queues; `publish` is safe from any thread; never drops."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[dict[str, Any]]]]
        self._subscribers = set()

    def subscribe(self) -> asyncio.Queue[dict[str, Any]]:
        """A new queue on the running loop."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        with self._lock:
            self._subscribers.add((asyncio.get_running_loop(), queue))
        return queue

    def unsubscribe(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        """Stop delivering to a queue."""
        with self._lock:
            self._subscribers = {s for s in self._subscribers if s[1] is not queue}

    def publish(self, event: dict[str, Any]) -> None:
        """Send an event to every subscriber."""
        with self._lock:
            subscribers = list(self._subscribers)
        for loop, queue in subscribers:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, event)
            except RuntimeError:  # the loop is closed: the subscriber is gone
                self.unsubscribe(queue)
