"""The `mrz-serial` driver: swipe or desktop MRZ readers that send the MRZ as text lines.

Such readers send each MRZ line ending in CR or CR LF, some frame a document with STX ... ETX.
The parser keeps only characters of the MRZ alphabet, drops lines of impossible length
(noise, partial lines after a power-up), and returns the lines of one document: two of 44
(TD3) or 36 (TD2) characters, or three of 30 (TD1).
"""

from __future__ import annotations

import re
import threading
import time

from drivers.link import PortFactory, SerialPort, open_serial
from drivers.reader import DeviceDisconnected, DeviceNotFound, DeviceNotOpen, DeviceTimeout

LINES_BY_LENGTH = {44: 2, 36: 2, 30: 3}
STX, ETX = 0x02, 0x03
_NOT_MRZ = re.compile(r"[^A-Z0-9<]")
_FIRST = frozenset("ACIPV")  # document codes that begin the first MRZ line


class MrzLineParser:
    """Turns a noisy byte stream into whole MRZ documents."""

    def __init__(self) -> None:
        self._partial = bytearray()
        self._group: list[str] = []

    def feed(self, data: bytes) -> list[tuple[str, ...]]:
        """Add received bytes; return the documents now complete."""
        documents: list[tuple[str, ...]] = []
        for byte in data:
            if byte in (0x0D, 0x0A, ETX, STX):
                if byte == STX:
                    self._group.clear()
                line, self._partial = self._partial, bytearray()
                if line:
                    documents.extend(self._line(line.decode("ascii", "replace")))
                if byte == ETX:
                    self._group.clear()
            else:
                self._partial.append(byte)
                del self._partial[:-200]  # a line never gets longer than this; noise might
        return documents

    def _line(self, raw: str) -> list[tuple[str, ...]]:
        line = _NOT_MRZ.sub("", raw.strip().upper())
        count = LINES_BY_LENGTH.get(len(line))
        if count is None:
            self._group.clear()  # noise or a partial line: a document never spans it
            return []
        if self._group and len(self._group[0]) != len(line):
            self._group.clear()
        if not self._group and line[0] not in _FIRST:
            return []
        self._group.append(line)
        if len(self._group) == count:
            document, self._group = tuple(self._group), []
            return [document]
        return []


class MrzSerialReader:
    """Reads MRZ documents from a line-based reader on a serial port."""

    def __init__(self, port: str, *, port_factory: PortFactory = open_serial) -> None:
        self.path = port
        self._factory = port_factory
        self._port: SerialPort | None = None
        self._parser = MrzLineParser()
        self._queue: list[tuple[str, ...]] = []
        self._lock = threading.Lock()

    def open(self) -> None:
        """Open the port."""
        if self._port is None:
            try:
                self._port = self._factory(self.path)
            except Exception as err:
                raise DeviceNotFound(f"MRZ reader {self.path}: cannot open ({err})") from err

    def close(self) -> None:
        """Close the port; safe to call twice."""
        port, self._port = self._port, None
        if port is not None:
            port.close()

    def read_mrz(self, timeout: float = 30.0) -> tuple[str, ...]:
        """The MRZ lines of the next document swiped, waiting at most `timeout` seconds."""
        with self._lock:
            if self._port is None:
                raise DeviceNotOpen(f"MRZ reader {self.path} is not open; call open() first")
            until = time.monotonic() + timeout
            while not self._queue:
                if time.monotonic() >= until:
                    raise DeviceTimeout(f"MRZ reader {self.path}: no document within "
                                        f"{timeout:g} s")
                try:
                    data = self._port.read(max(1, self._port.in_waiting))
                except Exception as err:
                    raise DeviceDisconnected(f"MRZ reader {self.path}: device disconnected "
                                             f"({err})") from err
                self._queue.extend(self._parser.feed(data))
            return self._queue.pop(0)
