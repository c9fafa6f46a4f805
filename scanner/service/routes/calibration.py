"""`/api/calibration`: the admin's calibration wizard, step by step on the daemon's reader.

Each step captures what lies on the glass (dark frame, geometry target, UV card, white card)
and checks it at once; a wrong card or an open lid is refused with the reason and the step
can be repeated. The last step builds the profile, stores it and logs the light levels.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, HTTPException, Request

from drivers.capture import Capture
from drivers.reader import ReaderError
from scanner.service.auth import Admin, ServicesDep
from scanner.service.jobs import ScanJobs
from scanner.service.services import Services

router = APIRouter(prefix="/api/calibration", tags=["calibration"])


@dataclass
class Wizard:
    """The calibration in progress: captures of the steps done so far."""

    captures: dict[str, Capture] = field(default_factory=dict)
    summaries: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _wizard(request: Request) -> Wizard:
    state = request.app.state
    if not hasattr(state, "calibration_wizard"):
        state.calibration_wizard = Wizard()
    wizard: Wizard = state.calibration_wizard
    return wizard


def reader_health(services: Services, serial: str) -> dict[str, Any]:
    """The reader's calibration state and light-output trend (from the health log)."""
    setup = services.calibration
    if setup is None:
        return {"calibration": {"state": "not_managed"}, "trend": []}
    from calibration.profile import latest_profile  # noqa: PLC0415
    from calibration.status import profile_status  # noqa: PLC0415

    now = services.clock()
    log = setup.health_log()
    profile = latest_profile(setup.profiles, serial, now)
    state = profile_status(profile, now, health=log)
    rows = log.rows(serial) if log is not None else []
    return {"calibration": {"state": state.state, "id": profile.id if profile else None,
                            "expires_at": profile.expires_at.isoformat() if profile else None,
                            "reason": state.reason, "warnings": list(state.warnings)},
            "trend": [{"at": r.at.isoformat(), "source": r.source, **r.levels}
                      for r in rows[-200:]]}


def _state(services: Services, wizard: Wizard) -> dict[str, Any]:
    from calibration.build import STEPS  # noqa: PLC0415

    done = [s.kind for s in STEPS if s.kind in wizard.captures]
    following = next((s for s in STEPS if s.kind not in wizard.captures), None)
    return {"enabled": services.calibration is not None,
            "steps": [{"kind": s.kind, "title": s.title, "instruction": s.instruction,
                       "done": s.kind in wizard.captures,
                       "summary": wizard.summaries.get(s.kind)} for s in STEPS],
            "done": done, "next": following.kind if following else None}


def _setup(services: Services) -> None:
    if services.calibration is None:
        raise HTTPException(409, "calibration is not enabled on this daemon: set "
                                 "[calibration] enabled = true in its config")


@router.get("")
def status(request: Request, user: Admin, services: ServicesDep) -> dict[str, Any]:
    """The wizard's steps and where it stands."""
    return _state(services, _wizard(request))


@router.post("/capture")
def capture_step(request: Request, user: Admin, services: ServicesDep) -> dict[str, Any]:
    """Capture and check the next step; 422 with the reason when the capture is refused."""
    from calibration.build import STEPS, Checked, check_step  # noqa: PLC0415
    from calibration.errors import CalibrationError  # noqa: PLC0415

    _setup(services)
    wizard = _wizard(request)
    jobs: ScanJobs = request.app.state.jobs
    with wizard.lock:
        step = next((s for s in STEPS if s.kind not in wizard.captures), None)
        if step is None:
            raise HTTPException(409, "every step is captured: finish or restart")
        try:
            with jobs.reader_lock:
                reader = services.readers()
                try:
                    capture = reader.capture()
                finally:
                    reader.close()
        except ReaderError as err:
            raise HTTPException(503, f"the reader failed: {err}") from err
        # checks that depend on earlier steps (white after dark) see them again
        checked = Checked()
        try:
            for done in STEPS:
                if done.kind in wizard.captures:
                    check_step(done.kind, wizard.captures[done.kind], checked)
            summary = check_step(step.kind, capture, checked)
        except CalibrationError as err:
            raise HTTPException(422, f"{step.title}: {err}") from err
        wizard.captures[step.kind] = capture
        wizard.summaries[step.kind] = summary
        return _state(services, wizard)


@router.post("/finish")
def finish(request: Request, user: Admin, services: ServicesDep) -> dict[str, Any]:
    """Build, store and log the profile from the captured steps."""
    from calibration.build import build_profile  # noqa: PLC0415
    from calibration.errors import CalibrationError  # noqa: PLC0415
    from calibration.health import record_calibration  # noqa: PLC0415
    from calibration.profile import save_profile  # noqa: PLC0415

    _setup(services)
    setup = services.calibration
    assert setup is not None
    wizard = _wizard(request)
    with wizard.lock:
        try:
            profile = build_profile(wizard.captures, at=services.clock())
        except CalibrationError as err:
            raise HTTPException(422, str(err)) from err
        save_profile(profile, setup.profiles)
        log = setup.health_log()
        if log is not None:
            record_calibration(log, profile.device.serial, profile.id, profile.created_at,
                               profile.levels)
        wizard.captures.clear()
        wizard.summaries.clear()
    return {"id": profile.id, "serial": profile.device.serial,
            "expires_at": profile.expires_at.isoformat(),
            "levels": {k: round(v, 3) for k, v in profile.levels.items()}}


@router.post("/restart")
def restart(request: Request, user: Admin, services: ServicesDep) -> dict[str, Any]:
    """Forget the captured steps."""
    wizard = _wizard(request)
    with wizard.lock:
        wizard.captures.clear()
        wizard.summaries.clear()
    return _state(services, wizard)
