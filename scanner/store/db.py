"""Engine set-up (SQLite in WAL mode or PostgreSQL), migrations at start, write sessions."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
_AUDIT_LOCK_KEY = 7_318_207  # pg_advisory_xact_lock key that serialises writers


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get("authscan_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Store:
    """The database of one daemon: read sessions, serialised write sessions, migrations."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.url = url
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite" and parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        args: dict[str, Any] = {"check_same_thread": False} if self.dialect == "sqlite" else {}
        self.engine = create_engine(url, connect_args=args, pool_pre_ping=True)
        if self.dialect == "sqlite":
            _sqlite_setup(self.engine)
        self._write_engine = self.engine.execution_options(authscan_write=True)
        self._lock = threading.RLock()

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        log.info("store schema is current (%s)", self.dialect)

    def session(self) -> Session:
        """A session for reading (and writes that need no chain ordering)."""
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that holds the writer lock: commits on success, rolls back on error."""
        with self._lock, Session(self._write_engine, expire_on_commit=False) as session:
            if self.dialect == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _AUDIT_LOCK_KEY})
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def ping(self) -> bool:
        """True when the database answers."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:  # readiness only reports
            return False
        return True

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()
