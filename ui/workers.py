"""Network work off the GUI thread: tasks on a thread pool and the event WebSocket thread."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from PyQt6.QtCore import QObject, QRunnable, QThread, QThreadPool, pyqtSignal

log = logging.getLogger(__name__)
ErrorSink = Callable[[Exception, Callable[[], None] | None], None]


class _Signals(QObject):
    done = pyqtSignal(object)
    failed = pyqtSignal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as err:  # every failure goes to the one sink, none is silent
            self.signals.failed.emit(err)
        else:
            self.signals.done.emit(result)


class Runner(QObject):
    """Runs blocking calls on a pool; results come back as signals on the GUI thread."""

    busy = pyqtSignal(int)

    def __init__(self, sink: ErrorSink, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sink = sink
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(4)
        self._tasks: set[_Task] = set()

    @property
    def pending(self) -> int:
        """How many calls are still running."""
        return len(self._tasks)

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[Exception], bool] | None = None, retry: bool = True) -> None:
        """Call `fn` in a worker; `on_error` may return True when it handled the error."""
        task = _Task(fn)
        self._tasks.add(task)

        def finish(result: Any) -> None:
            self._tasks.discard(task)
            self.busy.emit(len(self._tasks))
            if on_done is not None:
                on_done(result)

        def fail(err: Exception) -> None:
            self._tasks.discard(task)
            self.busy.emit(len(self._tasks))
            if on_error is not None and on_error(err):
                return
            again = (lambda: self.run(fn, on_done, on_error, retry)) if retry else None
            self.sink(err, again)

        task.signals.done.connect(finish)
        task.signals.failed.connect(fail)
        task.setAutoDelete(False)
        self.busy.emit(len(self._tasks))
        self.pool.start(task)

    def shutdown(self) -> None:
        """Wait for running calls (they time out on their own)."""
        self.pool.waitForDone(20000)


class EventStream(QThread):
    """Follows `/api/ws` and emits each event; reconnects every 2 s while the daemon is away."""

    event = pyqtSignal(dict)
    connected = pyqtSignal(bool)

    def __init__(self, url: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self._stop = threading.Event()
        self._socket: Any = None

    def run(self) -> None:
        """The thread: connect, read, reconnect."""
        from websockets.sync.client import connect  # noqa: PLC0415

        while not self._stop.is_set():
            try:
                with connect(self.url, open_timeout=5, close_timeout=1) as socket:
                    self._socket = socket
                    self.connected.emit(True)
                    for message in socket:
                        self.event.emit(json.loads(message))
            except Exception as err:
                log.info("event stream closed: %s", type(err).__name__)
            self._socket = None
            if not self._stop.is_set():
                self.connected.emit(False)
            self._stop.wait(2.0)

    def stop(self) -> None:
        """Close the socket and end the thread."""
        self._stop.set()
        socket = self._socket
        if socket is not None:
            try:
                socket.close()
            except Exception:
                log.debug("closing the event stream failed")
        self.wait(5000)
