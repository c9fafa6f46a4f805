"""The serial driver against the simulated reader over a real pty, through every fault."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import numpy as np
import pytest

from drivers.faults import Faults, parse_faults
from drivers.pages import SpecimenPages
from drivers.reader import (
    DeviceDisconnected,
    DeviceNotFound,
    DeviceNotOpen,
    DeviceTimeout,
    FrameCorrupt,
    LidOpen,
)
from drivers.serial_reader import SerialReader, Timeouts
from drivers.simulator import ReaderSimulator
from tests.drivers.reader_helpers import same_pixels, time_limit

__all__ = ["time_limit"]
FAST = Timeouts(command=0.25, capture=3.0, chunk_idle=0.25, total=8.0, attempts=4)


def _sim(*faults: str, encoding: str = "raw", seed: int = 5) -> ReaderSimulator:
    parsed = parse_faults(faults)
    pages = SpecimenPages(seed, dpi=150, conditions=parsed.conditions())
    return ReaderSimulator(pages, parsed, encoding=encoding, seed=seed)


@pytest.fixture
def clean() -> Iterator[ReaderSimulator]:
    with _sim() as sim:
        yield sim


def test_capture_is_what_the_device_served(clean: ReaderSimulator) -> None:
    with SerialReader(clean.port, timeouts=FAST) as reader:
        assert reader.identity().model == "UTO-SIM-1"
        assert reader.status().lid_closed
        first = reader.capture()
        assert clean.last_page is not None
        assert same_pixels(first, clean.last_page.capture)
        assert reader.read_mrz() == clean.last_page.mrz
        assert first.dpi == 150 and first.device.id == f"serial:{clean.port}"
        second = reader.capture()  # the next document on the glass
        assert same_pixels(second, clean.last_page.capture)
        assert not np.array_equal(first.white, second.white)


def test_use_before_open_and_after_close(clean: ReaderSimulator) -> None:
    reader = SerialReader(clean.port)
    with pytest.raises(DeviceNotOpen, match="call open"):
        reader.capture()
    reader.open()
    reader.close()
    reader.close()
    with pytest.raises(DeviceNotOpen):
        reader.status()


def test_missing_port_and_silent_port() -> None:
    with pytest.raises(DeviceNotFound, match="cannot open"):
        SerialReader("/dev/does-not-exist", timeouts=FAST).open()
    master, slave = os.openpty()
    try:
        started = time.monotonic()
        with pytest.raises(DeviceNotFound, match="nothing answers"):
            SerialReader(os.ttyname(slave), timeouts=FAST).open()
        assert time.monotonic() - started < 3
    finally:
        os.close(master)
        os.close(slave)


@pytest.mark.parametrize("faults", [("corrupt:0.15",), ("drop:0.15",), ("slow:0.03",),
                                    ("corrupt:0.1", "drop:0.1", "slow:0.01"), ("led-drift",)])
def test_recovers_from_line_faults(faults: tuple[str, ...]) -> None:
    with _sim(*faults) as sim, SerialReader(sim.port, timeouts=FAST) as reader:
        started = time.monotonic()
        capture = reader.capture()
        assert time.monotonic() - started < FAST.total
        assert sim.last_page is not None and same_pixels(capture, sim.last_page.capture)


def test_png_encoding_on_the_wire() -> None:
    with _sim("corrupt:0.1", encoding="png") as sim, SerialReader(sim.port, timeouts=FAST) as r:
        capture = r.capture()
        assert sim.last_page is not None and same_pixels(capture, sim.last_page.capture)


def test_too_slow_device_times_out_within_the_bound() -> None:
    with _sim() as sim, SerialReader(sim.port, timeouts=FAST) as reader:
        sim.device.faults = Faults(slow=3.0)
        started = time.monotonic()
        with pytest.raises(DeviceTimeout, match=r"no answer to LID within 0\.25 s"):
            reader.capture()
        assert time.monotonic() - started < FAST.command * FAST.attempts + 1.5


def test_hopeless_line_is_a_typed_error() -> None:
    with _sim() as sim, SerialReader(sim.port, timeouts=FAST) as reader:
        sim.device.faults = Faults(corrupt=1.0)
        with pytest.raises((FrameCorrupt, DeviceTimeout)):
            reader.capture()


def test_unplug_mid_transfer_then_replug() -> None:
    with _sim("unplug:5") as sim:
        reader = SerialReader(sim.port, timeouts=FAST)
        reader.open()
        started = time.monotonic()
        with pytest.raises(DeviceDisconnected, match="disconnected"):
            reader.capture()
        assert time.monotonic() - started < 3
        with pytest.raises(DeviceNotOpen):
            reader.capture()
        deadline = time.monotonic() + 3
        while sim.plugs < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sim.unplugs == 1 and sim.plugs == 2  # plugged in again (maybe the same name)
        with SerialReader(sim.port, timeouts=FAST) as again:
            capture = again.capture()
            assert sim.last_page is not None and same_pixels(capture, sim.last_page.capture)


def test_lid_open_refuses_or_captures_room_light() -> None:
    with _sim("lid-open") as sim:
        with SerialReader(sim.port, timeouts=FAST) as reader, \
                pytest.raises(LidOpen, match="lid is open"):
            reader.capture()
        with SerialReader(sim.port, timeouts=FAST, require_lid_closed=False) as reader:
            assert not reader.status().lid_closed
            capture = reader.capture()
            assert sim.last_page is not None and same_pixels(capture, sim.last_page.capture)


def test_unknown_lights_are_refused_before_any_io(clean: ReaderSimulator) -> None:
    with SerialReader(clean.port, timeouts=FAST) as reader, \
            pytest.raises(ValueError, match="unknown light"):
        reader.capture(["white", "xray"])
