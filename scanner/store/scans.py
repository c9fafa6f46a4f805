"""Scans: the result, its encrypted images, its review item and outbox rows in one transaction."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scanner.store import audit
from scanner.store.crypto import ImageCipher
from scanner.store.models import SEVERITIES, OutboxItem, ReviewItem, Scan, ScanImage

# MRZ fields that name or identify the holder; stripped when the retention period ends.
PERSONAL_FIELDS = ("surname", "given_names", "document_number", "birth_date",
                   "optional_data", "optional_data_2", "personal_number", "names")


class StoreError(Exception):
    """Base of the store's failures."""


class ScanNotFound(StoreError):
    """No scan (or no such image of it) exists with that id."""


@dataclass(frozen=True)
class NewScan:
    """What the daemon knows about a finished scan before it is stored."""

    id: str
    result: dict[str, Any]
    images: dict[str, bytes]
    captured_at: datetime
    device: str
    case_ref: str | None = None
    operator_id: int | None = None
    origin: str = "local"


def new_scan_id() -> str:
    """A random, stable scan id (32 hex digits)."""
    return uuid.uuid4().hex


def save_scan(session: Session, scan: NewScan, cipher: ImageCipher, *,
              targets: Sequence[str], actor: str, now: datetime) -> Scan:
    """Store result and images, queue review and case-file delivery, audit; one transaction."""
    verdict = str(scan.result.get("verdict", "review"))
    model = (scan.result.get("document") or {}).get("model")
    row = Scan(id=scan.id, created_at=now, captured_at=scan.captured_at, verdict=verdict,
               model=model, device=scan.device, case_ref=scan.case_ref,
               operator_id=scan.operator_id, origin=scan.origin, result=scan.result)
    session.add(row)
    session.flush()
    for light, data in scan.images.items():
        session.add(ScanImage(scan_id=scan.id, light=light,
                              sealed=cipher.seal(data, scan.id, light)))
    if verdict in SEVERITIES:
        session.add(ReviewItem(scan_id=scan.id, severity=SEVERITIES[verdict], created_at=now))
    for target in targets:
        session.add(OutboxItem(id=uuid.uuid4().hex, scan_id=scan.id, target=target,
                               state="pending", attempts=0, next_attempt_at=now,
                               created_at=now))
    audit.append(session, now, actor, "scan.create", scan_id=scan.id,
                 detail=f"verdict={verdict}")
    session.flush()
    return row


def get_scan(session: Session, scan_id: str) -> Scan:
    """The scan; raises `ScanNotFound`."""
    row = session.get(Scan, scan_id)
    if row is None:
        raise ScanNotFound(scan_id)
    return row


def get_image(session: Session, cipher: ImageCipher, scan_id: str, light: str) -> bytes:
    """The decrypted PNG of one light; raises `ScanNotFound` when absent or purged."""
    row = session.get(ScanImage, (scan_id, light))
    if row is None:
        raise ScanNotFound(f"{scan_id}/{light}")
    return cipher.open(row.sealed, scan_id, light)


def image_lights(session: Session, scan_id: str) -> list[str]:
    """Which lights of a scan are still stored."""
    return list(session.scalars(select(ScanImage.light).where(ScanImage.scan_id == scan_id)))


def list_scans(session: Session, limit: int = 50, verdict: str | None = None) -> list[Scan]:
    """The newest scans first."""
    query = select(Scan).order_by(Scan.created_at.desc()).limit(limit)
    if verdict is not None:
        query = query.where(Scan.verdict == verdict)
    return list(session.scalars(query))


def strip_personal(result: dict[str, Any]) -> dict[str, Any]:
    """The result without MRZ lines and the name and number fields."""
    stripped = copy.deepcopy(result)
    mrz = stripped.get("mrz")
    if isinstance(mrz, dict):
        mrz["lines"] = None
        fields = mrz.get("fields")
        if isinstance(fields, dict):
            for key in PERSONAL_FIELDS:
                fields.pop(key, None)
    stripped["personal_data_removed"] = True
    return stripped
