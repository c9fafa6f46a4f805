"""The benchmark's rate interval (bench/verdict_rates.py): the docs quote it for every kind."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from verdict_rates import wilson


def test_one_miss_in_fifty_leaves_a_97_percent_target_open() -> None:
    lo, hi = wilson(49, 50)
    assert lo == pytest.approx(0.8950, abs=1e-4)
    assert hi == pytest.approx(0.9965, abs=1e-4)
    assert lo < 0.97 < hi


def test_the_interval_narrows_with_more_pages_and_stays_within_0_and_1() -> None:
    assert wilson(50, 50)[1] == 1.0
    assert wilson(0, 50)[0] == 0.0
    narrow = wilson(490, 500)
    assert narrow[1] - narrow[0] < wilson(49, 50)[1] - wilson(49, 50)[0]
    assert wilson(0, 0) == (0.0, 1.0)
