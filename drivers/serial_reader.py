"""The `serial` driver: a full-page reader speaking the reader protocol on a serial port."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from numpy.typing import NDArray

from drivers.capture import LIGHTS, Capture, DeviceInfo
from drivers.errors import DeviceError, check_lights
from drivers.imaging import ImageInfo, decode_image
from drivers.link import FrameLink, PortFactory, open_serial, raise_device_error
from drivers.protocol import CHUNK_HEAD, LIGHT_IDS, Frame, MsgType, parse_chunk
from drivers.reader import (
    DeviceDisconnected,
    DeviceNotFound,
    DeviceNotOpen,
    DeviceTimeout,
    FrameCorrupt,
    LidOpen,
    ReaderError,
    ReaderIdentity,
    ReaderStatus,
)


@dataclass(frozen=True)
class Timeouts:
    """Time limits of the serial driver, in seconds, and its retry bound."""

    command: float = 0.5  # IDENTIFY, STATUS, LID, SET_LIGHT, READ_MRZ, GET_CHUNK
    capture: float = 5.0  # CAPTURE: exposure of every light and image processing
    chunk_idle: float = 0.5  # silence that ends an image stream
    total: float = 30.0  # one whole capture, retries included
    attempts: int = 3  # transmissions of one request; re-request rounds of missing chunks


class SerialReader:
    """A `DocumentReader` on a serial port (USB CDC or a pty served by the simulator)."""

    def __init__(self, port: str, *, timeouts: Timeouts | None = None,
                 require_lid_closed: bool = True, port_factory: PortFactory = open_serial) -> None:
        self.path = port
        self.timeouts = timeouts or Timeouts()
        self.require_lid_closed = require_lid_closed
        self._factory = port_factory
        self._link: FrameLink | None = None
        self._identity: ReaderIdentity | None = None
        self._lock = threading.RLock()

    def open(self) -> None:
        """Open the port and check that a reader answers IDENTIFY."""
        with self._lock:
            if self._link is not None:
                return
            try:
                port = self._factory(self.path)
            except Exception as err:  # SerialException / OSError: no such port, no access
                raise DeviceNotFound(f"serial reader {self.path}: cannot open ({err})") from err
            self._link = FrameLink(port, f"serial reader {self.path}")
            try:
                self._identity = self._read_identity()
            except (DeviceTimeout, FrameCorrupt) as err:
                self.close()
                raise DeviceNotFound(f"serial reader {self.path}: nothing answers the reader "
                                     f"protocol there ({err})") from err
            except ReaderError:
                self.close()
                raise

    def close(self) -> None:
        """Close the port; safe to call twice."""
        with self._lock:
            link, self._link = self._link, None
            if link is not None:
                with contextlib.suppress(Exception):  # a vanished port may fail to close
                    link.port.close()

    def __enter__(self) -> SerialReader:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def identity(self) -> ReaderIdentity:
        """Model, serial number and firmware, as the device reported at open."""
        with self._lock:
            self._require()
            assert self._identity is not None
            return self._identity

    def status(self) -> ReaderStatus:
        """Lid, LEDs and errors as the device reports them now."""
        data = self._json(MsgType.STATUS, MsgType.STATUS_REPORT)
        leds = data.get("leds_ok") or {}
        return ReaderStatus(lid_closed=bool(data.get("lid_closed")),
                            leds_ok={str(k): bool(v) for k, v in leds.items()},
                            errors=tuple(str(e) for e in data.get("errors") or ()))

    def lid_closed(self) -> bool:
        """The lid sensor."""
        frame = self._call(MsgType.LID, b"", MsgType.LID_STATE)
        return frame.payload[:1] == b"\x01"

    def set_light(self, light: str) -> None:
        """Switch one light on (`white`, `ir`, `uv`) or all off (`off`), for diagnostics."""
        self._call(MsgType.SET_LIGHT, light.encode("ascii"), MsgType.ACK)

    def read_mrz(self) -> tuple[str, ...] | None:
        """The MRZ lines the reader's own OCR read from the page, or None."""
        text = self._call(MsgType.READ_MRZ, b"", MsgType.MRZ).payload.decode("ascii", "replace")
        return tuple(text.split("\n")) if text else None

    def capture(self, lights: Sequence[str] = LIGHTS) -> Capture:
        """Capture the page under each light: a complete capture or a typed error."""
        chosen = check_lights(lights)
        with self._lock:
            link = self._require()
            deadline = time.monotonic() + self.timeouts.total
            if self.require_lid_closed and not self.lid_closed():
                raise LidOpen(f"serial reader {self.path}: the lid is open; close it and scan "
                              "again (room light would leak into the UV image)")
            try:
                return self._capture(link, chosen, deadline)
            except DeviceDisconnected:
                self.close()  # the port is gone: open() again once the device is back
                raise
            except ReaderError:
                raise
            except ValueError as err:
                raise FrameCorrupt(f"serial reader {self.path}: {err}") from err

    def _capture(self, link: FrameLink, lights: tuple[str, ...], deadline: float) -> Capture:
        t = self.timeouts
        frame = link.request(MsgType.CAPTURE, ",".join(lights).encode(), {MsgType.CAPTURED},
                             timeout=t.capture, attempts=t.attempts, deadline=deadline)
        meta = _parse_json(frame.payload)
        infos = {info.light: info for info in map(ImageInfo.from_json, meta.get("images", ()))}
        if set(infos) != set(lights):
            raise ValueError(f"device announced images {sorted(infos)}, asked for {lights}")
        images = {light: self._fetch(link, infos[light], deadline) for light in lights}
        assert self._identity is not None
        exposure = meta.get("exposure_ms") or {}
        return Capture(
            white=images["white"], ir=images["ir"], uv=images["uv"], dpi=float(meta["dpi"]),
            captured_at=datetime.fromisoformat(str(meta["captured_at"])),
            device=DeviceInfo(f"serial:{self.path}", self._identity.model, self._identity.serial),
            exposure_ms={str(k): float(v) for k, v in exposure.items()})

    def _fetch(self, link: FrameLink, info: ImageInfo, deadline: float) -> NDArray[Any]:
        """Stream one image, re-request chunks that were lost or corrupt, check the whole CRC."""
        t = self.timeouts
        chunks: dict[int, bytes] = {}
        seq = link.send(MsgType.SEND_IMAGE, info.light.encode())
        while len(chunks) < info.chunks:
            frame = link.receive(seq, min(time.monotonic() + t.chunk_idle, deadline))
            if frame is None:
                break
            self._take_chunk(frame, info, chunks)
            if frame.type == MsgType.ERROR:
                raise_device_error(link.name, frame.payload)
            if info.chunks - 1 in chunks:
                break  # chunks come in order: whatever is still missing was lost
        for _ in range(t.attempts):
            for index in [i for i in range(info.chunks) if i not in chunks]:
                head = CHUNK_HEAD.pack(LIGHT_IDS[info.light], index)
                frame = link.request(MsgType.GET_CHUNK, head, {MsgType.CHUNK}, timeout=t.command,
                                     attempts=t.attempts, deadline=deadline)
                self._take_chunk(frame, info, chunks)
            if len(chunks) == info.chunks:
                break
        if len(chunks) < info.chunks or time.monotonic() > deadline:
            raise DeviceTimeout(f"serial reader {self.path}: {info.light} image incomplete "
                                f"({len(chunks)}/{info.chunks} chunks) within the time limit")
        return decode_image(info, b"".join(chunks[i] for i in range(info.chunks)))

    @staticmethod
    def _take_chunk(frame: Frame, info: ImageInfo, chunks: dict[int, bytes]) -> None:
        if frame.type != MsgType.CHUNK:
            return
        light, index, data = parse_chunk(frame.payload)
        expected = min(info.chunk_size, info.size - index * info.chunk_size)
        if light == info.light and 0 <= index < info.chunks and len(data) == expected:
            chunks[index] = data

    def _require(self) -> FrameLink:
        if self._link is None:
            raise DeviceNotOpen(f"serial reader {self.path} is not open; call open() first")
        return self._link

    def _call(self, kind: MsgType, payload: bytes, answer: MsgType) -> Frame:
        with self._lock:
            link = self._require()
            t = self.timeouts
            try:
                return link.request(kind, payload, {answer}, timeout=t.command,
                                    attempts=t.attempts,
                                    deadline=time.monotonic() + t.command * t.attempts + 1)
            except DeviceDisconnected:
                self.close()
                raise

    def _json(self, kind: MsgType, answer: MsgType) -> dict[str, Any]:
        return _parse_json(self._call(kind, b"", answer).payload)

    def _read_identity(self) -> ReaderIdentity:
        data = self._json(MsgType.IDENTIFY, MsgType.IDENTITY)
        return ReaderIdentity(str(data.get("model", "unknown")), str(data.get("serial", "unknown")),
                              str(data.get("firmware", "unknown")))


def _parse_json(payload: bytes) -> dict[str, Any]:
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise DeviceError(f"device sent a malformed JSON answer ({err})") from err
    if not isinstance(data, dict):
        raise DeviceError("device sent a JSON answer that is not an object")
    return data

