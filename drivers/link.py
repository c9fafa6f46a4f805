"""The host side of the reader protocol: framed requests with sequence numbers and retries."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from typing import Protocol

from drivers.errors import DeviceError
from drivers.protocol import ErrorCode, Frame, FrameDecoder, MsgType, encode
from drivers.reader import DeviceDisconnected, DeviceTimeout, FrameCorrupt, LidOpen


class SerialPort(Protocol):
    """The part of `serial.Serial` the drivers use (a seam for tests: no modem lines)."""

    @property
    def in_waiting(self) -> int:
        """Bytes received and not yet read."""

    def read(self, size: int = 1) -> bytes:
        """Up to `size` bytes, waiting at most the port's timeout."""

    def write(self, data: bytes, /) -> int | None:
        """Send bytes."""

    def close(self) -> None:
        """Release the port."""


PortFactory = Callable[[str], SerialPort]


def open_serial(path: str) -> SerialPort:
    """Open a serial port with pyserial (raw, 8N1; a USB CDC device ignores the baud rate)."""
    import serial  # noqa: PLC0415 - pyserial only when a real port is opened

    port: SerialPort = serial.Serial(path, baudrate=115200, timeout=0.02, write_timeout=2.0)
    return port


class FrameLink:
    """Requests and answers over one port; every wait is bounded by a deadline."""

    def __init__(self, port: SerialPort, name: str) -> None:
        self.port = port
        self.name = name
        self.decoder = FrameDecoder()
        self._seq = 0
        self._inbox: list[Frame] = []

    def send(self, kind: int, payload: bytes = b"", seq: int | None = None) -> int:
        """Send one request; returns its sequence number (a new one unless `seq` is given)."""
        if seq is None:
            self._seq = (self._seq + 1) & 0xFF
            seq = self._seq
        try:
            self.port.write(encode(kind, seq, payload))
        except Exception as err:  # pyserial raises SerialException or OSError subclasses
            raise DeviceDisconnected(f"{self.name}: write failed ({err})") from err
        return seq

    def receive(self, seq: int, until: float) -> Frame | None:
        """The next frame answering request `seq`, or None when `until` (monotonic) passes."""
        while True:
            while self._inbox:
                frame = self._inbox.pop(0)
                if frame.seq == seq:
                    return frame
            if time.monotonic() >= until:
                return None
            try:
                data = self.port.read(max(1, min(self.port.in_waiting, 1 << 20)))
            except Exception as err:
                raise DeviceDisconnected(f"{self.name}: device disconnected ({err})") from err
            if data:
                self._inbox.extend(self.decoder.feed(data))

    def request(self, kind: int, payload: bytes, expect: Collection[int], *, timeout: float,
                attempts: int, deadline: float) -> Frame:
        """Send a request and return its answer, retransmitting (same seq) on silence."""
        seq = self.send(kind, payload)
        corrupt_before = self.decoder.bad_frames
        for attempt in range(attempts):
            if attempt:
                self.send(kind, payload, seq=seq)
            until = min(time.monotonic() + timeout, deadline)
            while (frame := self.receive(seq, until)) is not None:
                if frame.type in expect:
                    return frame
                if frame.type == MsgType.ERROR:
                    raise_device_error(self.name, frame.payload)
            if time.monotonic() >= deadline:
                break
        what = MsgType(kind).name
        if self.decoder.bad_frames > corrupt_before:
            raise FrameCorrupt(f"{self.name}: no intact answer to {what} after {attempts} "
                               f"attempts ({self.decoder.bad_frames - corrupt_before} corrupt)")
        raise DeviceTimeout(f"{self.name}: no answer to {what} within {timeout:.2f} s "
                            f"({attempts} attempts)")


def raise_device_error(name: str, payload: bytes) -> None:
    """Raise the typed error for an ERROR frame's payload."""
    code = payload[0] if payload else 0
    message = payload[1:].decode("utf-8", "replace")
    try:
        label = ErrorCode(code).name
    except ValueError:
        label = f"0x{code:02x}"
    if code == ErrorCode.LID_OPEN:
        raise LidOpen(f"{name}: the lid is open ({message})")
    raise DeviceError(f"{name}: device error {label}: {message}")
