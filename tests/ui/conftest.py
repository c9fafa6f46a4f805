"""Offscreen Qt before anything imports it; real daemons (genuine and forged specimens)."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Iterator
from pathlib import Path

import pytest

from ui.testing import Daemon

GENUINE = "sim:?model=UTO-P&seed=3&dpi=200"
FORGED = "sim:?model=UTO-P&forgery=counterfeit_copy&seed=5&dpi=200"


@pytest.fixture(scope="session")
def daemons(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Daemon]]:
    """One daemon whose reader presents genuine specimens, one presenting forged ones."""
    root: Path = tmp_path_factory.mktemp("desk")
    started = {"genuine": Daemon(root / "genuine", GENUINE),
               "forged": Daemon(root / "forged", FORGED)}
    try:
        for daemon in started.values():
            daemon.prepare()
            daemon.launch()  # both start at once
        for daemon in started.values():
            daemon.wait_ready()
        yield started
    finally:
        for daemon in started.values():
            daemon.stop()
