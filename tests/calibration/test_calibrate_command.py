"""`authscan calibrate`: from reference folders, from a simulated reader, refusing bad steps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drivers.capture import Capture, write_capture
from drivers.specimen import render_specimen
from drivers.specimen.references import write_reference_set
from scanner.cli import main
from tests.calibration.conftest import DPI, DRIFTED


@pytest.fixture
def reference_dir(tmp_path: Path, references: dict[str, Capture]) -> Path:
    """The drifted reader's references as capture folders."""
    return write_reference_set(tmp_path / "refs", references)


def test_from_folders_saves_profile_and_report(reference_dir: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    assert main(["calibrate", "--from", str(reference_dir), "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "[4/4] white reference card: ok" in out and "uv 69 %" in out
    manifests = list((data / "calibration" / "0001").glob("*.json"))
    assert len(manifests) == 1
    assert json.loads(manifests[0].read_text())["schema"] == 1
    assert manifests[0].with_name(manifests[0].stem + "-report.png").is_file()
    assert manifests[0].with_name(manifests[0].stem + "-report.pdf").is_file()
    assert "calibration" in (data / "health.csv").read_text()


def test_wrong_card_refused_and_nothing_saved(reference_dir: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    for kind in ("dark", "uv", "target"):
        (reference_dir / kind).rename(wrong / kind)
    write_capture(render_specimen(1, dpi=DPI, conditions=DRIFTED)[0], wrong / "white")
    data = tmp_path / "data"
    assert main(["calibrate", "--from", str(wrong), "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert "refused at step white" in err and "not uniform" in err and "nothing saved" in err
    assert not data.exists()


def test_device_sim_reader_with_reference_folders(reference_dir: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    profiles = tmp_path / "profiles"
    code = main(["calibrate", "--device", f"sim:?source={reference_dir}", "--yes",
                 "--profiles", str(profiles), "--data", str(tmp_path / "data")])
    assert code == 0, capsys.readouterr().err
    assert list((profiles / "SIM-0001").glob("*.json"))


def test_device_showing_a_passport_refused(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["calibrate", "--device", "sim:?dpi=150", "--yes", "--data", str(tmp_path)])
    assert code == 2
    assert "refused at step dark" in capsys.readouterr().err
    assert not (tmp_path / "calibration").exists()


def test_simulate_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["calibrate", "--simulate-drift", "vignetting=0.25,ir=0.15,uv=-0.3,dark=0.03",
                 "--dpi", "150", "--data", str(tmp_path)])
    assert code == 0
    assert "ir 114 %" in capsys.readouterr().out
