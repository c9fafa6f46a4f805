"""Exactly-once delivery to a real HTTP receiver, with the receiver down and the daemon killed."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from scanner.store import Store, outbox, scans
from scanner.store.crypto import load_key
from tests.service.receiver import Receiver

ROOT = Path(__file__).resolve().parents[2]
SECRET = b"test-hmac-secret"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _call(url: str, body: dict[str, Any] | None = None,
          token: str | None = None) -> dict[str, Any]:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        answer: dict[str, Any] = json.loads(response.read())
        return answer


def _up(url: str) -> bool:
    try:
        return bool(_call(f"{url}/healthz")["status"] == "ok")
    except (urllib.error.URLError, OSError):
        return False


class Daemon:
    """`python -m scanner.cli serve` as a child process."""

    def __init__(self, config: Path, log: Path) -> None:
        self.config, self.log = config, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start and return at once."""
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "scanner.cli", "serve", "--config", str(self.config)],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)

    def kill(self, sig: int) -> None:
        """Send a signal and reap."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(15)


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[dict[str, Any]]:
    api_port, dms_port = _free_port(), _free_port()
    (tmp_path / "secret").write_bytes(SECRET)
    (tmp_path / "password").write_text("clerk-password\n")
    config = tmp_path / "authscan.toml"
    config.write_text(f"""
data_dir = "{tmp_path / 'data'}"
[server]
port = {api_port}
[reader]
type = "url"
url = "sim:?dpi=200"
[casefile]
max_attempts = 100
backoff_base_s = 0.2
backoff_max_s = 0.5
poll_interval_s = 0.2
[[casefile.targets]]
type = "http"
name = "dms"
url = "http://127.0.0.1:{dms_port}/casefile"
secret_file = "{tmp_path / 'secret'}"
""")
    daemon = Daemon(config, tmp_path / "daemon.log")
    env = {"config": config, "api": f"http://127.0.0.1:{api_port}", "dms_port": dms_port,
           "daemon": daemon, "tmp": tmp_path}
    yield env
    daemon.kill(signal.SIGTERM)


def test_every_result_arrives_exactly_once_despite_outage_and_sigkill(
        setup: dict[str, Any]) -> None:
    tmp, api, daemon = setup["tmp"], setup["api"], setup["daemon"]
    added = subprocess.run(
        [sys.executable, "-m", "scanner.cli", "users", "--config", str(setup["config"]), "add",
         "carla", "--role", "clerk", "--password-file", str(tmp / "password")],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert added.returncode == 0, added.stderr
    # Scans already waiting in the outbox when the daemon starts.
    store = Store(f"sqlite:///{tmp / 'data' / 'authscan.db'}")
    cipher = load_key(tmp / "data" / "image.key", create=True)  # the daemon finds it
    assert (tmp / "data" / "image.key").stat().st_mode & 0o777 == 0o600
    seeded = [scans.new_scan_id() for _ in range(4)]
    with store.write() as session:
        for scan_id in seeded:
            new = scans.NewScan(id=scan_id, result={"verdict": "pass", "reasons": [],
                                                    "document": {"model": "UTO-P"},
                                                    "checks": [], "mrz": None},
                                images={}, captured_at=datetime.now(UTC), device="sim")
            scans.save_scan(session, new, cipher, targets=["dms"], actor="test",
                            now=datetime.now(UTC))

    daemon.start()  # the receiver is down: every attempt is refused and retried
    _wait(lambda: _up(api), 30, "the daemon")
    token = _call(f"{api}/api/login", {"username": "carla", "password": "clerk-password"})[
        "token"]
    scan_id = _call(f"{api}/api/scans", {"case_ref": "AZ-2026-17"}, token)["scan_id"]
    _wait(lambda: "result" in _call(f"{api}/api/scans/{scan_id}", token=token), 60, "the scan")

    def attempts() -> list[int]:
        with store.session() as session:
            return [i.attempts for i in outbox.listing(session, "pending")]

    _wait(lambda: len(attempts()) == 5 and min(attempts()) >= 2, 30, "failed attempts")

    receiver = Receiver(setup["dms_port"], SECRET, hang_first=True)
    receiver.start()
    try:
        assert receiver.first_arrived.wait(30), "no delivery after the receiver came up"
        daemon.kill(signal.SIGKILL)  # the receiver has the case file; the ack never arrives
        receiver.release.set()
        daemon.start()
        _wait(lambda: _up(api), 30, "the restarted daemon")

        def delivered() -> int:
            with store.session() as session:
                return len(outbox.listing(session, "delivered"))

        _wait(lambda: delivered() == 5, 60, "all deliveries")
    finally:
        receiver.stop()
    with store.session() as session:
        keys = {i.id: i.scan_id for i in outbox.listing(session)}
    assert set(receiver.stored) == set(keys)  # every result, under its stable key
    assert sorted(v["scan_id"] for v in receiver.stored.values()) == sorted([*seeded, scan_id])
    assert all(v["pdf"] for v in receiver.stored.values())
    assert receiver.bad_signatures == 0
    assert sorted(receiver.requests.values()).count(2) >= 1  # the killed delivery came again
    store.dispose()
    assert (tmp / "daemon.log").stat().st_size < 100_000
