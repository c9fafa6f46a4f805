"""The ways a calibration can fail, one exception type per kind (STYLE.md rule 4)."""

from __future__ import annotations


class CalibrationError(Exception):
    """Base of every calibration failure."""


class CalibrationRejected(CalibrationError):
    """A reference capture failed its check; nothing was saved."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"{step}: {reason}")
        self.step = step
        self.reason = reason


class CalibrationExpired(CalibrationError):
    """The profile's validity period has ended; recalibrate the reader."""


class WrongDevice(CalibrationError):
    """The profile belongs to another reader (serial number differs)."""


class ProfileCorrupt(CalibrationError):
    """A stored profile cannot be read, has an unknown schema or fails its content hash."""
