"""Reader protocol codec: frames, resynchronisation, image encoding, fault options."""

from __future__ import annotations

import random

import numpy as np
import pytest

from drivers.faults import Faults, parse_faults
from drivers.imaging import ImageInfo, decode_image, encode_image
from drivers.protocol import MAX_PAYLOAD, Frame, FrameDecoder, MsgType, encode
from tests.drivers.reader_helpers import time_limit

__all__ = ["time_limit"]


def test_round_trip_byte_by_byte() -> None:
    wire = encode(MsgType.IDENTIFY, 7) + encode(MsgType.CHUNK, 8, bytes(range(256)) * 10)
    decoder = FrameDecoder()
    frames = [f for b in wire for f in decoder.feed(bytes([b]))]
    assert frames == [Frame(MsgType.IDENTIFY, 7), Frame(MsgType.CHUNK, 8, bytes(range(256)) * 10)]


def test_noise_and_a_corrupt_frame_are_skipped() -> None:
    good = encode(MsgType.ACK, 1)
    bad = bytearray(encode(MsgType.MRZ, 2, b"P<UTO"))
    bad[-6] ^= 0x40
    frames = FrameDecoder().feed(b"\xa5\x00garbage\xa5" + bytes(bad) + good)
    assert frames == [Frame(MsgType.ACK, 1)]


def test_corrupt_length_does_not_swallow_the_next_frame() -> None:
    first = bytearray(encode(MsgType.CHUNK, 1, b"x" * 100))
    first[3] ^= 0xFF  # length byte: the header check fails at once
    decoder = FrameDecoder()
    assert decoder.feed(bytes(first) + encode(MsgType.ACK, 2)) == [Frame(MsgType.ACK, 2)]


def test_payload_limit() -> None:
    with pytest.raises(ValueError, match="exceeds"):
        encode(MsgType.CHUNK, 0, b"\0" * (MAX_PAYLOAD + 1))


@pytest.mark.parametrize("encoding", ["raw", "png"])
@pytest.mark.parametrize("shape,dtype", [((20, 30, 3), np.uint8), ((20, 30), np.uint16)])
def test_image_round_trip(encoding: str, shape: tuple[int, ...], dtype: type) -> None:
    array = np.random.default_rng(1).integers(0, 200, shape).astype(dtype)
    info, data = encode_image("uv", array, encoding, chunk_size=1000)
    info = ImageInfo.from_json(info.to_json())
    assert info.chunks == -(-len(data) // 1000)
    assert np.array_equal(decode_image(info, data), array)
    with pytest.raises(ValueError, match="CRC"):
        decode_image(info, data[:-1] + bytes([data[-1] ^ 1]))


def test_fault_options() -> None:
    faults = parse_faults(["corrupt:0.2", "slow", "unplug:3", "lid-open", "led-drift"])
    assert faults == Faults(corrupt=0.2, slow=0.05, unplug_after=3, lid_open=True,
                            led_drift=0.15)
    assert faults.conditions()["room_light"] == 0.04
    with pytest.raises(ValueError, match="unknown fault 'melt'"):
        parse_faults(["melt"])
    with pytest.raises(ValueError, match="out of range"):
        parse_faults(["drop:2"])


def test_mangle_changes_frames_at_the_given_rate() -> None:
    rng, frame = random.Random(1), encode(MsgType.CHUNK, 1, b"\0" * 100)
    changed = sum(Faults(corrupt=0.3).mangle(frame, rng) != frame for _ in range(1000))
    assert 250 < changed < 350
