"""Readers by URL, the USB identity resolver on a fake sysfs, the `sim:` driver, the CLI."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from drivers.camera import CameraReader
from drivers.config import SerialConfig, SimConfig, parse_url, validate
from drivers.factories import build
from drivers.hotfolder import HotFolderReader
from drivers.reader import DeviceNotFound, DeviceNotOpen, DocumentReader
from drivers.registry import ReaderConfigError, open_reader
from drivers.sim_reader import SimReader
from drivers.usb import UsbSerialResource, resolve_tty
from tests.drivers.reader_helpers import time_limit

__all__ = ["time_limit"]


def _fake_sysfs(root: Path) -> Path:
    """Two USB CDC readers and a USB-serial adapter, laid out as the kernel does."""
    devices = root / "devices" / "pci0000:00" / "usb1"
    for tty, usb, vid, pid, serial, nested in [
            ("ttyACM0", "1-1", "1d6b", "0104", "RDR-A", False),
            ("ttyACM1", "1-2", "1d6b", "0104", "RDR-B", False),
            ("ttyUSB0", "1-3", "1a86", "7523", None, True)]:
        dev = devices / usb
        iface = dev / f"{usb}:1.0"
        node = iface / tty if nested else iface
        node.mkdir(parents=True)
        (dev / "idVendor").write_text(vid + "\n")
        (dev / "idProduct").write_text(pid + "\n")
        if serial:
            (dev / "serial").write_text(serial + "\n")
        (root / "class" / "tty" / tty).mkdir(parents=True)
        (root / "class" / "tty" / tty / "device").symlink_to(node)
    (root / "class" / "tty" / "tty0").mkdir()  # a virtual console: no USB device behind it
    return root


def test_resolver_by_vid_pid_and_serial(tmp_path: Path) -> None:
    sysfs = _fake_sysfs(tmp_path)
    assert resolve_tty(UsbSerialResource.parse("1D6B:0104/RDR-B"), sysfs) == \
        Path("/dev/ttyACM1")
    assert resolve_tty(UsbSerialResource.parse("1a86:7523"), sysfs) == Path("/dev/ttyUSB0")
    with pytest.raises(DeviceNotFound, match="2 devices match"):
        resolve_tty(UsbSerialResource.parse("1d6b:0104"), sysfs)
    with pytest.raises(DeviceNotFound, match="no USB serial device 1d6b:0104/RDR-C"):
        resolve_tty(UsbSerialResource.parse("1d6b:0104/RDR-C"), sysfs)
    with pytest.raises(ValueError, match="VID:PID"):
        UsbSerialResource.parse("reader-1")


def test_urls_map_to_configs(tmp_path: Path) -> None:
    assert parse_url("serial:///dev/pts/5") == SerialConfig(port="/dev/pts/5")
    assert parse_url("serial://usb/1d6b:0104/RDR-A?lid=ignore") == \
        SerialConfig(usb="1d6b:0104/RDR-A", lid="ignore")
    sim = parse_url("sim:?model=UTO-V&seed=3&fault=lid-open&fault=led-drift:0.1")
    assert sim == SimConfig(model="UTO-V", seed=3, fault=["lid-open", "led-drift:0.1"])
    reader = build(parse_url("serial://usb/1d6b:0104/RDR-A"), _fake_sysfs(tmp_path))
    assert getattr(reader, "path", None) == "/dev/ttyACM0"
    assert isinstance(build(parse_url(f"folder://{tmp_path}")), HotFolderReader)
    assert isinstance(build(parse_url("camera://fake?dpi=150")), CameraReader)
    assert isinstance(validate({"type": "sim", "dpi": 150}), SimConfig)


@pytest.mark.parametrize("url,message", [
    ("usb:/dev/ttyACM0", "unknown scheme 'usb'; use one of serial:///dev/"),
    ("serial://dev/ttyACM0", "three slashes"),
    ("sim:?modle=UTO-P", "modle: Extra inputs are not permitted"),
    ("sim:?dpi=50", "dpi: Input should be greater than or equal to 100"),
    ("camera://0", "needs leds=serial"),
])
def test_bad_urls_say_what_is_valid(url: str, message: str) -> None:
    with pytest.raises(ReaderConfigError, match=message.replace("?", r"\?")):
        open_reader(url)


def test_sim_driver_serves_specimens_with_lid_fault() -> None:
    reader = build(parse_url("sim:?model=UTO-P&seed=4&dpi=150&fault=lid-open"))
    assert isinstance(reader, SimReader) and isinstance(reader, DocumentReader)
    with pytest.raises(DeviceNotOpen):
        reader.capture()
    reader.open()
    assert not reader.status().lid_closed
    capture = reader.capture()
    assert capture.white.shape[:2] == capture.ir.shape[:2] and capture.device.id == "sim:"
    assert reader.read_mrz() is not None
    reader.close()


def test_camera_fake_by_url_captures() -> None:
    reader = open_reader("camera://fake?dpi=150&seed=1")
    try:
        capture = reader.capture()
        assert capture.ir.ndim == 2 and capture.white.ndim == 3
    finally:
        reader.close()


def test_simulate_reader_command_serves_until_sigterm() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "scanner.cli", "simulate-reader", "--dpi",
                             "150", "--model", "UTO-V", "--fault", "corrupt:0.05"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            cwd=Path(__file__).resolve().parents[2])
    try:
        assert proc.stdout is not None
        assert select.select([proc.stdout], [], [], 15)[0], "no device path printed"
        port = proc.stdout.readline().decode().strip()
        assert port.startswith("/dev/pts/")
        reader = open_reader(f"serial://{port}")
        try:
            assert reader.capture().dpi == 150
        finally:
            reader.close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=5) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
