"""Calibration profiles: versioned files per device (JSON manifest + .npz maps) and `apply`.

A profile is stored as `<root>/<serial>/<id>.json` and `<root>/<serial>/<id>.npz`; its id is a
hash of its content, so an edited or truncated profile is detected on load.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from calibration.errors import ProfileCorrupt, WrongDevice
from calibration.references import F32, channels
from drivers.capture import Capture, DeviceInfo

SCHEMA_VERSION = 1
DEFAULT_VALIDITY = timedelta(days=30)
SCALE_TOLERANCE = 0.005  # a measured scale closer than this to the nominal dpi is left alone


@dataclass(frozen=True)
class Profile:
    """One reader's calibration: dark and gain maps, measured scale, levels, validity."""

    device: DeviceInfo
    created_at: datetime
    expires_at: datetime
    dpi: float                           # the resolution the reader reported while calibrating
    geometry: dict[str, float | int]     # measured dpi_x, dpi_y, rotation, residual, corners
    levels: dict[str, float]             # each light's output relative to nominal, at calibration
    dark: F32 = field(repr=False)        # (rows, cols, 7)
    gain: F32 = field(repr=False)        # (rows, cols, 7)
    schema: int = SCHEMA_VERSION
    id: str = ""

    @property
    def scale(self) -> float:
        """Measured over reported resolution (1.0: the reader's dpi is right)."""
        measured = (float(self.geometry["dpi_x"]) + float(self.geometry["dpi_y"])) / 2
        return measured / self.dpi

    def manifest(self) -> dict[str, Any]:
        """The JSON manifest (without the maps)."""
        return {"schema": self.schema, "id": self.id,
                "device": {"id": self.device.id, "model": self.device.model,
                           "serial": self.device.serial},
                "created_at": self.created_at.isoformat(),
                "expires_at": self.expires_at.isoformat(), "dpi": float(self.dpi),
                "geometry": self.geometry,
                "levels": {k: round(v, 5) for k, v in self.levels.items()},
                "maps": {"shape": list(self.gain.shape),
                         "channels": ["white_r", "white_g", "white_b", "ir",
                                      "uv_r", "uv_g", "uv_b"]}}


def content_id(profile: Profile) -> str:
    """A hash of the manifest (id left out) and the maps' bytes."""
    manifest = profile.manifest()
    manifest.pop("id")
    digest = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode())
    for array in (profile.dark, profile.gain):
        digest.update(np.ascontiguousarray(array, np.float32).tobytes())
    return digest.hexdigest()[:16]


def with_id(profile: Profile) -> Profile:
    """The profile with its content id set."""
    return replace(profile, id=content_id(profile))


def save_profile(profile: Profile, root: Path | str) -> Path:
    """Write the profile's manifest and maps under `root/<serial>/`; returns the manifest path."""
    folder = Path(root) / _safe(profile.device.serial)
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, dark=profile.dark, gain=profile.gain)
    npz = folder / f"{profile.id}.npz"
    manifest = folder / f"{profile.id}.json"
    tmp_npz, tmp_json = npz.with_suffix(".npz.tmp"), manifest.with_suffix(".json.tmp")
    tmp_npz.write_bytes(buffer.getvalue())
    tmp_json.write_text(json.dumps(profile.manifest(), indent=2) + "\n", encoding="utf-8")
    tmp_npz.replace(npz)
    tmp_json.replace(manifest)  # the manifest last: a profile is there once its manifest is
    return manifest


def load_profile(manifest_path: Path | str) -> Profile:
    """Read a profile and verify its schema and content hash."""
    path = Path(manifest_path)
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        if meta.get("schema") != SCHEMA_VERSION:
            raise ProfileCorrupt(f"{path}: schema {meta.get('schema')!r}, this version reads "
                                 f"{SCHEMA_VERSION}; calibrate again")
        with np.load(path.with_suffix(".npz")) as maps:
            dark, gain = maps["dark"].astype(np.float32), maps["gain"].astype(np.float32)
        device = meta["device"]
        profile = Profile(
            device=DeviceInfo(str(device["id"]), str(device["model"]), str(device["serial"])),
            created_at=datetime.fromisoformat(meta["created_at"]),
            expires_at=datetime.fromisoformat(meta["expires_at"]), dpi=float(meta["dpi"]),
            geometry=dict(meta["geometry"]), levels=dict(meta["levels"]), dark=dark,
            gain=gain, schema=int(meta["schema"]), id=str(meta["id"]))
    except ProfileCorrupt:
        raise
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ProfileCorrupt(f"{path}: unreadable profile ({err})") from err
    if content_id(profile) != profile.id:
        raise ProfileCorrupt(f"{path}: content does not match its id {profile.id}; "
                             "the profile was changed or damaged, calibrate again")
    return profile


def latest_profile(root: Path | str, serial: str, at: datetime | None = None) \
        -> Profile | None:
    """The newest stored profile of a device (made no later than `at` when given), or None."""
    folder = Path(root) / _safe(serial)
    profiles = [load_profile(p) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []
    if at is not None:
        profiles = [p for p in profiles if p.created_at <= at]
    return max(profiles, key=lambda p: p.created_at) if profiles else None


def _safe(serial: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in serial) or "unknown"


def _upsample(cells: F32, size: tuple[int, int]) -> F32:
    return np.stack([np.asarray(cv2.resize(np.ascontiguousarray(cells[..., c]), size,
                                           interpolation=cv2.INTER_LINEAR), np.float32)
                     for c in range(cells.shape[2])], axis=2)


def apply(capture: Capture, profile: Profile) -> Capture:
    """The calibrated capture: dark subtracted, flat-field corrected, clipped, id set."""
    if capture.device.serial != profile.device.serial:
        raise WrongDevice(f"profile {profile.id} belongs to reader serial "
                          f"{profile.device.serial!r}, the capture comes from "
                          f"{capture.device.serial!r}; calibrate this reader or load its profile")
    height, width = capture.white.shape[:2]
    raw = channels(capture)
    corrected = (raw - _upsample(profile.dark, (width, height))) * _upsample(profile.gain,
                                                                             (width, height))
    np.clip(corrected, 0.0, 1.0, out=corrected)
    white = np.rint(corrected[..., :3] * 255).astype(np.uint8)
    uv = np.rint(corrected[..., 4:7] * 255).astype(np.uint8)
    if capture.ir.dtype == np.uint16:
        ir: Any = np.rint(corrected[..., 3] * 65535).astype(np.uint16)
    else:
        ir = np.rint(corrected[..., 3] * 255).astype(np.uint8)
    dpi = capture.dpi
    if abs(profile.scale - 1.0) > SCALE_TOLERANCE:
        dpi = round(capture.dpi * profile.scale, 2)
    return replace(capture, white=white, ir=ir, uv=uv, dpi=dpi, calibration_id=profile.id)
