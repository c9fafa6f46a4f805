"""Build a reader from its validated config (`drivers.registry`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from drivers.camera import CameraReader, FakeFrames, FrameSource, OpenCvFrames
from drivers.config import (
    CameraConfig,
    FolderConfig,
    ReaderConfigError,
    SerialConfig,
    SimConfig,
)
from drivers.faults import parse_faults
from drivers.hotfolder import HotFolderReader
from drivers.ledboard import LedBoard, LedControl, SimLedBoard
from drivers.pages import FolderPages, PageSource, SpecimenPages
from drivers.reader import DocumentReader
from drivers.serial_reader import SerialReader, Timeouts
from drivers.sim_reader import SimReader
from drivers.usb import UsbSerialResource, resolve_tty


def serial_path(port: str | None, usb: str | None, sysfs_root: Path = Path("/sys")) -> str:
    """The device path of a serial resource: given directly, or resolved from USB identity."""
    if usb:
        try:
            resource = UsbSerialResource.parse(usb)
        except ValueError as err:
            raise ReaderConfigError(str(err)) from err
        return str(resolve_tty(resource, sysfs_root))
    if not port:
        raise ReaderConfigError("a serial device needs a port (/dev/...) or usb VID:PID/SERIAL")
    return port


def build(config: SerialConfig | SimConfig | FolderConfig | CameraConfig,
          sysfs_root: Path = Path("/sys")) -> DocumentReader:
    """The unopened reader for `config`."""
    if isinstance(config, SerialConfig):
        return SerialReader(serial_path(config.port, config.usb, sysfs_root),
                            timeouts=replace(Timeouts(), total=config.total_s),
                            require_lid_closed=config.lid == "require")
    if isinstance(config, SimConfig):
        return _sim(config)
    if isinstance(config, FolderConfig):
        return HotFolderReader(config.path, settle_s=config.settle_s, timeout_s=config.timeout_s)
    return _camera(config, sysfs_root)


def _sim(config: SimConfig) -> DocumentReader:
    try:
        faults = parse_faults(config.fault)
    except ValueError as err:
        raise ReaderConfigError(f"sim: {err}") from err
    pages: PageSource
    if config.source:
        pages = FolderPages(config.source)
    else:
        pages = SpecimenPages(config.seed, config.model, config.forgery, config.dpi,
                              faults.conditions())
    return SimReader(pages, faults, stamp_now=config.now)


def _camera(config: CameraConfig, sysfs_root: Path) -> DocumentReader:
    leds: LedControl
    if config.leds:
        parts = urlsplit(config.leds)
        if parts.scheme != "serial":
            raise ReaderConfigError(f"camera leds={config.leds!r}: use serial:///dev/NAME "
                                    "or serial://usb/VID:PID/SERIAL")
        usb = parts.path.lstrip("/") if parts.netloc == "usb" else None
        leds = LedBoard(serial_path(None if usb else parts.path, usb, sysfs_root))
    elif config.camera == "fake":
        leds = SimLedBoard()
    else:
        raise ReaderConfigError("camera: a real camera needs leds=serial:///dev/... "
                                "(the LED board that switches white, IR and UV)")
    frames: FrameSource
    if config.camera == "fake":
        from drivers.specimen import render_specimen  # noqa: PLC0415 - heavy, only when used

        page, _ = render_specimen(config.seed, dpi=int(config.dpi))
        if not isinstance(leds, SimLedBoard):
            raise ReaderConfigError("camera://fake draws its frames from the in-process LED "
                                    "board; leave out leds=")
        board = leds
        frames = FakeFrames(page, lambda: board.lit)
    elif config.camera.isdigit():
        frames = OpenCvFrames(int(config.camera))
    else:
        raise ReaderConfigError(f"camera {config.camera!r}: give an OpenCV index (0, 1...) "
                                "or `fake`")
    return CameraReader(frames, leds, dpi=config.dpi, name=f"camera:{config.camera}")
