"""Connectors to the case file, chosen by the `type` of each `[[casefile.targets]]` entry."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import ssl
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Protocol

from scanner.casefile.payload import CaseFile
from scanner.casefile.report import render_report
from scanner.settings import CaseFileTarget, HotfolderTarget, HttpTarget, HubTarget

SIGNATURE_HEADER = "X-Authscan-Signature"


class DeliveryError(Exception):
    """The target did not acknowledge; the outbox tries again later."""


class Connector(Protocol):
    """Delivers one case file; returns only once the target has acknowledged it."""

    name: str

    def deliver(self, case: CaseFile) -> None:
        """Send the case file; raises `DeliveryError` when not acknowledged."""


def _write_atomic(folder: Path, name: str, data: bytes) -> None:
    tmp = folder / f".{name}.part"
    with tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(folder / name)


class HotfolderConnector:
    """PDF, XML and JSON into the DMS import folder: temp name, fsync, rename (JSON last)."""

    def __init__(self, cfg: HotfolderTarget) -> None:
        self.name = cfg.name
        self.folder = cfg.path

    def deliver(self, case: CaseFile) -> None:
        """Write the three files; the same key always gives the same names (no duplicates)."""
        stem = f"authscan-{case.scan_id}-{case.key[:8]}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(self.folder, f"{stem}.pdf", render_report(case))
            _write_atomic(self.folder, f"{stem}.xml", case.metadata_xml())
            _write_atomic(self.folder, f"{stem}.json", case.metadata_json())
            dir_fd = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError as err:
            raise DeliveryError(f"hot folder {self.folder}: {err.strerror or err}") from err


def _multipart(parts: list[tuple[str, str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    chunks: list[bytes] = []
    for field, filename, ctype, data in parts:
        chunks.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; "
                      f"filename=\"{filename}\"\r\nContent-Type: {ctype}\r\n\r\n".encode())
        chunks += [data, b"\r\n"]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float,
          context: ssl.SSLContext | None = None) -> bytes:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
            data: bytes = response.read()
            return data
    except urllib.error.HTTPError as err:
        raise DeliveryError(f"{url} answered HTTP {err.code}") from err
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise DeliveryError(f"{url} not reachable: {reason}") from err


def sign(secret: bytes, body: bytes) -> str:
    """The signature header value: `sha256=` and the hex HMAC of the body."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


class HttpConnector:
    """POST multipart JSON + PDF with an HMAC-SHA256 signature and an Idempotency-Key."""

    def __init__(self, cfg: HttpTarget) -> None:
        self.name = cfg.name
        self.url = cfg.url
        self.timeout = cfg.timeout_s
        self.secret = cfg.secret_file.read_bytes().strip() if cfg.secret_file else None

    def deliver(self, case: CaseFile) -> None:
        """One POST; a 2xx is the acknowledgement."""
        body, ctype = _multipart([
            ("metadata", "metadata.json", "application/json", case.metadata_json()),
            ("report", "report.pdf", "application/pdf", render_report(case))])
        headers = {"Content-Type": ctype, "Idempotency-Key": case.key}
        if self.secret is not None:
            headers[SIGNATURE_HEADER] = sign(self.secret, body)
        _post(self.url, body, headers, self.timeout)


class HubConnector:
    """Forward the scan (result and images) to another authscan daemon's ingest API."""

    def __init__(self, cfg: HubTarget) -> None:
        self.name = cfg.name
        self.base = cfg.url.rstrip("/")
        self.username = cfg.username
        self.password = cfg.password_file.read_text(encoding="utf-8").strip()
        self.timeout = cfg.timeout_s
        self.context = ssl.create_default_context(cafile=cfg.ca_file) if cfg.ca_file else None

    def _login(self) -> str:
        body = json.dumps({"username": self.username, "password": self.password}).encode()
        answer = _post(f"{self.base}/api/login", body, {"Content-Type": "application/json"},
                       self.timeout, self.context)
        try:
            return str(json.loads(answer)["token"])
        except (ValueError, KeyError) as err:
            raise DeliveryError("the hub's login answer has no token") from err

    def deliver(self, case: CaseFile) -> None:
        """Log in, then POST to /api/hub/ingest; the hub stores each scan id once."""
        meta: dict[str, Any] = case.metadata
        body = json.dumps({
            "scan_id": case.scan_id, "result": meta["result"], "device": meta["device"],
            "captured_at": meta["captured_at"], "case_ref": meta.get("case_ref"),
            "images": {k: base64.b64encode(v).decode() for k, v in case.images.items()},
        }).encode()
        headers = {"Content-Type": "application/json", "Idempotency-Key": case.key,
                   "Authorization": f"Bearer {self._login()}"}
        _post(f"{self.base}/api/hub/ingest", body, headers, self.timeout, self.context)


def make_connector(cfg: CaseFileTarget) -> Connector:
    """The connector for one configured target."""
    if isinstance(cfg, HotfolderTarget):
        return HotfolderConnector(cfg)
    if isinstance(cfg, HttpTarget):
        return HttpConnector(cfg)
    return HubConnector(cfg)
