"""Hot-folder reader: only complete folders, none lost, failures moved aside with a reason."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from drivers.capture import Capture, DeviceInfo, write_capture
from drivers.errors import CaptureRejected
from drivers.hotfolder import HotFolderReader
from drivers.reader import DeviceNotFound, DeviceNotOpen, DeviceTimeout
from tests.drivers.reader_helpers import same_pixels, time_limit

__all__ = ["time_limit"]


def _capture(seed: int) -> Capture:
    rng = np.random.default_rng(seed)
    return Capture(white=rng.integers(0, 256, (40, 50, 3), dtype=np.uint8),
                   ir=rng.integers(0, 256, (40, 50), dtype=np.uint8),
                   uv=rng.integers(0, 256, (40, 50, 3), dtype=np.uint8), dpi=300,
                   captured_at=datetime(2026, 1, 2, tzinfo=UTC), device=DeviceInfo())


def test_takes_complete_folders_only(tmp_path: Path) -> None:
    reader = HotFolderReader(tmp_path, settle_s=0.2, timeout_s=0.6, poll_s=0.05)
    with pytest.raises(DeviceNotOpen):
        reader.capture()
    reader.open()
    staged = write_capture(_capture(1), tmp_path / "staging" / "a")
    half = tmp_path / "b-half"
    half.mkdir()
    shutil.copy(staged / "capture.json", half)
    shutil.copy(staged / "white.png", half)  # ir.png and uv.png not written yet
    write_capture(_capture(2), tmp_path / "c")
    shutil.move(staged, tmp_path / "a")
    (tmp_path / "staging").rmdir()
    (tmp_path / "a" / ".done").touch()
    first = reader.capture()
    assert same_pixels(first, _capture(1)) and first.path == tmp_path / "done" / "a"
    second = reader.capture()  # c after it settled; never the half-written b
    assert same_pixels(second, _capture(2))
    with pytest.raises(DeviceTimeout, match="no complete capture"):
        reader.capture()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b-half", "done", "failed"]


def test_unreadable_folder_goes_to_failed_with_reason(tmp_path: Path) -> None:
    reader = HotFolderReader(tmp_path, settle_s=0.0, timeout_s=1)
    reader.open()
    folder = write_capture(_capture(3), tmp_path / "bad")
    (folder / "uv.png").write_bytes(b"not a png")
    (folder / ".done").touch()
    with pytest.raises(CaptureRejected, match="moved to failed"):
        reader.capture()
    assert "uv.png" in (tmp_path / "failed" / "bad" / "reason.txt").read_text()
    assert reader.status().errors == ("1 failed captures",)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(DeviceNotFound):
        HotFolderReader(tmp_path / "nope").open()
