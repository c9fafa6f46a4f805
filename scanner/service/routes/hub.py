"""The hub's ingest endpoint: appliances forward their scans here (`hub` connector)."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from scanner.service.auth import ClerkOrAdmin, ServicesDep
from scanner.store import scans
from scanner.store.models import Scan

router = APIRouter(prefix="/api/hub", tags=["hub"])


class IngestRequest(BaseModel):
    """A scan forwarded by an appliance."""

    scan_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    result: dict[str, Any]
    device: str = Field(max_length=128)
    captured_at: datetime
    case_ref: str | None = Field(None, max_length=128)
    images: dict[str, str] = Field(default_factory=dict, description="light -> base64 PNG")


@router.post("/ingest")
def ingest(body: IngestRequest, user: ClerkOrAdmin, services: ServicesDep) -> dict[str, Any]:
    """Store the scan once: a repeat of a known scan id is acknowledged without a copy."""
    try:
        images = {light: base64.b64decode(data, validate=True)
                  for light, data in body.images.items() if light in ("white", "ir", "uv")}
    except binascii.Error as err:
        raise HTTPException(422, "images must be base64") from err
    with services.store.write() as session:
        if session.get(Scan, body.scan_id) is not None:
            return {"scan_id": body.scan_id, "stored": False, "duplicate": True}
        new = scans.NewScan(id=body.scan_id, result=body.result, images=images,
                            captured_at=body.captured_at, device=body.device,
                            case_ref=body.case_ref, operator_id=user.id,
                            origin=f"hub:{user.username}")
        scans.save_scan(session, new, services.cipher, targets=services.targets,
                        actor=user.username, now=services.clock())
    if services.outbox is not None:
        services.outbox.wake()
    return {"scan_id": body.scan_id, "stored": True, "duplicate": False}
