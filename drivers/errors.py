"""Reader failures beyond those in `drivers.reader`, and checks shared by every driver."""

from __future__ import annotations

from collections.abc import Sequence

from drivers.capture import LIGHTS
from drivers.reader import ReaderError


class DeviceError(ReaderError):
    """The device answered, but with an error code (bad argument, no document, LED fault...)."""


def check_lights(lights: Sequence[str]) -> tuple[str, ...]:
    """The lights of a full capture, in order; ValueError for unknown or missing ones."""
    chosen = tuple(dict.fromkeys(lights))
    unknown = [light for light in chosen if light not in LIGHTS]
    if unknown:
        raise ValueError(f"unknown light(s) {unknown}; lights are {', '.join(LIGHTS)}")
    if set(chosen) != set(LIGHTS):
        raise ValueError(f"a capture needs all of {', '.join(LIGHTS)}; got {', '.join(chosen)}")
    return chosen


class CaptureRejected(ReaderError):
    """A capture delivered by the device (e.g. a hot-folder capture) was unusable."""
