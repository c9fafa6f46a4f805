"""A simulated full-page reader that serves the reader protocol on a pseudo-terminal.

Byte-compatible with hardware (docs/reader-protocol.md): the driver above cannot tell it from a
USB CDC reader. Faults (`drivers.faults`) are injected into what it sends. Start it in a thread
from tests or from `authscan simulate-reader`.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import tty
from collections.abc import Callable

from drivers.faults import Faults
from drivers.pages import Page, PageSource
from drivers.reader import ReaderIdentity
from drivers.sim_device import SimDevice, Unplug

log = logging.getLogger(__name__)


class ReaderSimulator:
    """Serves one simulated reader on a pty; `port` is the device path a driver opens."""

    def __init__(self, pages: PageSource, faults: Faults | None = None, *,
                 encoding: str = "raw", seed: int = 0,
                 identity: ReaderIdentity | None = None,
                 on_port: Callable[[str], None] | None = None) -> None:
        self.faults = faults or Faults()
        self.device = SimDevice(pages, self.faults, encoding=encoding, identity=identity,
                                rng=random.Random(seed))
        self.on_port = on_port
        self.port = ""
        self.unplugs = 0
        self.plugs = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._fds: tuple[int, int] | None = None

    @property
    def last_page(self) -> Page | None:
        """The page served by the latest CAPTURE (tests compare pixels with it)."""
        return self.device.last_page

    def start(self) -> str:
        """Prepare the first page, open the pty, serve in a daemon thread; return the port."""
        self.device.prepare(wait=True)
        self._plug()
        self._thread = threading.Thread(target=self._serve, name="reader-simulator", daemon=True)
        self._thread.start()
        return self.port

    def stop(self) -> None:
        """Stop serving, let a page being rendered finish, and close the pty."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        # a process that exits while OpenCV renders in the page thread aborts ("terminate
        # called without an active exception"): wait for the page to be done
        self.device.wait_ready(30.0)
        self._unplug()

    def wait_ready(self, timeout: float = 30.0) -> bool:
        """Wait until the next page is rendered (benchmarks time transfers, not rendering)."""
        return self.device.wait_ready(timeout)

    def __enter__(self) -> ReaderSimulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _plug(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)  # no echo, no line discipline until a driver configures the port
        os.set_blocking(master, False)
        self._fds = (master, slave)
        self.port = os.ttyname(slave)
        self.plugs += 1
        if self.on_port is not None:
            self.on_port(self.port)

    def _unplug(self) -> None:
        if self._fds is not None:
            for fd in self._fds:
                os.close(fd)
            self._fds = None

    def _serve(self) -> None:
        while not self._stop.is_set() and self._fds is not None:
            try:
                self.device.serve(self._fds[0], self._stop)
            except Unplug:
                log.info("simulated unplug of %s", self.port)
                self.unplugs += 1
                self._unplug()
                if self._stop.wait(0.3):
                    return
                self._plug()  # plugged in again: a new device path, as a real USB port gives
