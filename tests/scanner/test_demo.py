"""`authscan demo`: renders, scans, prints the table and count, writes the overview."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from scanner.cli import main


def test_demo_reports_each_capture_and_the_count(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--count", "3", "--seed", "41", "--dpi", "200", "--out",
                 str(tmp_path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("000")]
    assert len(rows) == 3
    assert "counterfeit_copy" in rows[1] and "UTO-V" in rows[2]
    assert "right: " in out and "/3" in out
    run = next(tmp_path.iterdir())
    results = [json.loads(line) for line in (run / "results.jsonl").read_text().splitlines()]
    assert [r["verdict"] in ("pass", "review", "fail") for r in results] == [True] * 3
    with Image.open(run / "overview.png") as overview:
        assert overview.width > 400
