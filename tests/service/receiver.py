"""A case-file receiver on loopback that records idempotency keys, like a DMS REST endpoint."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    """Stores each Idempotency-Key once; can hang on its first request (to kill the sender)."""

    def __init__(self, port: int, secret: bytes, hang_first: bool = False) -> None:
        self.secret = secret
        self.stored: dict[str, dict[str, Any]] = {}
        self.requests: Counter[str] = Counter()
        self.bad_signatures = 0
        self.hang_first = hang_first
        self.first_arrived = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                receiver.handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        """Check the signature, store the case file under its key once, then acknowledge."""
        body = request.rfile.read(int(request.headers["Content-Length"]))
        key = request.headers["Idempotency-Key"]
        expected = "sha256=" + hmac.new(self.secret, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, request.headers.get("X-Authscan-Signature", "")):
            self.bad_signatures += 1
            request.send_response(401)
            request.end_headers()
            return
        meta_start = body.index(b"{")
        metadata = json.JSONDecoder().raw_decode(body[meta_start:].decode("utf-8", "replace"))[0]
        with self._lock:
            self.requests[key] += 1
            first = len(self.requests) == 1 and self.requests[key] == 1
            if key not in self.stored:
                self.stored[key] = {"scan_id": metadata["scan_id"], "pdf": b"%PDF" in body}
        if first and self.hang_first:
            self.first_arrived.set()
            self.release.wait(30)  # the sender is killed while waiting for this ack
        request.send_response(200)
        request.end_headers()

    def start(self) -> None:
        """Serve in a thread."""
        self.thread.start()

    def stop(self) -> None:
        """Stop serving."""
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
