"""Opening the configured reader: `drivers.registry` when present, else a built-in `sim:`."""

from __future__ import annotations

import importlib
import itertools
import threading
from collections.abc import Callable, Sequence
from urllib.parse import parse_qs, urlparse

from drivers.capture import LIGHTS, Capture
from drivers.reader import DeviceNotFound, DocumentReader, ReaderIdentity, ReaderStatus

ReaderFactory = Callable[[], DocumentReader]  # returns an opened reader; callers close it


class SpecimenReader:
    """A simulated reader rendering UTO specimens: `sim:?dpi=200&seed=1&forgery=...`."""

    def __init__(self, dpi: int = 400, seed: int = 1, forgery: str | None = None,
                 model: str = "UTO-P") -> None:
        self.dpi, self.forgery, self.model = dpi, forgery, model
        self._seeds = itertools.count(seed)
        self._lock = threading.Lock()
        self._open = False

    def open(self) -> None:
        """Nothing to connect to."""
        self._open = True

    def close(self) -> None:
        """Nothing to release."""
        self._open = False

    def identity(self) -> ReaderIdentity:
        """A fixed simulated identity."""
        return ReaderIdentity(model="authscan-sim", serial="SIM-0001", firmware="sim")

    def status(self) -> ReaderStatus:
        """Always ready."""
        return ReaderStatus(lid_closed=True, leds_ok=dict.fromkeys(LIGHTS, True))

    def capture(self, lights: Sequence[str] = LIGHTS) -> Capture:
        """Render the next specimen."""
        from drivers.specimen import render_specimen  # noqa: PLC0415 - heavy, only when used

        with self._lock:
            seed = next(self._seeds)
        capture, _label = render_specimen(seed, model=self.model, forgery=self.forgery,
                                          dpi=self.dpi)
        return capture


def sim_from_url(url: str) -> SpecimenReader:
    """Parse `sim:?dpi=..&seed=..&forgery=..&model=..`."""
    query = {k: v[-1] for k, v in parse_qs(urlparse(url).query).items()}
    return SpecimenReader(dpi=int(query.get("dpi", 400)), seed=int(query.get("seed", 1)),
                          forgery=query.get("forgery"), model=query.get("model", "UTO-P"))


def reader_factory(url: str) -> ReaderFactory:
    """A factory opening `url` through drivers.registry, or the built-in sim when absent."""
    try:
        registry = importlib.import_module("drivers.registry")
    except ImportError:
        registry = None
    if registry is not None and hasattr(registry, "open_reader"):
        registry.parse_url(url)  # a bad URL is a start-up error (ReaderConfigError), not a scan's
        open_reader: Callable[[str], DocumentReader] = registry.open_reader
        return lambda: open_reader(url)
    if url.startswith("sim:"):
        sim = sim_from_url(url)
        sim.open()
        return lambda: sim
    raise DeviceNotFound(f"{url}: no driver for this URL (drivers.registry is not installed)")
