"""Fingerprints of stamp impressions seen in earlier scans, to find a copied impression.

Only a 256-bit fingerprint (see scanner.checks.stamp_match.fingerprint), the ink area and
an opaque scan id are kept: no image and no personal data. SQLite (stdlib); in memory when
no path is given.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from scanner.checks.stamp_match import hamming

_SCHEMA = """CREATE TABLE IF NOT EXISTS stamp_fingerprints (
    id INTEGER PRIMARY KEY, scan_id TEXT NOT NULL, seen_at TEXT NOT NULL,
    ink_mm2 REAL NOT NULL, fingerprint BLOB NOT NULL)"""


@dataclass(frozen=True)
class StampMatch:
    """An earlier impression with (nearly) the same fingerprint."""

    scan_id: str
    seen_at: str
    distance: int  # differing fingerprint bits


class StampHistory:
    """A small SQLite store of impression fingerprints."""

    def __init__(self, path: Path | str | None = None, *, max_distance: int = 32,
                 area_tolerance: float = 0.25) -> None:
        self._db = sqlite3.connect(":memory:" if path is None else str(path),
                                   check_same_thread=False)
        self._lock = threading.Lock()
        self.max_distance = max_distance
        self.area_tolerance = area_tolerance
        with self._lock, self._db:
            self._db.execute(_SCHEMA)

    def add(self, scan_id: str, seen_at: datetime, ink_mm2: float, fingerprint: bytes) -> None:
        """Remember one impression of scan `scan_id`."""
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO stamp_fingerprints (scan_id, seen_at, ink_mm2, fingerprint) "
                "VALUES (?, ?, ?, ?)", (scan_id, seen_at.isoformat(), ink_mm2, fingerprint))

    def find(self, ink_mm2: float, fingerprint: bytes, *,
             exclude_scan: str | None = None) -> StampMatch | None:
        """The closest earlier impression within `max_distance` bits, from another scan."""
        low, high = ink_mm2 * (1 - self.area_tolerance), ink_mm2 * (1 + self.area_tolerance)
        with self._lock:
            rows = self._db.execute(
                "SELECT scan_id, seen_at, fingerprint FROM stamp_fingerprints "
                "WHERE ink_mm2 BETWEEN ? AND ?", (low, high)).fetchall()
        best: StampMatch | None = None
        for scan_id, seen_at, stored in rows:
            if scan_id == exclude_scan or len(stored) != len(fingerprint):
                continue
            distance = hamming(stored, fingerprint)
            if distance <= self.max_distance and (best is None or distance < best.distance):
                best = StampMatch(scan_id, seen_at, distance)
        return best

    def close(self) -> None:
        """Close the database."""
        self._db.close()
