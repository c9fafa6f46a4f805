"""One scan: capture -> page -> MRZ -> document model -> checks -> verdict."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from drivers.capture import Capture
from scanner.checks.b900 import mrz_ir_b900
from scanner.checks.base import CheckResult, ScanContext
from scanner.checks.image_quality import image_quality
from scanner.checks.ir_visibility import ir_visibility
from scanner.checks.mrz_logic import document_expiry, mrz_check_digits
from scanner.checks.photo_integrity import photo_integrity
from scanner.checks.uv_fibres import uv_fibres
from scanner.checks.uv_pattern import uv_pattern
from scanner.checks.uv_substrate import uv_dull_substrate
from scanner.config import ScanConfig
from scanner.identify import identify_by_mrz, identify_without_mrz
from scanner.page import Page, find_page
from scanner.verdict import Verdict, decide

if TYPE_CHECKING:
    from scanner.calibrated import CalibrationSetup
    from scanner.checks.stamps import StampFindings
    from scanner.stamp_history import StampHistory

log = logging.getLogger(__name__)

Check = Callable[[ScanContext], CheckResult]
# The checks that ICAO 9303 Part 2 and BSI TR-03135 make mandatory for every document.
MANDATORY_CHECKS: tuple[Check, ...] = (
    mrz_check_digits, mrz_ir_b900, uv_dull_substrate, document_expiry)
# Checks of the document model's features; each says "not performed" when its model lacks them.
MODEL_CHECKS: tuple[Check, ...] = (
    uv_pattern, uv_fibres, ir_visibility, photo_integrity, image_quality)


@dataclass
class ScanResult:
    """Everything one scan found, in the shape of `authscan scan --json`."""

    path: str | None
    verdict: Verdict
    model: str | None
    checks: list[CheckResult]
    mrz: dict[str, Any] | None
    timings_ms: dict[str, float] = field(default_factory=dict)
    page_rotation_deg: float = 0.0
    upside_down: bool = False
    calibration_id: str | None = None
    calibration_state: str | None = None  # ok, expired, drifted, missing; None: not managed
    calibration_warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The contract of ARCHITECTURE.md, plus the reasons of the verdict."""
        return {"path": self.path, "verdict": self.verdict.status,
                "reasons": [{"id": c.id, "status": c.status, "reason": c.reason,
                             "reason_de": c.reason_de} for c in self.verdict.reasons],
                "document": {"model": self.model, "rotation_deg": round(self.page_rotation_deg, 2),
                             "upside_down": self.upside_down},
                "calibration": {"id": self.calibration_id, "state": self.calibration_state,
                                "warnings": list(self.calibration_warnings)},
                "mrz": self.mrz, "checks": [c.to_json() for c in self.checks],
                "stamps": next((c.details.get("stamps", []) for c in self.checks
                                if c.id == "stamp_authenticity"), []),
                "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()}}


def _read_mrz(ctx: ScanContext) -> None:
    """Read the MRZ; turn the page upright by what the reading says."""
    from scanner.mrz.parse import parse_mrz  # noqa: PLC0415
    from scanner.mrz.read import MrzReading, read_mrz_lights  # noqa: PLC0415

    # the page is landscape (`find_page`), so its MRZ runs along it: upright or upside down
    found = read_mrz_lights(ctx.page.ir, ctx.page.white, dpi=ctx.page.dpi, sideways=False)
    if found is None:
        return
    reading, light = found
    k = reading.rotation // 90
    if k:  # the reading's boxes, moved onto the turned page
        turn = ctx.page.rotate_box
        reading = MrzReading(
            reading.lines, reading.rotation, turn(reading.box, k),
            tuple(tuple(turn(box, k) for box in line) for line in reading.char_boxes),
            reading.confidence)
        ctx.page = ctx.page.rotated(k)
    ctx.mrz_reading, ctx.mrz_light = reading, light
    ctx.mrz = parse_mrz(reading.lines, as_of=ctx.captured_at.date())


def _stamps(ctx: ScanContext, config: ScanConfig, history: StampHistory | None,
            scan_id: str | None, findings: Future[StampFindings] | None) -> CheckResult:
    """`stamp_authenticity` where stamps may be (visa pages, unknown documents)."""
    if ctx.model is not None and not ctx.model.stamps:
        return CheckResult("stamp_authenticity", "not_performed",
                           "this document model carries no stamps",
                           "dieses Dokumentmodell trägt keine Stempel", light="white")
    from scanner.checks.stamps import stamp_authenticity  # noqa: PLC0415

    return stamp_authenticity(ctx, history=history, scan_id=scan_id, limits=config.stamps,
                              findings=findings.result() if findings is not None else None)


def _find_stamps(page: Page, config: ScanConfig) -> StampFindings:
    from scanner.checks.stamps import find_stamps  # noqa: PLC0415

    return find_stamps(page, config.stamps)


def scan_capture(capture: Capture, config: ScanConfig | None = None, *,
                 calibration: CalibrationSetup | None = None,
                 stamp_history: StampHistory | None = None,
                 scan_id: str | None = None) -> ScanResult:
    """Analyse one capture and decide its verdict.

    With a calibration setup, the reader's profile is applied first and the checks of lights
    it no longer covers become undetermined; without one, the capture is taken as calibrated.
    With a stamp history, stamp impressions are also compared with earlier scans (`scan_id`
    names this one there).
    """
    config = config or ScanConfig()
    timings: dict[str, float] = {}
    start = last = time.perf_counter()
    status = None
    if calibration is not None:
        from scanner.calibrated import calibrate  # noqa: PLC0415

        capture, status = calibrate(capture, calibration)

    def lap(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        timings[name] = (now - last) * 1000
        last = now

    page: Page = find_page(capture)
    lap("page")
    ctx = ScanContext(page=page, captured_at=capture.captured_at, model=None,
                      thresholds=config.thresholds)
    # The stamp check takes longest; it runs beside the others on the second core (OpenCV,
    # numpy and onnxruntime release the GIL in their loops). A page whose UV emblem says it
    # is a visa page has its stamps found while the MRZ is read; the MRZ still decides.
    with ThreadPoolExecutor(max_workers=1) as beside:
        by_emblem = identify_without_mrz(page)
        upright = page.rotated(2) if by_emblem is not None and by_emblem[1] else page
        early = None
        if by_emblem is not None and by_emblem[0].stamps:
            early = beside.submit(_find_stamps, upright, config)
        _read_mrz(ctx)
        lap("mrz")
        upside_down = False
        if ctx.mrz is not None:
            ctx.model = identify_by_mrz(ctx.page, ctx.mrz.format,
                                        ctx.mrz.fields.get("issuing_state"))
            upside_down = ctx.mrz_reading is not None and ctx.mrz_reading.rotation == 180
        elif by_emblem is not None:  # no MRZ read: the page is as found
            ctx.model, upside_down = by_emblem
            ctx.page = upright
        lap("identify")
        findings = early if ctx.mrz is None else None
        if findings is None and (ctx.model is None or ctx.model.stamps):
            findings = beside.submit(_find_stamps, ctx.page, config)
        checks = [check(ctx) for check in MANDATORY_CHECKS + MODEL_CHECKS]
        checks.append(_stamps(ctx, config, stamp_history, scan_id, findings))
    if calibration is not None and status is not None:
        from scanner.calibrated import distrust, record  # noqa: PLC0415

        checks = distrust(checks, status)
        record(capture, calibration)
    lap("checks")
    verdict = decide(checks, model_known=ctx.model is not None, config=config.verdict)
    timings["total"] = (time.perf_counter() - start) * 1000
    log.info("scan done: verdict=%s model=%s in %.0f ms", verdict.status,
             ctx.model.id if ctx.model else None, timings["total"])
    return ScanResult(
        path=str(capture.path) if capture.path else None, verdict=verdict,
        calibration_id=capture.calibration_id,
        calibration_state=status.state if status is not None else None,
        calibration_warnings=status.warnings if status is not None else (),
        model=ctx.model.id if ctx.model else None, checks=checks,
        mrz=ctx.mrz.to_json() if ctx.mrz is not None else None, timings_ms=timings,
        page_rotation_deg=page.rotation_deg, upside_down=upside_down)
