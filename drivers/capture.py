"""Capture folders in the `authscan-capture/1` format: one page under white, IR and UV light.

The format is the contract in ../shared/SPECIMENS.md. Every problem with a folder raises
`CaptureError`, naming the file and what is wrong, so that a CLI can print one clear line.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image, UnidentifiedImageError

FORMAT = "authscan-capture/1"
LIGHTS = ("white", "ir", "uv")
MAX_PIXELS = 100_000_000
_MODES = {"white": {"RGB"}, "ir": {"L", "I;16", "I;16B", "I"}, "uv": {"RGB"}}


class CaptureError(Exception):
    """A capture folder or one of its files cannot be used; the message says which and why."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = Path(path)
        self.problem = problem


@dataclass(frozen=True)
class DeviceInfo:
    """Which reader took a capture."""

    id: str = "unknown"
    model: str = "unknown"
    serial: str = "unknown"


@dataclass
class Capture:
    """One page under three lights, pixel-aligned: white and UV as RGB, IR as grey."""

    white: NDArray[np.uint8]
    ir: NDArray[np.uint8] | NDArray[np.uint16]
    uv: NDArray[np.uint8]
    dpi: float
    captured_at: datetime
    device: DeviceInfo = field(default_factory=DeviceInfo)
    exposure_ms: dict[str, float] = field(default_factory=dict)
    calibration_id: str | None = None
    path: Path | None = None

    def __post_init__(self) -> None:
        shapes = {self.white.shape[:2], self.ir.shape[:2], self.uv.shape[:2]}
        if len(shapes) != 1:
            raise ValueError(f"lights differ in size: {sorted(shapes)}")

    def ir_float(self) -> NDArray[np.float32]:
        """IR as linear values 0..1 whatever the bit depth."""
        scale = 65535.0 if self.ir.dtype == np.uint16 else 255.0
        return self.ir.astype(np.float32) / np.float32(scale)

    def metadata(self) -> dict[str, Any]:
        """The `capture.json` document for this capture."""
        return {
            "format": FORMAT,
            "dpi": self.dpi,
            "captured_at": self.captured_at.isoformat(),
            "device": {"id": self.device.id, "model": self.device.model,
                       "serial": self.device.serial},
            "lights": {light: {"exposure_ms": self.exposure_ms.get(light, 0.0)}
                       for light in LIGHTS},
            "calibration_id": self.calibration_id,
        }


def _load_metadata(folder: Path) -> dict[str, Any]:
    meta_path = folder / "capture.json"
    if not meta_path.is_file():
        raise CaptureError(meta_path, "missing; a capture folder needs capture.json "
                           f"with \"format\": \"{FORMAT}\"")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise CaptureError(meta_path, f"is not valid JSON ({err})") from err
    if not isinstance(meta, dict):
        raise CaptureError(meta_path, "must hold a JSON object")
    if meta.get("format") != FORMAT:
        raise CaptureError(meta_path, f"format is {meta.get('format')!r}, expected {FORMAT!r}")
    dpi = meta.get("dpi")
    if not isinstance(dpi, int | float) or isinstance(dpi, bool) or not 100 <= dpi <= 2400:
        raise CaptureError(meta_path, f"dpi must be a number between 100 and 2400, got {dpi!r}")
    try:
        datetime.fromisoformat(str(meta.get("captured_at")))
    except ValueError as err:
        raise CaptureError(meta_path, "captured_at must be an ISO-8601 time such as "
                           f"2026-11-22T10:15:00+01:00, got {meta.get('captured_at')!r}") from err
    for key in ("device", "lights"):
        if key in meta and not isinstance(meta[key], dict):
            raise CaptureError(meta_path, f"{key} must be a JSON object")
    return meta


def _load_image(path: Path, light: str) -> NDArray[Any]:
    if not path.is_file():
        raise CaptureError(path, f"missing: the {light} light image is required "
                           f"(a capture needs {', '.join(f'{name}.png' for name in LIGHTS)})")
    try:
        with warnings.catch_warnings():  # the pixel limit is checked here, with a clearer message
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(path)
        with img:
            if img.format != "PNG":
                raise CaptureError(path, f"is {img.format or 'not'} an image in PNG format; "
                                   "save the light as PNG")
            width, height = img.size
            if width * height > MAX_PIXELS:
                raise CaptureError(path, f"is {width}x{height} = {width * height / 1e6:.0f} "
                                   f"megapixels, over the limit of {MAX_PIXELS // 1_000_000}")
            if img.mode not in _MODES[light]:
                raise CaptureError(path, f"has pixel mode {img.mode}; {light} must be "
                                   f"{' or '.join(sorted(_MODES[light]))}")
            img.load()
            array = np.asarray(img)
    except CaptureError:
        raise
    except UnidentifiedImageError as err:
        raise CaptureError(path, "is not an image (unreadable as PNG)") from err
    except Image.DecompressionBombError as err:
        raise CaptureError(path, f"is too large to decode safely ({err})") from err
    except (OSError, SyntaxError, ValueError) as err:
        raise CaptureError(path, f"is truncated or corrupt ({err}); capture the page again") \
            from err
    if light == "ir" and array.dtype not in (np.uint8, np.uint16):
        array = array.astype(np.uint16)
    return array


def read_capture(folder: Path | str) -> Capture:
    """Read and validate one capture folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CaptureError(folder, "is not a capture folder (no such directory)")
    meta = _load_metadata(folder)
    images = {light: _load_image(folder / f"{light}.png", light) for light in LIGHTS}
    sizes = {light: img.shape[:2] for light, img in images.items()}
    if len(set(sizes.values())) != 1:
        listed = ", ".join(f"{light} {w}x{h}" for light, (h, w) in sizes.items())
        raise CaptureError(folder, f"the three lights must be pixel-aligned images of one size; "
                           f"got {listed}")
    device = meta.get("device") or {}
    lights = meta.get("lights") or {}
    exposures = {}
    for light in LIGHTS:
        entry = lights.get(light)
        if isinstance(entry, dict) and isinstance(entry.get("exposure_ms"), int | float):
            exposures[light] = float(entry["exposure_ms"])
    return Capture(
        white=images["white"], ir=images["ir"], uv=images["uv"], dpi=float(meta["dpi"]),
        captured_at=datetime.fromisoformat(str(meta["captured_at"])),
        device=DeviceInfo(str(device.get("id", "unknown")), str(device.get("model", "unknown")),
                          str(device.get("serial", "unknown"))),
        exposure_ms=exposures, calibration_id=meta.get("calibration_id"), path=folder)


def write_capture(capture: Capture, folder: Path | str,
                  extra: dict[str, Any] | None = None) -> Path:
    """Write a capture folder atomically: files go to a temporary sibling, renamed at the end.

    `extra` maps further file names (such as `label.json`) to JSON-serialisable content.
    """
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    if folder.exists():
        raise CaptureError(folder, "already exists; choose a new folder for the capture")
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        for light in LIGHTS:
            Image.fromarray(getattr(capture, light)).save(tmp / f"{light}.png", compress_level=1)
        documents = {"capture.json": capture.metadata(), **(extra or {})}
        for name, content in documents.items():
            (tmp / name).write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
        tmp.replace(folder)
    except BaseException:
        for child in tmp.iterdir():
            child.unlink()
        tmp.rmdir()
        raise
    return folder
