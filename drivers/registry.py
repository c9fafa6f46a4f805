"""Open a reader by URL (`open_reader`) or by config; the URL schemes are in `drivers.config`."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from drivers.config import (
    SCHEMES,
    CameraConfig,
    FolderConfig,
    ReaderConfigError,
    SerialConfig,
    SimConfig,
    parse_url,
    validate,
)
from drivers.factories import build, serial_path
from drivers.mrz_serial import MrzSerialReader
from drivers.reader import DocumentReader

__all__ = ["SCHEMES", "ReaderConfigError", "build_reader", "open_mrz_reader", "open_reader",
           "parse_url", "validate"]


def build_reader(config: SerialConfig | SimConfig | FolderConfig | CameraConfig,
                 sysfs_root: Path = Path("/sys")) -> DocumentReader:
    """The (unopened) reader for a config."""
    return build(config, sysfs_root)


def open_reader(url: str) -> DocumentReader:
    """The reader a URL names, opened (close it when done); `ReaderConfigError` if bad."""
    reader = build_reader(parse_url(url))
    reader.open()
    return reader


def open_mrz_reader(url: str, sysfs_root: Path = Path("/sys")) -> MrzSerialReader:
    """An opened `MrzSerialReader` for `mrz-serial:///dev/...` or `mrz-serial://usb/VID:PID`."""
    parts = urlsplit(url)
    if parts.scheme != "mrz-serial":
        raise ReaderConfigError(f"MRZ reader URL {url!r}: use mrz-serial:///dev/NAME or "
                                "mrz-serial://usb/VID:PID/SERIAL")
    usb = parts.path.lstrip("/") if parts.netloc == "usb" else None
    reader = MrzSerialReader(serial_path(parts.path if usb is None else None, usb, sysfs_root))
    reader.open()
    return reader
