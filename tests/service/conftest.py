"""Fixtures of the service tests: stores on SQLite and PostgreSQL, a clock, specimens."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scanner.store import Store
from scanner.store.crypto import ImageCipher
from tests.service.pg import Cluster, pg_bindir


class FakeClock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        """Move forward."""
        self.now += timedelta(**kwargs)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster | None]:
    """One PostgreSQL cluster for the session, or None when the binaries are absent."""
    bindir = pg_bindir()
    if bindir is None:
        yield None
        return
    cluster = Cluster(bindir)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated, empty store on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'authscan.db'}"
    else:
        cluster = request.getfixturevalue("pg_cluster")
        if cluster is None:
            reason = ("PostgreSQL binaries absent (/usr/lib/postgresql/*/bin): "
                      "apt install postgresql")
            if os.environ.get("CI") == "true":
                pytest.fail(f"CI=true and {reason}")
            pytest.skip(reason)
        url = cluster.new_database()
    db = Store(url)
    db.migrate()
    yield db
    db.dispose()


@pytest.fixture
def clock() -> FakeClock:
    """A hand-moved clock."""
    return FakeClock()


@pytest.fixture
def cipher() -> ImageCipher:
    """An image cipher with a fixed test key."""
    return ImageCipher(bytes(range(32)))
