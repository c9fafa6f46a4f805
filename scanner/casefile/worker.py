"""The outbox worker: delivers due rows, marks them delivered only after the target's ack."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from datetime import datetime

from scanner.casefile.connectors import Connector, DeliveryError
from scanner.casefile.payload import build
from scanner.settings import CaseFileSettings
from scanner.store import Store, outbox
from scanner.store.crypto import ImageCipher, ImageKeyError
from scanner.store.models import OutboxItem
from scanner.store.scans import ScanNotFound

log = logging.getLogger(__name__)


class OutboxWorker:
    """Polls the outbox; at-least-once delivery plus the stable key gives exactly-once filing."""

    def __init__(self, store: Store, cipher: ImageCipher, connectors: Mapping[str, Connector],
                 settings: CaseFileSettings, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.cipher = cipher
        self.connectors = dict(connectors)
        self.settings = settings
        self.clock = clock
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> int:
        """Try every due row once; returns how many were delivered."""
        delivered = 0
        with self.store.session() as session:
            items = [(i.id, i.target) for i in outbox.due(session, self.clock(), limit=20)]
        for item_id, target in items:
            if self._stop.is_set():
                break
            delivered += self._deliver(item_id, target)
        return delivered

    def _deliver(self, item_id: str, target: str) -> int:
        connector = self.connectors.get(target)
        try:
            if connector is None:
                raise DeliveryError(f"target {target!r} is not configured")
            with self.store.session() as session:
                item = session.get(OutboxItem, item_id)
                if item is None or item.state != "pending":
                    return 0
                case = build(session, item, self.cipher)
            connector.deliver(case)
        except (DeliveryError, ScanNotFound, ImageKeyError) as err:
            with self.store.write() as session:
                row = outbox.mark_failed(session, item_id, str(err), self.clock(),
                                         max_attempts=self.settings.max_attempts,
                                         base_s=self.settings.backoff_base_s,
                                         max_s=self.settings.backoff_max_s)
            log.warning("case file %s to %s failed (attempt %s): %s", item_id, target,
                        row.attempts if row else "?", err)
            return 0
        with self.store.write() as session:
            outbox.mark_delivered(session, item_id, self.clock())
        log.info("case file %s delivered to %s", item_id, target)
        return 1

    def wake(self) -> None:
        """Look now (a scan was just stored)."""
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("outbox worker pass failed; retrying")
            self._wake.wait(self.settings.poll_interval_s)
            self._wake.clear()

    def start(self) -> None:
        """Run in a daemon thread."""
        self._thread = threading.Thread(target=self._loop, name="outbox", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the current delivery and stop."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
