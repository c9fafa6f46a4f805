"""`authscan scan`: bad inputs get one clear line on stderr and the other captures go on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drivers.capture import write_capture
from drivers.specimen import render_specimen
from scanner.cli import main


@pytest.fixture(scope="module")
def genuine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    capture, label = render_specimen(7001, model="UTO-P", dpi=300)
    return write_capture(capture, tmp_path_factory.mktemp("scan") / "genuine",
                         extra={"label.json": label})


def test_json_lines_in_order_and_errors_on_stderr(genuine: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("capture.json", "white.png", "ir.png", "uv.png"):
        (broken / name).write_bytes((genuine / name).read_bytes())
    data = (broken / "ir.png").read_bytes()
    (broken / "ir.png").write_bytes(data[: len(data) // 3])
    status = main(["scan", "--json", str(genuine), str(tmp_path / "missing"), str(broken),
                   str(genuine)])
    out, err = capsys.readouterr()
    assert status == 1
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["path"] for line in lines] == [str(genuine), str(genuine)]
    first = lines[0]
    assert first["verdict"] in ("pass", "review", "fail")
    assert {"path", "verdict", "document", "mrz", "checks", "stamps", "timings_ms"} <= set(first)
    assert {c["id"] for c in first["checks"]} >= {"mrz_check_digits", "mrz_ir_b900",
                                                  "uv_dull_substrate", "document_expiry"}
    for check in first["checks"]:
        assert check["status"] in ("passed", "failed", "undetermined", "not_performed",
                                   "aborted")
        assert check["region"] is None or len(check["region"]) == 4
    assert "missing" in err and "no such directory" in err
    assert "ir.png" in err and "truncated or corrupt" in err
    assert "Traceback" not in err


def test_human_output_names_the_verdict(genuine: Path, capsys: pytest.CaptureFixture[str]) \
        -> None:
    assert main(["scan", "--lang", "de", str(genuine)]) == 0
    out = capsys.readouterr().out
    assert any(word in out for word in ("ECHT", "PRÜFEN", "FALSCH"))
    assert "mrz_check_digits" in out


def test_scan_from_the_simulated_reader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) \
        -> None:
    status = main(["scan", "--json", "--device", "sim:?model=UTO-P&seed=7002&dpi=300",
                   "--save", str(tmp_path)])
    out, err = capsys.readouterr()
    assert status == 0, err
    result = json.loads(out)
    assert result["document"]["model"] == "UTO-P"
    saved = list(tmp_path.iterdir())
    assert len(saved) == 1 and (saved[0] / "capture.json").is_file()
    assert result["path"] == str(saved[0])


def test_bad_device_url_says_what_works(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "--device", "usb0"]) == 2
    err = capsys.readouterr().err
    assert "usb0" in err and "sim:" in err
