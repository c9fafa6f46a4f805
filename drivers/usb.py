"""Devices by identity: find the tty of a USB device from its VID:PID and serial number.

Resources name a reader by what it is (labgrid style), never by a path such as /dev/ttyUSB0
that changes with the order of plugging. The lookup reads sysfs:
`/sys/class/tty/<name>/device` leads to the USB interface; its parent (or grandparent, for
USB-serial adapters) is the USB device with `idVendor`, `idProduct` and `serial`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from drivers.reader import DeviceNotFound

_ID = re.compile(r"^([0-9a-fA-F]{4}):([0-9a-fA-F]{4})$")


@dataclass(frozen=True)
class UsbSerialResource:
    """Where a serial device is: USB vendor and product id, and optionally its serial number."""

    vid: str
    pid: str
    serial: str | None = None

    @classmethod
    def parse(cls, text: str) -> UsbSerialResource:
        """From `VID:PID` or `VID:PID/SERIAL` (hex ids)."""
        ids, _, serial = text.partition("/")
        match = _ID.match(ids)
        if match is None:
            raise ValueError(f"USB device {text!r}: expected VID:PID or VID:PID/SERIAL "
                             "with 4-digit hex ids, e.g. 1a86:7523/A1B2C3")
        return cls(match[1].lower(), match[2].lower(), serial or None)

    def __str__(self) -> str:
        return f"{self.vid}:{self.pid}" + (f"/{self.serial}" if self.serial else "")


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return None


def _usb_device(tty: Path) -> Path | None:
    node = (tty / "device").resolve()
    for candidate in (node, node.parent, node.parent.parent):
        if (candidate / "idVendor").is_file():
            return candidate
    return None


def resolve_tty(resource: UsbSerialResource, sysfs_root: Path = Path("/sys"),
                dev_root: Path = Path("/dev")) -> Path:
    """The /dev path of the one tty matching the resource; `DeviceNotFound` otherwise."""
    matches: list[Path] = []
    seen: list[str] = []
    class_dir = sysfs_root / "class" / "tty"
    for tty in sorted(class_dir.iterdir()) if class_dir.is_dir() else []:
        usb = _usb_device(tty)
        if usb is None:
            continue
        vid, pid = (_read(usb / "idVendor") or "").lower(), (_read(usb / "idProduct") or "").lower()
        serial = _read(usb / "serial")
        seen.append(f"{tty.name}={vid}:{pid}/{serial or '-'}")
        if (vid, pid) == (resource.vid, resource.pid) and \
                resource.serial in (None, serial):
            matches.append(dev_root / tty.name)
    if not matches:
        listed = ", ".join(seen) or "none"
        raise DeviceNotFound(f"no USB serial device {resource} is plugged in "
                             f"(USB serial devices seen: {listed})")
    if len(matches) > 1:
        raise DeviceNotFound(f"{len(matches)} devices match {resource}: "
                             f"{', '.join(map(str, matches))}; add the serial number")
    return matches[0]
