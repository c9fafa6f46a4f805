"""A throwaway daemon (`authscan serve` subprocess) for the desk's tests and screenshots."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

PASSWORD = "desk-test-password"
USERS = (("carla", "clerk"), ("rita", "reviewer"), ("ada", "admin"))


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Daemon:
    """A running daemon: its URL, its folders and its process."""

    root: Path
    reader_url: str
    port: int = field(default_factory=free_port)
    extra_toml: str = ""  # appended: e.g. another [[casefile.targets]]
    max_attempts: int = 10
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The base URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def hotfolder(self) -> Path:
        """Where the case files arrive."""
        return self.root / "casefiles"

    @property
    def config(self) -> Path:
        """The TOML config file."""
        return self.root / "authscan.toml"

    def _authscan(self, *args: str) -> None:
        subprocess.run([sys.executable, "-m", "scanner.cli", *args], check=True,
                       capture_output=True, env=self._env())

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AUTHSCAN_")}
        env["OMP_NUM_THREADS"] = "1"
        return env

    def start(self) -> Daemon:
        """Write the config, create the users, start and wait until /healthz answers."""
        self.prepare()
        self.launch()
        return self.wait_ready()

    def prepare(self) -> None:
        """Write the config and create the users."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.hotfolder.mkdir(exist_ok=True)
        self.config.write_text(
            f'data_dir = "{self.root / "data"}"\n[server]\nport = {self.port}\n'
            f'[reader]\ntype = "sim"\nurl = "{self.reader_url}"\n'
            f'[casefile]\npoll_interval_s = 0.3\nmax_attempts = {self.max_attempts}\n'
            f'[[casefile.targets]]\ntype = "hotfolder"\nname = "dms"\n'
            f'path = "{self.hotfolder}"\n{self.extra_toml}', encoding="utf-8")
        password = self.root / "password"
        password.write_text(PASSWORD, encoding="utf-8")
        for name, role in USERS:
            self._authscan("users", "--config", str(self.config), "add", name, "--role", role,
                           "--password-file", str(password))

    def launch(self) -> None:
        """Start the daemon process without waiting."""
        with (self.root / "serve.log").open("wb") as log:  # the child keeps its own handle
            self.process = subprocess.Popen(
                [sys.executable, "-m", "scanner.cli", "serve", "--config", str(self.config)],
                stdout=log, stderr=subprocess.STDOUT, env=self._env())

    def wait_ready(self) -> Daemon:
        """Wait until /healthz answers."""
        assert self.process is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the daemon exited: see {self.root / 'serve.log'}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the daemon did not answer within 60 s")

    def stop(self) -> None:
        """Stop the daemon (SIGTERM, then SIGKILL)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
