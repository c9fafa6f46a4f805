"""What a case file holds: metadata (JSON and XML), the PDF report and the images."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from scanner.store import review, scans
from scanner.store.crypto import ImageCipher
from scanner.store.models import OutboxItem, Scan

FORMAT = "authscan-casefile/1"


@dataclass(frozen=True)
class CaseFile:
    """One delivery: `key` is the outbox row's stable id (the idempotency key)."""

    key: str
    scan_id: str
    metadata: dict[str, Any]
    images: dict[str, bytes]

    def metadata_json(self) -> bytes:
        """The metadata as UTF-8 JSON."""
        return json.dumps(self.metadata, ensure_ascii=False, indent=1).encode()

    def metadata_xml(self) -> bytes:
        """The metadata as a small XML document for DMS import filters."""
        root = ET.Element("casefile", format=FORMAT, key=self.key)
        for name in ("scan_id", "case_ref", "verdict", "model", "device", "captured_at",
                     "created_at"):
            ET.SubElement(root, name).text = str(self.metadata.get(name) or "")
        reasons = ET.SubElement(root, "reasons")
        for reason in self.metadata.get("reasons", []):
            ET.SubElement(reasons, "reason", id=str(reason.get("id")),
                          status=str(reason.get("status"))).text = str(reason.get("reason", ""))
        decision = self.metadata.get("review_decision")
        if decision:
            ET.SubElement(root, "review_decision", decision=decision["decision"]).text = \
                decision["reason"]
        data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
        return data


def scan_metadata(scan: Scan, decision: dict[str, str] | None) -> dict[str, Any]:
    """The case-file metadata of a stored scan (the full result, for the e-Akte)."""
    result = scan.result
    return {"format": FORMAT, "scan_id": scan.id, "case_ref": scan.case_ref,
            "verdict": scan.verdict, "model": scan.model, "device": scan.device,
            "origin": scan.origin, "captured_at": scan.captured_at.isoformat(),
            "created_at": scan.created_at.isoformat(), "reasons": result.get("reasons", []),
            "checks": result.get("checks", []), "mrz": result.get("mrz"),
            "result": result, "review_decision": decision}


def build(session: Session, item: OutboxItem, cipher: ImageCipher) -> CaseFile:
    """Load everything one outbox row delivers."""
    scan = scans.get_scan(session, item.scan_id)
    latest = review.latest_decision(session, scan.id)
    decision = ({"decision": latest.decision, "reason": latest.reason,
                 "decided_at": latest.decided_at.isoformat()} if latest else None)
    images = {light: scans.get_image(session, cipher, scan.id, light)
              for light in scans.image_lights(session, scan.id)}
    return CaseFile(key=item.id, scan_id=scan.id, metadata=scan_metadata(scan, decision),
                    images=images)
