"""Scan jobs: capture on the reader, analyse, store; progress steps go to the event broker."""

from __future__ import annotations

import io
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from drivers.capture import LIGHTS, Capture
from drivers.reader import ReaderError
from scanner.service.services import Services
from scanner.store import scans

log = logging.getLogger(__name__)
STEPS = ("queued", "capturing", "analysing", "storing", "done")


@dataclass
class JobState:
    """Where one scan job is."""

    scan_id: str
    step: str = "queued"
    state: str = "running"  # running | done | failed
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The job as the API shows it."""
        return {"scan_id": self.scan_id, "step": self.step, "state": self.state,
                "error": self.error}


def capture_pngs(capture: Capture) -> dict[str, bytes]:
    """The three lights as PNG bytes (IR keeps its bit depth)."""
    out: dict[str, bytes] = {}
    for light in LIGHTS:
        array = getattr(capture, light)
        image = Image.fromarray(np.ascontiguousarray(array))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", compress_level=1)
        out[light] = buffer.getvalue()
    return out


class ScanJobs:
    """Runs one scan at a time on the reader (one reader, one queue)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scan")
        self._jobs: dict[str, JobState] = {}
        self._lock = threading.Lock()
        self.reader_lock = threading.Lock()

    def get(self, scan_id: str) -> JobState | None:
        """The job of a scan id, while this daemon runs."""
        with self._lock:
            return self._jobs.get(scan_id)

    def start(self, user_id: int, username: str, case_ref: str | None) -> JobState:
        """Queue a scan; returns at once."""
        job = JobState(scan_id=scans.new_scan_id())
        with self._lock:
            self._jobs[job.scan_id] = job
        self._publish(job)
        self._executor.submit(self._run, job, user_id, username, case_ref)
        return job

    def _publish(self, job: JobState, **extra: Any) -> None:
        self.services.events.publish({"type": "progress", **job.to_json(), **extra})

    def _step(self, job: JobState, step: str) -> None:
        job.step = step
        self._publish(job)

    def _run(self, job: JobState, user_id: int, username: str, case_ref: str | None) -> None:
        from scanner.page import PageNotFound  # noqa: PLC0415 - engine imports stay lazy
        from scanner.pipeline import scan_capture  # noqa: PLC0415

        try:
            self._step(job, "capturing")
            with self.reader_lock:
                reader = self.services.readers()
                try:
                    capture = reader.capture(LIGHTS)
                finally:
                    reader.close()
            self._step(job, "analysing")
            result = scan_capture(capture, self.services.scan_config,
                                  calibration=self.services.calibration,
                                  stamp_history=self.services.stamp_history,
                                  scan_id=job.scan_id).to_json()
            self._step(job, "storing")
            device = f"{capture.device.model}/{capture.device.serial}"
            new = scans.NewScan(id=job.scan_id, result=result, images=capture_pngs(capture),
                                captured_at=capture.captured_at, device=device,
                                case_ref=case_ref, operator_id=user_id)
            with self.services.store.write() as session:
                scans.save_scan(session, new, self.services.cipher,
                                targets=self.services.targets, actor=username,
                                now=self.services.clock())
        except (ReaderError, PageNotFound) as err:
            job.state, job.error = "failed", f"{type(err).__name__}: {err}"
            log.warning("scan %s failed: %s", job.scan_id, type(err).__name__)
            self._publish(job)
            return
        except Exception as err:
            job.state, job.error = "failed", f"internal error ({type(err).__name__})"
            log.exception("scan %s failed", job.scan_id)
            self._publish(job)
            return
        if self.services.outbox is not None:
            self.services.outbox.wake()
        job.step, job.state = "done", "done"
        # The summary carries no MRZ: reading the full result is an audited GET.
        self._publish(job, type="result", verdict=result["verdict"],
                      model=result["document"]["model"],
                      reasons=[{"id": r["id"], "status": r["status"]}
                               for r in result["reasons"]])

    def shutdown(self) -> None:
        """Finish the running scan, drop queued ones."""
        self._executor.shutdown(wait=True, cancel_futures=True)
