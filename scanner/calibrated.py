"""Calibration in the scan: apply the reader's profile, and distrust what it no longer covers.

A capture is judged with the profile that was valid when it was taken. When that profile is
missing, expired or the reader has drifted since, the checks of the affected lights become
"undetermined" with the reason (never "failed": it is the device's fault, not the document's).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from calibration.errors import CalibrationError
from calibration.health import HealthLog, record_scan
from calibration.profile import apply, latest_profile
from calibration.status import ProfileStatus, profile_status
from drivers.capture import Capture
from scanner.checks.base import CheckResult

_STATE_DE = {"missing": "Lesegerät nicht kalibriert", "expired": "Kalibrierung abgelaufen",
             "drifted": "Lesegerät seit der Kalibrierung gedriftet"}


@dataclass(frozen=True)
class CalibrationSetup:
    """Where the readers' profiles and the health log live."""

    profiles: Path
    health: Path | None = None

    def health_log(self) -> HealthLog | None:
        """The health log, when one is configured."""
        return HealthLog(self.health) if self.health is not None else None


def calibrate(capture: Capture, setup: CalibrationSetup) -> tuple[Capture, ProfileStatus]:
    """The capture corrected by the profile valid at its time, and that profile's status."""
    try:
        profile = latest_profile(setup.profiles, capture.device.serial, capture.captured_at)
    except CalibrationError as err:
        return capture, ProfileStatus("missing", ("white", "ir", "uv"),
                                      f"the calibration profile cannot be read: {err}")
    status = profile_status(profile, capture.captured_at, health=setup.health_log())
    if profile is not None:
        try:
            capture = apply(capture, profile)
        except CalibrationError as err:
            return capture, ProfileStatus("missing", ("white", "ir", "uv"), str(err))
    return capture, status


def distrust(checks: Sequence[CheckResult], status: ProfileStatus) -> list[CheckResult]:
    """The checks, with those of lights the calibration no longer covers made undetermined."""
    if status.state == "ok":
        return list(checks)
    affected = set(status.affected_checks)
    reason_de = f"{_STATE_DE.get(status.state, status.state)}: bitte neu kalibrieren"
    return [dataclasses.replace(c, status="undetermined", reason=status.reason,
                                reason_de=reason_de, details={**c.details,
                                                              "calibration": status.state,
                                                              "was": c.status})
            if c.id in affected and c.status in ("passed", "failed") else c for c in checks]


def record(capture: Capture, setup: CalibrationSetup) -> None:
    """Add the capture's blank-paper levels to the health log."""
    log = setup.health_log()
    if log is not None:
        record_scan(log, capture)
