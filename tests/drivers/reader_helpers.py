"""Shared helpers of the reader tests: a hard per-test time limit and pixel comparison."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from types import FrameType

import numpy as np
import pytest

from drivers.capture import LIGHTS, Capture

TEST_LIMIT_S = 20


@pytest.fixture(autouse=True)
def time_limit() -> Iterator[None]:
    """Fail (never hang) a test that runs longer than TEST_LIMIT_S."""
    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise TimeoutError(f"test exceeded its {TEST_LIMIT_S} s limit")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(TEST_LIMIT_S)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def same_pixels(a: Capture, b: Capture) -> bool:
    """Every light of `a` equals that of `b`, pixel for pixel."""
    return all(np.array_equal(getattr(a, light), getattr(b, light)) for light in LIGHTS)
