"""LED boards that switch a camera build's white, IR and UV lights over a tiny text protocol.

Host sends `L W1\\n` (white on, the others off), `L I1`, `L U1`, `L 0` (all off) or `?`;
the board answers `OK\\n` (`OK W`, `OK I`, `OK U`, `OK 0` to `?`) or `ERR reason\\n`.
`LedBoardSimulator` serves the same protocol on a pty for tests; `SimLedBoard` is in-process.
"""

from __future__ import annotations

import os
import select
import threading
import time
import tty
from typing import Protocol

from drivers.errors import DeviceError
from drivers.link import PortFactory, SerialPort, open_serial
from drivers.reader import DeviceDisconnected, DeviceNotFound, DeviceNotOpen, DeviceTimeout

CODES = {"white": "W", "ir": "I", "uv": "U"}
LIGHTS_BY_CODE = {v: k for k, v in CODES.items()}


class LedControl(Protocol):
    """Anything that switches exactly one light on, or all off (None)."""

    def open(self) -> None:
        """Connect."""

    def close(self) -> None:
        """Release; safe twice."""

    def set(self, light: str | None) -> None:
        """Switch `light` on and the others off; None switches all off."""


def command(light: str | None) -> bytes:
    """The command line for a light (None: all off)."""
    return b"L 0\n" if light is None else f"L {CODES[light]}1\n".encode()


class LedBoard:
    """An LED board on a serial port."""

    def __init__(self, port: str, *, timeout: float = 0.5, attempts: int = 3,
                 port_factory: PortFactory = open_serial) -> None:
        self.path, self.timeout, self.attempts = port, timeout, attempts
        self._factory = port_factory
        self._port: SerialPort | None = None

    def open(self) -> None:
        """Open the port."""
        if self._port is None:
            try:
                self._port = self._factory(self.path)
            except Exception as err:
                raise DeviceNotFound(f"LED board {self.path}: cannot open ({err})") from err

    def close(self) -> None:
        """Close the port; safe to call twice."""
        port, self._port = self._port, None
        if port is not None:
            port.close()

    def set(self, light: str | None) -> None:
        """Switch a light; retries on silence, `DeviceError` on `ERR`."""
        if self._port is None:
            raise DeviceNotOpen(f"LED board {self.path} is not open; call open() first")
        if light is not None and light not in CODES:
            raise ValueError(f"unknown light {light!r}; lights are {', '.join(CODES)}")
        for _ in range(self.attempts):
            try:
                self._port.write(command(light))
                answer = self._line(self._port, time.monotonic() + self.timeout)
            except (DeviceTimeout, UnicodeDecodeError):
                continue
            if answer == "OK":
                return
            raise DeviceError(f"LED board {self.path}: {answer or 'empty answer'}")
        raise DeviceTimeout(f"LED board {self.path}: no answer within {self.timeout:g} s "
                            f"({self.attempts} attempts)")

    def _line(self, port: SerialPort, until: float) -> str:
        buf = bytearray()
        while time.monotonic() < until:
            try:
                buf += port.read(1)
            except Exception as err:
                raise DeviceDisconnected(f"LED board {self.path}: disconnected ({err})") from err
            if buf.endswith(b"\n"):
                return buf.decode("ascii").strip()
        raise DeviceTimeout(f"LED board {self.path}: no answer")


class SimLedBoard:
    """An in-process LED board: remembers which light is on."""

    def __init__(self) -> None:
        self.lit: str | None = None

    def open(self) -> None:
        """Nothing to connect."""

    def close(self) -> None:
        """Nothing to release."""

    def set(self, light: str | None) -> None:
        """Switch a light."""
        self.lit = light


class LedBoardSimulator:
    """Serves the LED board protocol on a pty; `lit` says which light is on."""

    def __init__(self) -> None:
        self.lit: str | None = None
        self.broken: str | None = None  # when set, every light command fails with this reason
        self._stop = threading.Event()
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.port = os.ttyname(self._slave)
        self._thread = threading.Thread(target=self._serve, name="led-board-sim", daemon=True)

    def start(self) -> str:
        """Serve in a daemon thread; return the port."""
        self._thread.start()
        return self.port

    def stop(self) -> None:
        """Stop and close the pty."""
        self._stop.set()
        self._thread.join(timeout=2)
        os.close(self._master)
        os.close(self._slave)

    def _serve(self) -> None:
        buf = b""
        while not self._stop.is_set():
            if not select.select([self._master], [], [], 0.05)[0]:
                continue
            buf += os.read(self._master, 1024)
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                os.write(self._master, self._answer(line.decode("ascii", "replace").strip()))

    def _answer(self, line: str) -> bytes:
        if line == "?":
            return f"OK {CODES.get(self.lit or '', '0')}\n".encode()
        if self.broken and line.startswith("L "):
            return f"ERR {self.broken}\n".encode()
        if line == "L 0":
            self.lit = None
            return b"OK\n"
        if len(line) == 4 and line[:2] == "L " and line[2] in LIGHTS_BY_CODE and line[3] in "01":
            light = LIGHTS_BY_CODE[line[2]]
            self.lit = light if line[3] == "1" else (None if self.lit == light else self.lit)
            return b"OK\n"
        return b"ERR unknown command\n"
