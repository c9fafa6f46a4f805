"""The services one daemon runs on, built from the settings (tests build their own)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from scanner.calibrated import CalibrationSetup
from scanner.casefile.connectors import make_connector
from scanner.casefile.worker import OutboxWorker
from scanner.config import ScanConfig
from scanner.service.events import EventBroker
from scanner.service.readers import ReaderFactory, reader_factory
from scanner.settings import Settings
from scanner.stamp_history import StampHistory
from scanner.store import Store
from scanner.store.crypto import ImageCipher, load_key

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The wall clock in UTC."""
    return datetime.now(UTC)


@dataclass
class Services:
    """Everything the routes use: passed to `create_app`, never imported as globals."""

    store: Store
    cipher: ImageCipher
    readers: ReaderFactory
    targets: list[str] = field(default_factory=list)
    clock: Clock = utc_now
    token_ttl: timedelta = timedelta(hours=8)
    events: EventBroker = field(default_factory=EventBroker)
    outbox: OutboxWorker | None = None
    reader_url: str = "sim:"
    scan_config: ScanConfig = field(default_factory=ScanConfig)
    calibration: CalibrationSetup | None = None
    stamp_history: StampHistory | None = None  # fingerprints of stamps seen in earlier scans


def build_services(settings: Settings) -> Services:
    """Open the store (migrating it), load the key, make the reader factory and connectors."""
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    store = Store(settings.store_url())
    store.migrate()
    cipher = load_key(settings.image_key_path(), settings.image_key.create)
    connectors = {t.name: make_connector(t) for t in settings.casefile.targets}
    services = Services(store=store, cipher=cipher, readers=reader_factory(settings.reader.url),
                        targets=list(connectors), reader_url=settings.reader.url,
                        token_ttl=timedelta(minutes=settings.server.token_ttl_minutes),
                        scan_config=settings.scan,
                        stamp_history=StampHistory(settings.data_dir / "stamps.sqlite"))
    if settings.calibration.enabled:
        cal = settings.calibration
        services.calibration = CalibrationSetup(
            cal.profiles or settings.data_dir / "calibration",
            settings.data_dir / "health.csv" if cal.health else None)
    if connectors:
        services.outbox = OutboxWorker(store, cipher, connectors, settings.casefile, utc_now)
    return services
