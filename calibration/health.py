"""Device health: each light's output over time, from calibrations and everyday scans.

One small CSV row per scan or calibration (time, reader serial, profile id, the median
white/IR/UV level of blank paper): no images, no personal data. A linear trend since the last
calibration warns before drift breaks results.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np

from drivers.capture import Capture

LIGHTS = ("white", "ir", "uv")
FIELDS = ("at", "serial", "calibration_id", "source", "white", "ir", "uv")
# blank UTO paper on a calibrated reader (SPECIMENS.md): white ~0.88-0.95, IR 0.82-0.90,
# UV (blue) dull ~0.05-0.08; used as the baseline before a calibration has seen enough scans
PAPER_NOMINAL = {"white": 0.91, "ir": 0.86, "uv": 0.065}
BASELINE_ROWS = 5
MIN_ROWS = 6


@dataclass(frozen=True)
class HealthRow:
    """One measurement of the three lights' output (relative levels)."""

    at: datetime
    serial: str
    calibration_id: str | None
    source: str            # "scan" (paper levels) or "calibration" (output relative to nominal)
    levels: dict[str, float]


@dataclass(frozen=True)
class DriftWarning:
    """A light whose output has moved since calibration, and when it will pass the limit."""

    light: str
    change: float               # relative change since calibration (-0.22: 22 % down)
    days_left: float | None     # until the trend reaches the limit; 0 when already past it
    message: str


def paper_levels(capture: Capture) -> dict[str, float] | None:
    """Median white, IR and UV (blue) of blank paper away from print, or None if too little."""
    scale = 50.0 / capture.dpi
    height, width = capture.white.shape[:2]
    size = (max(int(width * scale), 8), max(int(height * scale), 8))
    white = cv2.resize(capture.white, size, interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    ir = cv2.resize(capture.ir_float(), size, interpolation=cv2.INTER_AREA)
    uv = cv2.resize(capture.uv, size, interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    lum = white.mean(axis=2)
    mean = cv2.blur(lum, (5, 5))
    spread = np.sqrt(np.maximum(cv2.blur(lum * lum, (5, 5)) - mean * mean, 0))
    bright = float(np.percentile(lum, 95))
    plain = (lum > 0.8 * bright) & (spread < 0.03) & (ir > 0.7 * float(np.percentile(ir, 95)))
    plain = cv2.erode(plain.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    plain &= uv[..., 2] < 2.0 * float(np.median(uv[..., 2][plain])) if plain.any() else plain
    if int(plain.sum()) < 200:
        return None
    return {"white": float(np.median(lum[plain])), "ir": float(np.median(ir[plain])),
            "uv": float(np.median(uv[..., 2][plain]))}


class HealthLog:
    """The CSV file of health rows in a data directory."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def append(self, row: HealthRow) -> None:
        """Add one row (the file and its header are created on first use)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists()
        with self.path.open("a", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            if new:
                writer.writerow(FIELDS)
            writer.writerow([row.at.isoformat(), row.serial, row.calibration_id or "",
                             row.source, *(f"{row.levels[light]:.5f}" for light in LIGHTS)])

    def rows(self, serial: str | None = None) -> list[HealthRow]:
        """All rows (of one reader), oldest first."""
        if not self.path.is_file():
            return []
        with self.path.open(newline="", encoding="utf-8") as handle:
            out = [HealthRow(datetime.fromisoformat(r["at"]), r["serial"],
                             r["calibration_id"] or None, r["source"],
                             {light: float(r[light]) for light in LIGHTS})
                   for r in csv.DictReader(handle) if serial is None or r["serial"] == serial]
        return sorted(out, key=lambda r: r.at)


def record_scan(log: HealthLog, capture: Capture) -> HealthRow | None:
    """Log the paper levels of a scanned (calibrated) capture; None when no paper was found."""
    levels = paper_levels(capture)
    if levels is None:
        return None
    row = HealthRow(capture.captured_at, capture.device.serial, capture.calibration_id,
                    "scan", levels)
    log.append(row)
    return row


def record_calibration(log: HealthLog, serial: str, calibration_id: str, at: datetime,
                       levels: dict[str, float]) -> HealthRow:
    """Log a calibration's measured light outputs (relative to nominal)."""
    row = HealthRow(at, serial, calibration_id, "calibration", dict(levels))
    log.append(row)
    return row


def drift_since(rows: list[HealthRow], calibration_id: str, at: datetime, *,
                limit: float = 0.15, warn_days: float = 14.0) -> list[DriftWarning]:
    """Warnings for lights whose paper level moved since calibration `calibration_id`."""
    scans = [r for r in rows if r.source == "scan" and r.calibration_id == calibration_id
             and r.at <= at]
    if len(scans) < MIN_ROWS:
        return []
    days = np.array([(r.at - scans[0].at).total_seconds() / 86400 for r in scans])
    now = (at - scans[0].at).total_seconds() / 86400
    warnings = []
    for light in LIGHTS:
        values = np.array([r.levels[light] for r in scans])
        base = float(np.median(values[:BASELINE_ROWS]))
        rel = values / max(base, 1e-6) - 1
        slope, offset = np.polyfit(days, rel, 1) if np.ptp(days) > 0 else (0.0, float(rel.mean()))
        change = float(np.median(rel[-BASELINE_ROWS:]))
        trend_now = float(slope * now + offset)
        direction = "down" if change < 0 else "up"
        text = f"{light.upper() if light != 'white' else 'White'} output {direction} " \
               f"{100 * abs(change):.0f} % since calibration"
        if abs(change) >= limit:
            warnings.append(DriftWarning(light, change, 0.0, f"{text}; recalibrate now"))
            continue
        if abs(slope) < 1e-6:
            continue
        target = limit if slope > 0 else -limit
        days_left = (target - trend_now) / slope
        if 0 <= days_left <= warn_days:
            warnings.append(DriftWarning(light, change, float(days_left),
                                         f"{text}; recalibrate within {int(days_left)} days"))
    return warnings
