"""The `sim:` driver: a simulated reader in-process, for the daemon and the demo without a pty."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from drivers.capture import LIGHTS, Capture, DeviceInfo
from drivers.errors import check_lights
from drivers.faults import Faults
from drivers.pages import Page, PageSource
from drivers.reader import DeviceNotOpen, ReaderIdentity, ReaderStatus
from drivers.sim_device import DEFAULT_IDENTITY


class SimReader:
    """A `DocumentReader` that serves pages from a `PageSource`, honouring lid and LED faults."""

    def __init__(self, pages: PageSource, faults: Faults | None = None,
                 identity: ReaderIdentity | None = None, stamp_now: bool = False) -> None:
        self.pages = pages
        self.faults = faults or Faults()
        self._identity = identity or DEFAULT_IDENTITY
        self.stamp_now = stamp_now  # replace captured_at by the wall clock (demo mode)
        self.last_page: Page | None = None
        self._open = False
        self._lock = threading.Lock()

    def open(self) -> None:
        """Nothing to connect: mark the driver usable."""
        self._open = True

    def close(self) -> None:
        """Mark the driver closed; safe to call twice."""
        self._open = False

    def identity(self) -> ReaderIdentity:
        """The simulated device's identity."""
        self._require()
        return self._identity

    def status(self) -> ReaderStatus:
        """Lid closed unless the `lid-open` fault is set; LEDs fine."""
        self._require()
        return ReaderStatus(lid_closed=not self.faults.lid_open,
                            leds_ok=dict.fromkeys(LIGHTS, True))

    def capture(self, lights: Sequence[str] = LIGHTS) -> Capture:
        """The next page from the source, as a capture of this device."""
        check_lights(lights)
        self._require()
        with self._lock:
            page = self.pages.next_page()
            self.last_page = page
        cap = page.capture
        device = DeviceInfo("sim:", self._identity.model, self._identity.serial)
        when = datetime.now().astimezone() if self.stamp_now else cap.captured_at
        return replace(cap, device=device, captured_at=when, path=None)

    def read_mrz(self) -> tuple[str, ...] | None:
        """The MRZ of the page last captured, as the device's own OCR would give it."""
        self._require()
        return self.last_page.mrz if self.last_page is not None else None

    def _require(self) -> None:
        if not self._open:
            raise DeviceNotOpen("sim reader is not open; call open() first")
