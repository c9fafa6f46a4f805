"""Scans: start one on the reader, list, read results and images (every read is audited)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, Field

from scanner.service.auth import AnyUser, ClerkOrAdmin, ServicesDep
from scanner.service.jobs import ScanJobs
from scanner.store import audit, review, scans
from scanner.store.crypto import ImageKeyError
from scanner.store.models import Scan

router = APIRouter(prefix="/api/scans", tags=["scans"])
LIGHT_NAMES = ("white", "ir", "uv")


class ScanRequest(BaseModel):
    """What the clerk sends to start a scan."""

    case_ref: str | None = Field(None, max_length=128, description="case number in the e-Akte")


def jobs_of(request: Request) -> ScanJobs:
    """The daemon's scan job runner."""
    jobs: ScanJobs = request.app.state.jobs
    return jobs


JobsDep = Annotated[ScanJobs, Depends(jobs_of)]


def summary(scan: Scan) -> dict[str, Any]:
    """A list entry: no MRZ, no names."""
    return {"id": scan.id, "created_at": scan.created_at.isoformat(), "verdict": scan.verdict,
            "model": scan.model, "device": scan.device, "case_ref": scan.case_ref,
            "images_purged": scan.images_purged_at is not None}


@router.post("", status_code=202)
def start_scan(body: ScanRequest, user: ClerkOrAdmin, jobs: JobsDep) -> dict[str, Any]:
    """Start a scan on the reader; follow it on /api/ws or poll GET /api/scans/{id}."""
    return jobs.start(user.id, user.username, body.case_ref).to_json()


@router.get("")
def list_scans(user: AnyUser, services: ServicesDep, limit: int = 50,
               verdict: str | None = None) -> list[dict[str, Any]]:
    """The newest scans (summaries without personal data)."""
    with services.store.session() as session:
        return [summary(s) for s in scans.list_scans(session, min(limit, 500), verdict)]


@router.get("/{scan_id}")
def get_scan(scan_id: str, user: AnyUser, services: ServicesDep,
             jobs: JobsDep) -> dict[str, Any]:
    """The full result of a stored scan (audited), or the job state while it runs."""
    with services.store.write() as session:
        try:
            scan = scans.get_scan(session, scan_id)
        except scans.ScanNotFound as err:
            job = jobs.get(scan_id)
            if job is None:
                raise HTTPException(404, "no such scan") from err
            return {"job": job.to_json()}
        audit.append(session, services.clock(), user.username, "scan.view", scan_id=scan_id)
        latest = review.latest_decision(session, scan_id)
        return {**summary(scan), "captured_at": scan.captured_at.isoformat(),
                "result": scan.result, "images": sorted(scans.image_lights(session, scan_id)),
                "decision": None if latest is None else {
                    "decision": latest.decision, "reason": latest.reason,
                    "decided_at": latest.decided_at.isoformat()}}


@router.get("/{scan_id}/images/{light}.png", response_class=Response)
def get_image(scan_id: str, light: str, user: AnyUser, services: ServicesDep) -> Response:
    """One light of a scan as PNG (audited)."""
    if light not in LIGHT_NAMES:
        raise HTTPException(404, f"light must be one of {', '.join(LIGHT_NAMES)}")
    with services.store.write() as session:
        try:
            data = scans.get_image(session, services.cipher, scan_id, light)
        except scans.ScanNotFound as err:
            raise HTTPException(404, "no such image (or purged by retention)") from err
        except ImageKeyError as err:
            raise HTTPException(500, "the image does not open with this key") from err
        audit.append(session, services.clock(), user.username, "image.view", scan_id=scan_id,
                     detail=f"light={light}")
    return Response(data, media_type="image/png", headers={"Cache-Control": "no-store"})
