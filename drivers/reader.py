"""The capability every document reader offers, whatever the hardware behind it.

A driver is three things (STYLE.md): this protocol, a resource that says where the device is,
and a driver class that says how to talk to it. Drivers are opened by URL through
`drivers.registry.open_reader` (`sim:`, `serial:///dev/...`, `folder:///...`, ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from drivers.capture import LIGHTS, Capture


class ReaderError(Exception):
    """Base of every reader failure; subclasses name the kind."""


class DeviceNotFound(ReaderError):
    """No device answers where the resource says it is."""


class DeviceNotOpen(ReaderError):
    """A driver was used before `open()` or after `close()`."""


class DeviceTimeout(ReaderError):
    """The device did not answer within the protocol's time limit."""


class DeviceDisconnected(ReaderError):
    """The device went away (unplugged) during an operation."""


class FrameCorrupt(ReaderError):
    """A frame failed its checks and could not be recovered by retransmission."""


class LidOpen(ReaderError):
    """The lid is open: room light would leak into the UV image."""


@dataclass(frozen=True)
class ReaderIdentity:
    """What a reader says it is."""

    model: str
    serial: str
    firmware: str


@dataclass(frozen=True)
class ReaderStatus:
    """A reader's state: lid, LEDs and any errors it reports."""

    lid_closed: bool
    leds_ok: dict[str, bool] = field(default_factory=dict)
    errors: tuple[str, ...] = ()


@runtime_checkable
class DocumentReader(Protocol):
    """A full-page reader: open, identify, report status, capture the page under lights."""

    def open(self) -> None:
        """Connect to the device; raises `DeviceNotFound` when it is not there."""

    def close(self) -> None:
        """Release the device; safe to call twice."""

    def identity(self) -> ReaderIdentity:
        """Model, serial number and firmware of the device."""

    def status(self) -> ReaderStatus:
        """Lid, LEDs, errors."""

    def capture(self, lights: Sequence[str] = LIGHTS) -> Capture:
        """Capture the page under each light; a complete capture or an exception."""
