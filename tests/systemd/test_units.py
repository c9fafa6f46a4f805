"""The systemd files: the unit verifies cleanly and its hardening keeps a good score."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SYSTEMD = Path(__file__).resolve().parents[2] / "systemd"
needs_systemd = pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                                   reason="systemd-analyze is not installed")


@needs_systemd
def test_unit_verifies_without_warnings(tmp_path: Path) -> None:
    # ExecStart's program must exist for verify: point it at a stand-in
    fake = tmp_path / "authscan"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    unit = tmp_path / "authscan.service"
    unit.write_text((SYSTEMD / "authscan.service").read_text().replace("/usr/bin/authscan",
                                                                        str(fake)))
    done = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                          text=True, timeout=60, check=False)
    # verify exits 0 on unknown keys and bad values: any stderr line about our unit fails
    ours = [line for line in done.stderr.splitlines() if "authscan" in line]
    assert done.returncode == 0 and not ours, done.stderr


@needs_systemd
def test_unit_is_hardened() -> None:
    done = subprocess.run(["systemd-analyze", "security", "--offline=true",
                           str(SYSTEMD / "authscan.service")], capture_output=True, text=True,
                          timeout=60, check=False)
    score = next((line for line in done.stdout.splitlines() if "Overall exposure" in line), "")
    assert score, done.stdout + done.stderr
    assert float(score.split("level for authscan.service:")[1].split()[0]) <= 3.0, score


def test_sysusers_and_tmpfiles_name_the_same_user() -> None:
    users = (SYSTEMD / "authscan.sysusers.conf").read_text()
    folders = (SYSTEMD / "authscan.tmpfiles.conf").read_text()
    assert "u authscan" in users
    assert "authscan authscan" in folders
    assert "User=authscan" in (SYSTEMD / "authscan.service").read_text()
