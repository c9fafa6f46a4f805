"""Capture folders: a round trip, and a clear error for every kind of bad input."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from drivers.capture import Capture, CaptureError, DeviceInfo, read_capture, write_capture


def _capture(height: int = 60, width: int = 80) -> Capture:
    rng = np.random.default_rng(1)
    return Capture(
        white=rng.integers(0, 256, (height, width, 3), dtype=np.uint8),
        ir=rng.integers(0, 256, (height, width), dtype=np.uint8),
        uv=rng.integers(0, 256, (height, width, 3), dtype=np.uint8),
        dpi=400, captured_at=datetime(2026, 11, 22, 9, 30, tzinfo=UTC),
        device=DeviceInfo("dev-1", "test", "0001"), exposure_ms={"white": 5.0})


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_capture(_capture(), tmp_path / "cap", extra={"label.json": {"genuine": True}})


def test_round_trip_keeps_pixels_and_metadata(folder: Path) -> None:
    original = _capture()
    loaded = read_capture(folder)
    for light in ("white", "ir", "uv"):
        assert np.array_equal(getattr(loaded, light), getattr(original, light))
    assert loaded.dpi == 400
    assert loaded.captured_at == original.captured_at
    assert loaded.device == original.device
    assert loaded.exposure_ms["white"] == 5.0
    assert json.loads((folder / "label.json").read_text())["genuine"] is True


def test_sixteen_bit_ir_is_read_as_uint16(folder: Path) -> None:
    ir16 = (np.arange(60 * 80, dtype=np.uint16).reshape(60, 80) * 13)
    Image.fromarray(ir16).save(folder / "ir.png")
    capture = read_capture(folder)
    assert capture.ir.dtype == np.uint16
    assert capture.ir_float().max() <= 1.0


def test_writing_over_an_existing_folder_is_refused(folder: Path) -> None:
    with pytest.raises(CaptureError, match="already exists"):
        write_capture(_capture(), folder)


def _expect(folder: Path, file: str, words: str) -> None:
    with pytest.raises(CaptureError, match=words) as info:
        read_capture(folder)
    assert info.value.path.name == file
    assert "Traceback" not in str(info.value)


def test_missing_light(folder: Path) -> None:
    (folder / "uv.png").unlink()
    _expect(folder, "uv.png", "missing: the uv light image is required")


def test_images_of_different_sizes(folder: Path) -> None:
    Image.fromarray(np.zeros((50, 80), np.uint8)).save(folder / "ir.png")
    _expect(folder, "cap", "pixel-aligned.*ir 80x50")


def test_truncated_png(folder: Path) -> None:
    data = (folder / "white.png").read_bytes()
    (folder / "white.png").write_bytes(data[: len(data) // 2])
    _expect(folder, "white.png", "truncated or corrupt")


def test_corrupt_png_data(folder: Path) -> None:
    data = bytearray((folder / "white.png").read_bytes())
    start = data.index(b"IDAT") + 20
    data[start:start + 40] = bytes(40)
    (folder / "white.png").write_bytes(bytes(data))
    _expect(folder, "white.png", "truncated or corrupt")


def test_file_that_is_not_an_image(folder: Path) -> None:
    (folder / "ir.png").write_text("this is a note, not a picture\n")
    _expect(folder, "ir.png", "not an image")


def test_image_in_another_format(folder: Path) -> None:
    Image.fromarray(np.zeros((60, 80, 3), np.uint8)).save(folder / "white.png", format="JPEG")
    _expect(folder, "white.png", "JPEG")


def test_image_over_100_megapixels_is_refused_before_decoding(folder: Path) -> None:
    # A valid PNG header claiming 12000 x 9000 pixels: refused without decoding the data.
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return len(body).to_bytes(4, "big") + kind + body + crc
    header = (12000).to_bytes(4, "big") + (9000).to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) \
        + chunk(b"IEND", b"")
    (folder / "white.png").write_bytes(png)
    _expect(folder, "white.png", "108 megapixels, over the limit of 100")


def test_wrong_pixel_mode(folder: Path) -> None:
    Image.fromarray(np.zeros((60, 80), np.uint8)).save(folder / "white.png")
    _expect(folder, "white.png", "pixel mode L; white must be RGB")


@pytest.mark.parametrize(("content", "words"), [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "must hold a JSON object"),
    ('{"format": "other/2", "dpi": 400, "captured_at": "2026-01-01T00:00:00"}', "format is"),
    ('{"format": "authscan-capture/1", "dpi": "high", "captured_at": "2026-01-01"}', "dpi must"),
    ('{"format": "authscan-capture/1", "dpi": 400, "captured_at": "yesterday"}', "captured_at"),
])
def test_broken_capture_json(folder: Path, content: str, words: str) -> None:
    (folder / "capture.json").write_text(content)
    _expect(folder, "capture.json", words)


def test_missing_capture_json(folder: Path) -> None:
    (folder / "capture.json").unlink()
    _expect(folder, "capture.json", "missing")


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(CaptureError, match="no such directory"):
        read_capture(tmp_path / "nowhere")
