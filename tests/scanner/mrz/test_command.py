"""Tests of `authscan mrz` through the real command line entry point."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from scanner import cli
from scanner.commands import mrz as mrz_command
from tests.scanner.mrz.render import render_page

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


def _main(argv: list[str]) -> int:
    """Run through scanner.cli.main; fall back to our own parser while sibling commands are
    still being written (the CLI imports every command module)."""
    try:
        cli.build_parser()
    except ModuleNotFoundError as err:
        if "scanner.commands" not in str(err):
            raise
        parser = argparse.ArgumentParser(prog="authscan")
        mrz_command.register(parser.add_subparsers(dest="command", required=True))
        args = parser.parse_args(argv)
        status: int = args.func(args)
        return status
    return cli.main(argv)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    paths = {"white": folder / "white.png", "ir16": folder / "ir16.png",
             "blank": folder / "blank.png", "broken": folder / "broken.png"}
    Image.fromarray(render_page(TD3, dpi=300, angle=1.5)).save(paths["white"])
    ir = render_page(TD3, dpi=300, ir=True, upside_down=True).astype(np.uint16) * 257
    Image.fromarray(ir).save(paths["ir16"])
    Image.fromarray(np.full((600, 800), 230, np.uint8)).save(paths["blank"])
    paths["broken"].write_bytes(b"not an image")
    return paths


def test_json_lines_in_order(pages: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status = _main(["mrz", str(pages["white"]), str(pages["ir16"]), str(pages["blank"]),
                    "--json", "--as-of", "2011-01-01"])
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 0
    assert [o["path"] for o in out] == [str(pages[k]) for k in ("white", "ir16", "blank")]
    for found in out[:2]:
        assert found["format"] == "TD3" and found["lines"] == TD3 and found["valid"]
        assert found["fields"]["expiry_date"] == "2012-04-15"
    assert out[1]["rotation"] == 180
    assert out[2]["format"] is None and out[2]["lines"] is None and not out[2]["valid"]


def test_bad_file_is_reported_and_others_still_run(
        pages: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    missing = pages["white"].parent / "missing.png"
    status = _main(["mrz", str(pages["broken"]), str(missing), str(pages["white"]), "--json"])
    captured = capsys.readouterr()
    assert status == 1
    errors = captured.err.strip().splitlines()
    assert len(errors) == 2 and "broken.png" in errors[0] and "missing.png" in errors[1]
    assert [json.loads(line)["path"] for line in captured.out.splitlines()] == [
        str(pages["white"])]


def test_text_output_shows_checks(pages: dict[str, Path],
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["mrz", str(pages["white"]), str(pages["blank"])]) == 0
    out = capsys.readouterr().out
    assert "format: TD3" in out and TD3[1] in out
    assert "check composite: read 0 expected 0 ok" in out
    assert "no MRZ found" in out
