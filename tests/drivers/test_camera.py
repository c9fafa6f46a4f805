"""Camera reader: a fake frame source lit by an LED board simulated on a pty."""

from __future__ import annotations

import numpy as np
import pytest

from drivers.camera import FRAME_SOURCES, CameraReader, FakeFrames
from drivers.errors import DeviceError
from drivers.ledboard import LedBoard, LedBoardSimulator, command
from drivers.reader import DeviceNotOpen, DocumentReader
from drivers.specimen import render_specimen
from tests.drivers.reader_helpers import time_limit

__all__ = ["time_limit"]


def test_led_commands() -> None:
    assert command("white") == b"L W1\n" and command(None) == b"L 0\n"


def test_camera_capture_switches_each_light() -> None:
    page, _ = render_specimen(2, dpi=150)
    board_sim = LedBoardSimulator()
    board_sim.start()
    try:
        frames = FRAME_SOURCES["fake"](page, lambda: board_sim.lit)
        assert isinstance(frames, FakeFrames)
        reader = CameraReader(frames, LedBoard(board_sim.port), dpi=150)
        assert isinstance(reader, DocumentReader)
        with pytest.raises(DeviceNotOpen):
            reader.capture()
        reader.open()
        capture = reader.capture()
        assert np.array_equal(capture.white, page.white)
        assert np.array_equal(capture.uv, page.uv)
        assert np.array_equal(capture.ir, page.ir)
        assert board_sim.lit is None  # lights off after the capture
        reader.close()
    finally:
        board_sim.stop()


def test_led_board_errors_are_typed() -> None:
    board_sim = LedBoardSimulator()
    board_sim.start()
    board = LedBoard(board_sim.port)
    board.open()
    try:
        board.set("uv")
        assert board_sim.lit == "uv"
        with pytest.raises(ValueError, match="unknown light"):
            board.set("xray")
        board_sim.broken = "UV LED open circuit"
        with pytest.raises(DeviceError, match="UV LED open circuit"):
            board.set("uv")
    finally:
        board.close()
        board_sim.stop()
