"""The simulated reader's firmware: answers protocol requests from one page at a time."""

from __future__ import annotations

import json
import logging
import os
import random
import select
import threading
import time

from drivers.capture import LIGHTS
from drivers.faults import Faults
from drivers.imaging import ImageInfo, chunk, encode_image
from drivers.pages import Page, PageSource
from drivers.protocol import (
    CHUNK_HEAD,
    LIGHT_NAMES,
    PROTOCOL_VERSION,
    ErrorCode,
    Frame,
    FrameDecoder,
    MsgType,
    chunk_payload,
    encode,
    error_payload,
)
from drivers.reader import ReaderIdentity

log = logging.getLogger(__name__)
STALL_S = 2.0  # give up a response when the host has read nothing for this long
DEFAULT_IDENTITY = ReaderIdentity("UTO-SIM-1", "SIM-0001", "1.0.0-sim")


class Unplug(Exception):
    """The device vanishes now (fault injection); the pty is to be closed."""


class _Stalled(Exception):
    """The host stopped reading; the rest of this response is abandoned."""


class SimDevice:
    """Protocol state machine of the simulated reader (pages, captured images, faults)."""

    def __init__(self, pages: PageSource, faults: Faults, *, encoding: str = "raw",
                 identity: ReaderIdentity | None = None, rng: random.Random | None = None) -> None:
        self.pages = pages
        self.faults = faults
        self.encoding = encoding
        self.identity = identity or DEFAULT_IDENTITY
        self.rng = rng or random.Random(0)
        self.last_page: Page | None = None
        self.chunks_sent = 0
        self._unplugged = False
        self._next: Page | None = None
        self._error = ""
        self._ready = threading.Event()
        self._images: dict[str, tuple[ImageInfo, bytes]] = {}
        self._pending: set[str] = set()  # lights whose image was not yet streamed in full
        self._capture_reply: tuple[int, bytes] | None = None
        self._light = "off"
        self._fd = -1
        self._stop = threading.Event()

    def prepare(self, wait: bool = False) -> None:
        """Place the next document on the glass (render or read it) in the background."""
        self._ready.clear()
        worker = threading.Thread(target=self._load, name="sim-page", daemon=True)
        worker.start()
        if wait:
            worker.join()

    def wait_ready(self, timeout: float) -> bool:
        """True once the next document is ready."""
        return self._ready.wait(timeout)

    def _load(self) -> None:
        try:
            self._next, self._error = self.pages.next_page(), ""
        except Exception as err:  # a bad folder or renderer option becomes NO_DOCUMENT
            self._next, self._error = None, f"no document: {err}"
        self._ready.set()

    def serve(self, fd: int, stop: threading.Event) -> None:
        """Answer requests on the pty master `fd` until `stop` is set; raises `Unplug`."""
        self._fd, self._stop = fd, stop
        decoder = FrameDecoder()
        while not stop.is_set():
            readable, _, _ = select.select([fd], [], [], 0.1)
            if not readable:
                continue
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                continue
            except OSError:  # no host has the port open: nothing to answer
                time.sleep(0.05)
                continue
            for frame in decoder.feed(data):
                if stop.is_set():
                    return
                try:
                    self._handle(frame)
                except _Stalled:
                    log.warning("host stopped reading; response abandoned")

    def _handle(self, frame: Frame) -> None:
        kind, seq, payload = frame.type, frame.seq, frame.payload
        if kind == MsgType.IDENTIFY:
            ident = {"model": self.identity.model, "serial": self.identity.serial,
                     "firmware": self.identity.firmware, "protocol": PROTOCOL_VERSION}
            self._answer(MsgType.IDENTITY, seq, json.dumps(ident).encode())
        elif kind == MsgType.STATUS:
            status = {"lid_closed": not self.faults.lid_open, "errors": [],
                      "leds_ok": dict.fromkeys(LIGHTS, True)}
            self._answer(MsgType.STATUS_REPORT, seq, json.dumps(status).encode())
        elif kind == MsgType.LID:
            self._answer(MsgType.LID_STATE, seq, bytes([0 if self.faults.lid_open else 1]))
        elif kind == MsgType.SET_LIGHT:
            light = payload.decode("ascii", "replace")
            if light not in (*LIGHTS, "off"):
                self._error_answer(seq, ErrorCode.BAD_ARGUMENT, f"unknown light {light!r}")
                return
            self._light = light
            self._answer(MsgType.ACK, seq)
        elif kind == MsgType.CAPTURE:
            self._capture(seq, payload)
        elif kind == MsgType.SEND_IMAGE:
            self._send_image(seq, payload.decode("ascii", "replace"))
        elif kind == MsgType.GET_CHUNK:
            self._get_chunk(seq, payload)
        elif kind == MsgType.READ_MRZ:
            page = self.last_page or self._next
            lines = page.mrz if page is not None and page.mrz else ()
            self._answer(MsgType.MRZ, seq, "\n".join(lines).encode("ascii", "replace"))
        else:
            self._error_answer(seq, ErrorCode.UNKNOWN_COMMAND, f"unknown command 0x{kind:02x}")

    def _capture(self, seq: int, payload: bytes) -> None:
        if self._capture_reply is not None and self._capture_reply[0] == seq:
            self._answer(MsgType.CAPTURED, seq, self._capture_reply[1])  # a retransmission
            return
        lights = payload.decode("ascii", "replace").split(",")
        if not lights or any(light not in LIGHTS for light in lights):
            self._error_answer(seq, ErrorCode.BAD_ARGUMENT, "lights must be white, ir, uv")
            return
        if self._pending:  # the last capture was never fetched in full: a new document
            self.prepare(wait=True)
        self._ready.wait(120)
        page = self._next
        if page is None:
            self._error_answer(seq, ErrorCode.NO_DOCUMENT, self._error or "no document")
            return
        self.last_page = page
        cap = page.capture
        self._images = {light: encode_image(light, getattr(cap, light), self.encoding)
                        for light in lights}
        self._pending = set(lights)
        reply = json.dumps({"captured_at": cap.captured_at.isoformat(), "dpi": cap.dpi,
                            "exposure_ms": cap.exposure_ms,
                            "images": [info.to_json() for info, _ in self._images.values()]})
        self._capture_reply = (seq, reply.encode())
        self._answer(MsgType.CAPTURED, seq, reply.encode())

    def _send_image(self, seq: int, light: str) -> None:
        if light not in self._images:
            self._error_answer(seq, ErrorCode.NO_IMAGE, f"no captured {light!r} image")
            return
        info = self._images[light][0]
        for index in range(info.chunks):
            self._send_chunk(seq, light, index)
        self._pending.discard(light)
        if not self._pending:
            self.prepare()  # the clerk lifts the page and places the next document

    def _get_chunk(self, seq: int, payload: bytes) -> None:
        if len(payload) != CHUNK_HEAD.size:
            self._error_answer(seq, ErrorCode.BAD_ARGUMENT, "GET_CHUNK needs light id, index")
            return
        light_id, index = CHUNK_HEAD.unpack(payload)
        light = LIGHT_NAMES.get(light_id, "?")
        if light not in self._images or index >= self._images[light][0].chunks:
            self._error_answer(seq, ErrorCode.NO_IMAGE, f"no chunk {index} of {light!r}")
            return
        self._send_chunk(seq, light, index)

    def _send_chunk(self, seq: int, light: str, index: int) -> None:
        info, data = self._images[light]
        self.chunks_sent += 1
        unplug_at = self.faults.unplug_after
        if unplug_at is not None and not self._unplugged and self.chunks_sent > unplug_at:
            self._unplugged = True
            raise Unplug
        if self.faults.slow:
            self._stop.wait(self.faults.slow / 10)
        self._write(encode(MsgType.CHUNK, seq,
                           chunk_payload(light, index, chunk(data, info.chunk_size, index))))

    def _error_answer(self, seq: int, code: ErrorCode, message: str) -> None:
        self._answer(MsgType.ERROR, seq, error_payload(code, message))

    def _answer(self, kind: int, seq: int, payload: bytes = b"") -> None:
        if self.faults.slow:
            self._stop.wait(self.faults.slow)
        self._write(encode(kind, seq, payload))

    def _write(self, frame: bytes) -> None:
        data = memoryview(self.faults.mangle(frame, self.rng))
        stalled_since = time.monotonic()
        while data:
            if self._stop.is_set():
                raise _Stalled
            _, writable, _ = select.select([], [self._fd], [], 0.1)
            if not writable:
                if time.monotonic() - stalled_since > STALL_S:
                    raise _Stalled
                continue
            try:
                sent = os.write(self._fd, data)
            except BlockingIOError:
                continue
            data, stalled_since = data[sent:], time.monotonic()
