"""The reader serial protocol's frames (docs/reader-protocol.md), shared by driver and simulator.

A frame is `A5 | type u8 | seq u8 | length u16 LE | header check u16 LE | payload | CRC-32 LE`.
The header check (low 16 bits of the CRC-32 of type..length) lets the decoder trust a length
before the payload arrives, so one corrupted byte never makes it wait for 64 KiB that will not
come; the CRC-32 covers type..payload. The decoder resynchronises on the next start byte.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from enum import IntEnum

SOF = 0xA5
PROTOCOL_VERSION = 1
MAX_PAYLOAD = 0xFFFF
HEADER = struct.Struct("<BBBHH")  # SOF, type, seq, length, header check
TRAILER = struct.Struct("<I")
OVERHEAD = HEADER.size + TRAILER.size


class MsgType(IntEnum):
    """Frame types: requests from the host below 0x80, answers from the device from 0x80."""

    IDENTIFY = 0x01
    STATUS = 0x02
    SET_LIGHT = 0x03
    CAPTURE = 0x04
    SEND_IMAGE = 0x05
    GET_CHUNK = 0x06
    READ_MRZ = 0x07
    LID = 0x08
    ACK = 0x80
    IDENTITY = 0x81
    STATUS_REPORT = 0x82
    CAPTURED = 0x84
    CHUNK = 0x85
    MRZ = 0x87
    LID_STATE = 0x88
    ERROR = 0xFF


class ErrorCode(IntEnum):
    """Codes in the first payload byte of an ERROR frame."""

    BAD_FRAME = 0x01
    UNKNOWN_COMMAND = 0x02
    BAD_ARGUMENT = 0x03
    LID_OPEN = 0x04
    NO_DOCUMENT = 0x05
    NO_IMAGE = 0x06
    LED_FAULT = 0x07
    BUSY = 0x08
    INTERNAL = 0x09


_TYPES = frozenset(int(t) for t in MsgType)
CHUNK_HEAD = struct.Struct("<BI")  # light id, chunk index
LIGHT_IDS = {"white": 0, "ir": 1, "uv": 2}
LIGHT_NAMES = {v: k for k, v in LIGHT_IDS.items()}


@dataclass(frozen=True)
class Frame:
    """One decoded frame."""

    type: int
    seq: int
    payload: bytes = b""


def _header_check(head: bytes) -> int:
    return zlib.crc32(head) & 0xFFFF


def encode(msg_type: int, seq: int, payload: bytes = b"") -> bytes:
    """The bytes of one frame on the wire."""
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"payload of {len(payload)} bytes exceeds {MAX_PAYLOAD}")
    head = struct.pack("<BBH", msg_type, seq & 0xFF, len(payload))
    crc = zlib.crc32(payload, zlib.crc32(head[:2]))
    return (HEADER.pack(SOF, msg_type, seq & 0xFF, len(payload), _header_check(head))
            + payload + TRAILER.pack(crc))


def error_payload(code: ErrorCode, message: str) -> bytes:
    """The payload of an ERROR frame."""
    return bytes([code]) + message.encode("utf-8")[:200]


def chunk_payload(light: str, index: int, data: bytes) -> bytes:
    """The payload of a CHUNK frame."""
    return CHUNK_HEAD.pack(LIGHT_IDS[light], index) + data


def parse_chunk(payload: bytes) -> tuple[str, int, bytes]:
    """Light, index and data of a CHUNK payload; ValueError when malformed."""
    if len(payload) < CHUNK_HEAD.size:
        raise ValueError("chunk payload too short")
    light_id, index = CHUNK_HEAD.unpack_from(payload)
    if light_id not in LIGHT_NAMES:
        raise ValueError(f"unknown light id {light_id}")
    return LIGHT_NAMES[light_id], index, payload[CHUNK_HEAD.size:]


class FrameDecoder:
    """Incremental decoder: feed bytes, take whole frames; counts what it had to discard."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self.discarded = 0  # bytes skipped while resynchronising
        self.bad_frames = 0  # frames whose CRC-32 failed

    def feed(self, data: bytes) -> list[Frame]:
        """Add received bytes; return every complete, valid frame now available."""
        self._buf += data
        frames: list[Frame] = []
        buf = self._buf
        pos = 0
        while True:
            start = buf.find(SOF, pos)
            if start < 0:
                self.discarded += len(buf) - pos
                pos = len(buf)
                break
            self.discarded += start - pos
            pos = start
            if len(buf) - pos < HEADER.size:
                break
            _, msg_type, seq, length, check = HEADER.unpack_from(buf, pos)
            if msg_type not in _TYPES or check != _header_check(bytes(buf[pos + 1:pos + 5])):
                pos += 1
                self.discarded += 1
                continue
            end = pos + HEADER.size + length + TRAILER.size
            if len(buf) < end:
                break
            payload = bytes(buf[pos + HEADER.size:end - TRAILER.size])
            (crc,) = TRAILER.unpack_from(buf, end - TRAILER.size)
            if zlib.crc32(payload, zlib.crc32(bytes([msg_type, seq]))) != crc:
                self.bad_frames += 1
                pos += 1
                continue
            frames.append(Frame(msg_type, seq, payload))
            pos = end
        del buf[:pos]
        return frames

    def reset(self) -> None:
        """Forget any partial frame."""
        self._buf.clear()
