"""MRZ line readers over a pty: CR / CR LF endings, STX/ETX framing, noise and partial lines."""

from __future__ import annotations

import os
import tty
from collections.abc import Iterator

import pytest

from drivers.mrz_serial import MrzLineParser, MrzSerialReader
from drivers.reader import DeviceNotOpen, DeviceTimeout
from tests.drivers.reader_helpers import time_limit

__all__ = ["time_limit"]
TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")


def test_parser_takes_documents_from_a_noisy_stream() -> None:
    parser = MrzLineParser()
    stream = (b"\x00\xffNOISE\r\n" + b"59ZE184226B<<<<<10\r\n"  # the tail of an earlier swipe
              + b"\x02" + TD3[0].encode() + b"\r" + TD3[1].encode() + b"\r\n\x03"
              + b"\r\n".join(line.encode() for line in TD1) + b"\r\n")
    docs = [doc for i in range(0, len(stream), 7) for doc in parser.feed(stream[i:i + 7])]
    assert docs == [TD3, TD1]


def test_a_line_broken_by_etx_is_dropped() -> None:
    parser = MrzLineParser()
    assert parser.feed(b"\x02" + TD3[0].encode() + b"\r" + TD3[1][:20].encode() + b"\x03") == []
    assert parser.feed(f"{TD3[0]}\r\n{TD3[1]}\r\n".encode()) == [TD3]


@pytest.fixture
def pty_pair() -> Iterator[tuple[int, str]]:
    master, slave = os.openpty()
    tty.setraw(slave)
    yield master, os.ttyname(slave)
    os.close(master)
    os.close(slave)


def test_reader_over_a_pty(pty_pair: tuple[int, str]) -> None:
    master, path = pty_pair
    reader = MrzSerialReader(path)
    with pytest.raises(DeviceNotOpen):
        reader.read_mrz(0.1)
    reader.open()
    try:
        with pytest.raises(DeviceTimeout, match="no document"):
            reader.read_mrz(0.2)
        os.write(master, b"garbage\r\n" + "\r\n".join(TD3).encode()[:50])
        os.write(master, "\r\n".join(TD3).encode()[50:] + b"\r\n")
        assert reader.read_mrz(2.0) == TD3
    finally:
        reader.close()
        reader.close()
