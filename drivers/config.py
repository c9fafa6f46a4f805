"""Reader configs: a `type` key chooses the reader (STYLE.md rule 2); URLs map onto them.

| URL | reader |
|---|---|
| `serial:///dev/ttyACM0` | `SerialReader` on that port |
| `serial://usb/VID:PID[/SERIAL]` | `SerialReader` on the tty of that USB device (sysfs) |
| `sim:?model=UTO-V&seed=3&forgery=...&dpi=...&fault=lid-open&source=DIR` | `SimReader` |
| `folder:///path?settle_s=1&timeout_s=30` | `HotFolderReader` |
| `camera://0?leds=serial:///dev/ttyUSB1&dpi=300`, `camera://fake?seed=1` | `CameraReader` |
| `mrz-serial:///dev/ttyUSB2` (`open_mrz_reader`) | `MrzSerialReader` |
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import parse_qsl, urlsplit

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

SCHEMES = ("serial", "sim", "folder", "camera")


class ReaderConfigError(ValueError):
    """A reader URL or config that cannot work; the message says how to fix it."""


class _Config(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SerialConfig(_Config):
    """A full-page reader speaking the reader protocol on a serial port."""

    type: Literal["serial"] = "serial"
    port: str | None = Field(None, description="device path, e.g. /dev/ttyACM0")
    usb: str | None = Field(None, description="VID:PID[/SERIAL], resolved through sysfs")
    lid: Literal["require", "ignore"] = Field("require", description="refuse capture lid open")
    total_s: float = Field(30.0, gt=0, description="time limit of one capture, retries included")


class SimConfig(_Config):
    """The in-process simulated reader."""

    type: Literal["sim"] = "sim"
    model: Literal["UTO-P", "UTO-V"] = "UTO-P"
    seed: int = 0
    forgery: str | None = None
    dpi: int = Field(400, ge=100, le=1200)
    fault: list[str] = Field(default_factory=list, description="lid-open, led-drift[:X]")
    source: str | None = Field(None, description="folder of capture folders, else specimens")
    now: bool = Field(False, description="stamp captures with the wall clock")


class FolderConfig(_Config):
    """A hot folder where vendor software drops capture folders."""

    type: Literal["folder"] = "folder"
    path: str
    settle_s: float = Field(1.0, ge=0)
    timeout_s: float = Field(30.0, gt=0)


class CameraConfig(_Config):
    """A USB camera and an LED board (`camera: fake` draws specimen frames)."""

    type: Literal["camera"] = "camera"
    camera: str = Field("0", description="OpenCV camera index, or `fake`")
    leds: str | None = Field(None, description="serial:///dev/... of the LED board")
    dpi: float = Field(300.0, gt=0)
    seed: int = 0


ReaderConfig = Annotated[SerialConfig | SimConfig | FolderConfig | CameraConfig,
                         Field(discriminator="type")]
_ADAPTER: TypeAdapter[SerialConfig | SimConfig | FolderConfig | CameraConfig] = \
    TypeAdapter(ReaderConfig)


def parse_url(url: str) -> SerialConfig | SimConfig | FolderConfig | CameraConfig:
    """The config a reader URL stands for; `ReaderConfigError` with the valid schemes if bad."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ReaderConfigError(f"reader URL {url!r}: unknown scheme {parts.scheme or '(none)'!r}; "
                                f"use one of serial:///dev/..., serial://usb/VID:PID/SERIAL, "
                                f"sim:?model=UTO-P, folder:///path, camera://0?leds=serial:///dev/...")
    data: dict[str, object] = {"type": parts.scheme}
    faults: list[str] = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "fault":
            faults.append(value)
        else:
            data[key] = value
    if faults:
        data["fault"] = faults
    if parts.scheme == "serial":
        if parts.netloc == "usb":
            data["usb"] = parts.path.lstrip("/")
        elif parts.netloc:
            raise ReaderConfigError(f"reader URL {url!r}: write serial:///dev/NAME (three "
                                    "slashes) or serial://usb/VID:PID/SERIAL")
        else:
            data["port"] = parts.path
    elif parts.scheme == "folder":
        data["path"] = parts.path
    elif parts.scheme == "camera":
        data["camera"] = parts.netloc or "0"
    return validate(data, url)


def validate(data: object, where: str = "reader config"
             ) -> SerialConfig | SimConfig | FolderConfig | CameraConfig:
    """Check a config mapping (a `type` key chooses the reader)."""
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'][1:])) or e['loc'][0]}: {e['msg']}"
                             for e in err.errors())
        raise ReaderConfigError(f"{where}: {problems}") from err
