"""The FastAPI app factory: `create_app(services)` wires routes to the services it is given."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from scanner.service.jobs import ScanJobs
from scanner.service.routes import (
    admin,
    calibration,
    desk,
    hub,
    review,
    scans,
    session,
    system,
    ws,
)
from scanner.service.services import Services

log = logging.getLogger(__name__)


def create_app(services: Services, run_workers: bool = True) -> FastAPI:
    """The daemon's app; `run_workers` starts the outbox worker with the app."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if run_workers and services.outbox is not None:
            services.outbox.start()
        try:
            yield
        finally:
            if services.outbox is not None:
                services.outbox.stop()
            app.state.jobs.shutdown()

    app = FastAPI(title="authscan", version="1", lifespan=lifespan, docs_url=None,
                  redoc_url=None)
    app.state.services = services
    app.state.jobs = ScanJobs(services)
    for module in (session, desk, scans, review, admin, system, hub, ws, calibration):
        app.include_router(module.router)
    return app
