"""The camera reader of low-cost builds: a USB camera (OpenCV) and an LED board for the lights.

Frame sources are registered by name like drivers (`FRAME_SOURCES`): `opencv` for a real
camera, `fake` for tests and demos (frames of a page, lit as the LED board says).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from drivers.capture import LIGHTS, Capture, DeviceInfo
from drivers.errors import check_lights
from drivers.ledboard import LedControl
from drivers.reader import (
    DeviceNotFound,
    DeviceNotOpen,
    DeviceTimeout,
    ReaderIdentity,
    ReaderStatus,
)

Frame = NDArray[np.uint8]  # BGR, as OpenCV delivers it


class FrameSource(Protocol):
    """A camera: open, deliver the current frame, close."""

    def open(self) -> None:
        """Start the camera."""

    def read(self) -> Frame:
        """The next frame (BGR)."""

    def close(self) -> None:
        """Stop the camera; safe twice."""


class OpenCvFrames:
    """A USB camera through `cv2.VideoCapture` (cv2 is imported only when opened)."""

    def __init__(self, index: int) -> None:
        self.index = index
        self._cap: Any = None

    def open(self) -> None:
        """Open the camera device."""
        import cv2  # noqa: PLC0415 - heavy import kept out of module level

        cap = cv2.VideoCapture(self.index)
        if not cap.isOpened():
            raise DeviceNotFound(f"camera {self.index}: cannot open the video device")
        self._cap = cap

    def read(self) -> Frame:
        """Grab one frame."""
        ok, frame = self._cap.read()
        if not ok or frame is None:
            raise DeviceTimeout(f"camera {self.index}: no frame delivered")
        return np.asarray(frame, dtype=np.uint8)

    def close(self) -> None:
        """Release the camera."""
        if self._cap is not None:
            self._cap.release()
            self._cap = None


@dataclass
class FakeFrames:
    """Frames of one page under whichever light `lit()` names (dark when none is on)."""

    capture: Capture
    lit: Callable[[], str | None]

    def open(self) -> None:
        """Nothing to start."""

    def read(self) -> Frame:
        """The page as the camera would see it now."""
        light = self.lit()
        if light is None:
            return np.zeros((*self.capture.white.shape[:2], 3), np.uint8)
        image = getattr(self.capture, light)
        if image.ndim == 2:
            grey = (image >> 8).astype(np.uint8) if image.dtype == np.uint16 else image
            return np.repeat(grey[..., None], 3, axis=2)
        return np.ascontiguousarray(image[..., ::-1])

    def close(self) -> None:
        """Nothing to stop."""


FRAME_SOURCES: dict[str, Callable[..., FrameSource]] = {"opencv": OpenCvFrames,
                                                         "fake": FakeFrames}


class CameraReader:
    """A `DocumentReader` built from a camera and an LED board."""

    def __init__(self, frames: FrameSource, leds: LedControl, *, dpi: float = 300.0,
                 settle_frames: int = 2, name: str = "camera") -> None:
        self.frames, self.leds, self.dpi = frames, leds, dpi
        self.settle_frames = settle_frames  # frames exposed while the LEDs switched
        self.name = name
        self._open = False

    def open(self) -> None:
        """Open the camera and the LED board, lights off."""
        self.frames.open()
        self.leds.open()
        self.leds.set(None)
        self._open = True

    def close(self) -> None:
        """Lights off, release both; safe twice."""
        if self._open:
            self._open = False
            try:
                self.leds.set(None)
            finally:
                self.leds.close()
                self.frames.close()

    def identity(self) -> ReaderIdentity:
        """A camera build has no firmware identity; its name stands in."""
        self._require()
        return ReaderIdentity("camera+leds", self.name, "n/a")

    def status(self) -> ReaderStatus:
        """No lid sensor: always reported closed."""
        self._require()
        return ReaderStatus(lid_closed=True)

    def capture(self, lights: Sequence[str] = LIGHTS) -> Capture:
        """One frame per light, LEDs switched in turn and off at the end."""
        self._require()
        images: dict[str, NDArray[Any]] = {}
        try:
            for light in check_lights(lights):
                self.leds.set(light)
                for _ in range(self.settle_frames):
                    self.frames.read()
                frame = self.frames.read()
                images[light] = _grey(frame) if light == "ir" else \
                    np.ascontiguousarray(frame[..., ::-1])
        finally:
            self.leds.set(None)
        return Capture(white=images["white"], ir=images["ir"], uv=images["uv"], dpi=self.dpi,
                       captured_at=datetime.now().astimezone(),
                       device=DeviceInfo(self.name, "camera+leds", self.name))

    def _require(self) -> None:
        if not self._open:
            raise DeviceNotOpen(f"{self.name} is not open; call open() first")


def _grey(frame: Frame) -> NDArray[np.uint8]:
    total: NDArray[np.uint16] = frame.astype(np.uint16).sum(axis=2, dtype=np.uint16)
    return (total // 3).astype(np.uint8)
