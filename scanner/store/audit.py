"""The append-only, hash-chained audit log: who did what to which scan (no personal data)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from scanner.store.models import AuditEntry

GENESIS = "0" * 64


def entry_hash(prev_hash: str, *, seq: int, at: datetime, actor: str, action: str,
               scan_id: str | None, detail: str) -> str:
    """SHA-256 over the previous hash and this row's content."""
    body = json.dumps({"seq": seq, "at": at.isoformat(timespec="microseconds"), "actor": actor,
                       "action": action, "scan_id": scan_id, "detail": detail},
                      sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def append(session: Session, at: datetime, actor: str, action: str, *,
           scan_id: str | None = None, detail: str = "") -> AuditEntry:
    """Add one row to the chain; call inside `Store.write()` (it serialises the writers)."""
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    row = AuditEntry(seq=seq, at=at, actor=actor, action=action, scan_id=scan_id,
                     detail=detail, prev_hash=prev,
                     hash=entry_hash(prev, seq=seq, at=at, actor=actor, action=action,
                                    scan_id=scan_id, detail=detail))
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class ChainProblem:
    """One break of the chain, naming the row."""

    seq: int
    problem: str

    def __str__(self) -> str:
        return f"audit row {self.seq}: {self.problem}"


def verify(session: Session) -> tuple[int, list[ChainProblem]]:
    """Walk the chain; return the number of rows and each changed, deleted or relinked row."""
    problems: list[ChainProblem] = []
    expected_seq, prev_hash, count = 1, GENESIS, 0
    for row in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
        count += 1
        if row.seq != expected_seq:
            gap = (f"row {expected_seq} deleted" if row.seq == expected_seq + 1
                   else f"rows {expected_seq}-{row.seq - 1} deleted")
            problems.append(ChainProblem(expected_seq, gap))
        elif row.prev_hash != prev_hash:
            problems.append(ChainProblem(row.seq, "does not link to the row before it "
                                         "(that row was changed and rehashed)"))
        recomputed = entry_hash(row.prev_hash, seq=row.seq, at=row.at, actor=row.actor,
                                action=row.action, scan_id=row.scan_id, detail=row.detail)
        if recomputed != row.hash:
            problems.append(ChainProblem(row.seq, "changed (its hash does not match its content)"))
        expected_seq, prev_hash = row.seq + 1, row.hash
    return count, problems


def entries(session: Session, scan_id: str | None = None, limit: int = 200) -> list[AuditEntry]:
    """The newest rows, optionally for one scan."""
    query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if scan_id is not None:
        query = query.where(AuditEntry.scan_id == scan_id)
    return list(session.scalars(query))
