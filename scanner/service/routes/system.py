"""Health, readiness and device status."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from drivers.reader import ReaderError
from scanner.service.auth import AnyUser, ServicesDep
from scanner.service.jobs import ScanJobs
from scanner.service.routes.calibration import reader_health

router = APIRouter(tags=["system"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(services: ServicesDep) -> JSONResponse:
    """The store answers (503 otherwise)."""
    ready = services.store.ping()
    return JSONResponse({"ready": ready, "store": services.store.dialect},
                        status_code=200 if ready else 503)


@router.get("/api/devices")
def devices(request: Request, user: AnyUser, services: ServicesDep) -> list[dict[str, Any]]:
    """The configured reader: identity and status (calibration health comes later)."""
    jobs: ScanJobs = request.app.state.jobs
    entry: dict[str, Any] = {"url": services.reader_url}
    with jobs.reader_lock:
        try:
            reader = services.readers()
            try:
                ident, status = reader.identity(), reader.status()
            finally:
                reader.close()
        except ReaderError as err:
            entry.update(ok=False, error=f"{type(err).__name__}: {err}")
            return [entry]
    entry.update(ok=status.lid_closed and not status.errors and all(status.leds_ok.values()),
                 model=ident.model, serial=ident.serial, firmware=ident.firmware,
                 lid_closed=status.lid_closed, leds_ok=status.leds_ok,
                 errors=list(status.errors), health=reader_health(services, ident.serial))
    return [entry]
