"""`serve --check-config`, `audit verify` on a tampered store, TLS off loopback, hot folder."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from scanner.casefile.connectors import HotfolderConnector
from scanner.casefile.payload import CaseFile
from scanner.cli import main
from scanner.settings import HotfolderTarget, load_settings
from scanner.store import Store, audit


def _config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "authscan.toml"
    path.write_text(f'data_dir = "{tmp_path / "data"}"\n{body}')
    return path


def test_check_config_ok_and_errors_with_key_paths(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    good = _config(tmp_path, '[[casefile.targets]]\ntype = "hotfolder"\npath = "/srv/dms"\n')
    assert main(["serve", "--config", str(good), "--check-config"]) == 0
    assert capsys.readouterr().out.startswith("OK")
    bad = _config(tmp_path, '[server]\nport = 0\nhots = "x"\n[[casefile.targets]]\n'
                  'type = "ftp"\n')
    assert main(["serve", "--config", str(bad), "--check-config"]) == 2
    err = capsys.readouterr().err
    assert "server.port:" in err and "server.hots: Extra inputs" in err
    assert "casefile.targets.0:" in err and "'ftp'" in err


def test_serve_refuses_plain_http_off_loopback(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config(tmp_path, "")
    assert main(["serve", "--config", str(cfg), "--host", "0.0.0.0", "--check-config"]) == 2
    assert "tls_cert" in capsys.readouterr().err


def test_env_overrides(tmp_path: Path) -> None:
    settings = load_settings(_config(tmp_path, ""), environ={"AUTHSCAN_SERVER__PORT": "9000"})
    assert settings.server.port == 9000 and settings.server.is_loopback()


def test_users_add_and_audit_verify_detects_tampering(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config(tmp_path, "")
    (tmp_path / "pw").write_text("admin-password\n")
    for name in ("ada", "bert", "cora"):
        assert main(["users", "--config", str(cfg), "add", name, "--role", "admin",
                     "--password-file", str(tmp_path / "pw")]) == 0
    assert main(["audit", "verify", "--config", str(cfg)]) == 0
    assert "3 rows" in capsys.readouterr().out
    db = sqlite3.connect(tmp_path / "data" / "authscan.db")
    with db:
        db.execute("UPDATE audit_log SET detail = 'user_id=9 role=clerk' WHERE seq = 1")
        db.execute("DELETE FROM audit_log WHERE seq = 2")
    db.close()
    assert main(["audit", "verify", "--config", str(cfg)]) == 1
    err = capsys.readouterr().err
    assert "audit row 1: changed" in err and "audit row 2: row 2 deleted" in err
    store = Store(f"sqlite:///{tmp_path / 'data' / 'authscan.db'}")
    with store.session() as session:
        assert len(audit.verify(session)[1]) == 2
    store.dispose()


def test_hotfolder_writes_pdf_json_xml_atomically(tmp_path: Path) -> None:
    import io  # noqa: PLC0415

    from PIL import Image  # noqa: PLC0415

    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(buffer, format="PNG")
    case = CaseFile(key="k" * 32, scan_id="s" * 32, images={"uv": buffer.getvalue()},
                    metadata={"scan_id": "s" * 32, "verdict": "fail", "case_ref": "AZ-9",
                              "reasons": [{"id": "uv_dull_substrate", "status": "failed",
                                           "reason": "paper glows"}],
                              "checks": [{"id": "uv_dull_substrate", "status": "failed",
                                          "light": "uv", "region": [10, 10, 100, 50],
                                          "reason": "paper glows"}]})
    connector = HotfolderConnector(HotfolderTarget(type="hotfolder", path=tmp_path / "dms"))
    connector.deliver(case)
    connector.deliver(case)  # a repeat overwrites the same names: still one case file
    names = sorted(p.name for p in (tmp_path / "dms").iterdir())
    stem = f"authscan-{'s' * 32}-kkkkkkkk"
    assert names == [f"{stem}.json", f"{stem}.pdf", f"{stem}.xml"]
    assert (tmp_path / "dms" / f"{stem}.pdf").read_bytes().startswith(b"%PDF")
    assert json.loads((tmp_path / "dms" / f"{stem}.json").read_text())["case_ref"] == "AZ-9"
    assert b"<verdict>fail</verdict>" in (tmp_path / "dms" / f"{stem}.xml").read_bytes()
