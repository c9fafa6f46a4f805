"""Whether a reader's calibration can be trusted at a given moment, and which lights it affects.

The engine turns the checks of the affected lights into "undetermined" with the status's
reason (never "failed"): a drifted or expired calibration is the device's fault, not the
document's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from calibration.errors import CalibrationExpired
from calibration.health import LIGHTS, HealthLog, drift_since
from calibration.profile import Profile

State = Literal["ok", "expired", "drifted", "missing"]
# the checks (ARCHITECTURE.md ids) that judge absolute levels in each light
AFFECTED_CHECKS: dict[str, tuple[str, ...]] = {
    "white": ("image_quality", "photo_integrity"),
    "ir": ("mrz_ir_b900", "ir_visibility", "photo_integrity"),
    "uv": ("uv_dull_substrate", "uv_pattern", "uv_fibres", "photo_integrity"),
}


@dataclass(frozen=True)
class ProfileStatus:
    """A profile's state, the lights it no longer covers, why, and early warnings."""

    state: State
    affected_lights: tuple[str, ...] = ()
    reason: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def affected_checks(self) -> tuple[str, ...]:
        """Check ids whose results should become undetermined."""
        return tuple(sorted({c for light in self.affected_lights for c in AFFECTED_CHECKS[light]}))


def profile_status(profile: Profile | None, at: datetime, *, health: HealthLog | None = None,
                   limit: float = 0.15) -> ProfileStatus:
    """The state of `profile` at `at` (a capture's time), with drift from the health log."""
    if profile is None:
        return ProfileStatus("missing", LIGHTS, "the reader has no calibration profile; "
                             "calibrate it (authscan calibrate)")
    if at >= profile.expires_at:
        return ProfileStatus("expired", LIGHTS, f"calibration {profile.id} expired on "
                             f"{profile.expires_at.date().isoformat()}; recalibrate the reader")
    if at < profile.created_at:
        return ProfileStatus("missing", LIGHTS, f"calibration {profile.id} was made after this "
                             "capture; use the profile valid at capture time")
    warnings = [] if health is None else drift_since(
        health.rows(profile.device.serial), profile.id, at, limit=limit)
    drifted = tuple(w.light for w in warnings if abs(w.change) >= limit)
    notes = tuple(w.message for w in warnings)
    if drifted:
        return ProfileStatus("drifted", drifted, "; ".join(
            w.message for w in warnings if w.light in drifted), notes)
    return ProfileStatus("ok", (), "", notes)


def require_current(profile: Profile, at: datetime) -> None:
    """Raise `CalibrationExpired` when the profile is no longer valid at `at`."""
    if at >= profile.expires_at:
        raise CalibrationExpired(f"calibration {profile.id} of reader {profile.device.serial} "
                                 f"expired on {profile.expires_at.date().isoformat()}")
