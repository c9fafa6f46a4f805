"""The UTO specimen renderer: determinism, file format, labels and the physics of SPECIMENS.md."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from drivers.capture import Capture, read_capture
from drivers.specimen import FORGERIES, MODELS, generate, render_specimen
from drivers.specimen.mrz import check_digit, validate_td3
from scanner.cli import main

STILL = {"rotation_deg": 0.0, "upside_down": False, "vignetting": 0.0,
         "drift": {"white": 0.0, "ir": 0.0, "uv": 0.0}, "room_light": 0.0}


@cache
def render(seed: int, model: str = "UTO-P", forgery: str | None = None, dpi: int = 150,
           **conditions: Any) -> tuple[Capture, dict[str, Any]]:
    """Cached render (tests only read the arrays)."""
    conds = dict(conditions)
    for key in ("drift", "offset_mm"):
        if key in conds:
            conds[key] = dict(conds[key]) if key == "drift" else tuple(conds[key])
    return render_specimen(seed, model=model, forgery=forgery, dpi=dpi, conditions=conds or None)


def still(seed: int, model: str = "UTO-P", forgery: str | None = None, dpi: int = 150,
          **extra: Any) -> tuple[Capture, dict[str, Any]]:
    """A capture without drift, vignetting or room light (absolute values are comparable)."""
    conds = {**STILL, **extra}
    conds["drift"] = tuple(sorted(conds["drift"].items()))  # hashable for the cache
    return _still(seed, model, forgery, dpi, tuple(sorted(conds.items())))


@cache
def _still(seed: int, model: str, forgery: str | None, dpi: int,
           items: tuple[tuple[str, Any], ...]) -> tuple[Capture, dict[str, Any]]:
    conds = dict(items)
    conds["drift"] = dict(conds["drift"])
    return render_specimen(seed, model=model, forgery=forgery, dpi=dpi, conditions=conds)


def page_point(label: dict[str, Any], x_mm: float, y_mm: float) -> tuple[float, float]:
    """Capture pixel of a point given in mm on the upright page, from the label's corners."""
    tl, tr, _, bl = (np.asarray(p) for p in label["page_corners"])
    p = tl + (tr - tl) * (x_mm / 125.0) + (bl - tl) * (y_mm / 88.0)
    return float(p[0]), float(p[1])


def patch(img: np.ndarray, label: dict[str, Any], x_mm: float, y_mm: float,
          half_mm: float = 1.5) -> np.ndarray:
    """Pixels around a page point."""
    x, y = page_point(label, x_mm, y_mm)
    r = max(1, round(half_mm * label["conditions"]["dpi"] / 25.4))
    return img[round(y) - r:round(y) + r + 1, round(x) - r:round(x) + r + 1]


def test_same_seed_gives_identical_images_and_labels() -> None:
    a_cap, a_label = render_specimen(5, dpi=150)
    b_cap, b_label = render_specimen(5, dpi=150)
    for light in ("white", "ir", "uv"):
        assert np.array_equal(getattr(a_cap, light), getattr(b_cap, light))
    assert a_label == b_label
    assert a_cap.captured_at == b_cap.captured_at


def test_seeds_vary_document_and_conditions() -> None:
    labels = [render(seed)[1] for seed in range(4)]
    assert len({tuple(lab["mrz"]) for lab in labels}) == 4
    assert len({lab["conditions"]["rotation_deg"] for lab in labels}) == 4
    assert not np.array_equal(render(0)[0].white, render(1)[0].white)


def test_window_and_formats() -> None:
    cap, label = render(1)
    assert cap.white.shape == (round(100 * 150 / 25.4), round(135 * 150 / 25.4), 3)
    assert cap.ir.ndim == 2 and cap.white.dtype == cap.ir.dtype == cap.uv.dtype == np.uint8
    assert cap.captured_at.tzinfo is not None and cap.captured_at.year in (2026, 2027)
    assert cap.device.id == "uto-specimen-renderer"
    assert set(label) >= {"model", "genuine", "forgery", "forgery_detail", "mrz", "stamps",
                          "page_corners", "conditions", "seed"}
    assert set(label["conditions"]) >= {"rotation_deg", "upside_down", "offset_mm", "dpi",
                                        "worn", "uv_strength", "drift", "vignetting",
                                        "room_light", "blur_px", "noise"}


def test_check_digits_follow_icao_example() -> None:
    assert check_digit("L898902C3") == "6"
    assert check_digit("740812") == "2"
    assert check_digit("120415") == "9"
    assert check_digit("ZE184226B<<<<<") == "1"


@pytest.mark.parametrize("seed", range(6))
def test_genuine_mrz_is_valid_and_matches_the_data(seed: int) -> None:
    _, label = render(seed)
    line1, line2 = label["mrz"]
    assert len(line1) == len(line2) == 44 and line1.startswith("P<UTO")
    assert line2[10:13] == "UTO"
    assert validate_td3(label["mrz"])


@pytest.mark.parametrize(("variant", "valid"), [("wrong", False), ("recomputed", True)])
def test_altered_mrz_check_digits(variant: str, valid: bool) -> None:
    for seed in range(3):
        _, label = render(seed, forgery="mrz_altered", mrz_variant=variant)
        assert label["forgery_detail"]["variant"] == variant
        assert label["mrz"] != label["forgery_detail"]["original_mrz"]
        assert validate_td3(label["mrz"]) is valid


def test_upside_down_page_corners_and_placement() -> None:
    for seed in range(6):
        cap, label = render(seed, upside_down=seed % 2 == 0)
        corners = np.asarray(label["page_corners"])
        tl, br = corners[0], corners[2]
        assert (tl[0] > br[0]) == label["conditions"]["upside_down"]
        white = cap.white.mean(axis=2)
        h, w = white.shape
        for x_mm, y_mm, inside in ((3, 3, True), (122, 85, True), (-2.5, 44, False),
                                   (127.5, 44, False), (62, -2.5, False), (62, 90.5, False)):
            x, y = page_point(label, x_mm, y_mm)
            if not (0 <= x < w and 0 <= y < h):
                assert not inside
                continue
            value = white[round(y), round(x)] / 255
            assert (value > 0.45) if inside else (value < 0.2), (seed, x_mm, y_mm, value)


def test_substrate_uv_dull_but_copy_paper_uv_bright() -> None:
    cap, label = still(2)
    genuine = np.median(patch(cap.uv, label, 121, 85, 1.0).reshape(-1, 3), axis=0) / 255
    assert genuine.max() <= 0.12 and genuine[2] >= genuine[1]
    cap, label = still(2, forgery="counterfeit_copy")
    copy = np.median(patch(cap.uv, label, 121, 85, 1.0).reshape(-1, 3), axis=0) / 255
    assert copy[2] >= 0.42 and copy[2] > copy[0]


def test_emblem_shows_in_uv_only() -> None:
    cap, label = still(3, model="UTO-V", stamp_count=0, uv_strength=0.8)
    centre = np.median(patch(cap.uv, label, 105, 20, 1.0).reshape(-1, 3), axis=0) / 255
    away = np.median(patch(cap.uv, label, 105, 34, 1.0).reshape(-1, 3), axis=0) / 255
    assert centre[1] > 0.6 and away[1] < 0.15
    for light in ("white", "ir"):
        img = getattr(cap, light).astype(float)
        assert abs(np.median(patch(img, label, 105, 20)) - np.median(patch(img, label, 105, 34))
                   ) < 15
    for forgery in ("counterfeit_copy", "uv_feature_missing"):
        cap, label = still(3, forgery=forgery)
        uv = np.median(patch(cap.uv, label, 80, 38, 1.0).reshape(-1, 3), axis=0) / 255
        assert uv[1] <= uv[2] + 0.02, forgery


def _mrz_band(cap: Capture, label: dict[str, Any], light: str) -> np.ndarray:
    img = getattr(cap, light)
    img = img.mean(axis=2) if img.ndim == 3 else img
    return patch(img.astype(float), label, 60, 71.5, 1.1) / 255


def test_mrz_is_b900_dark_in_ir_but_dye_forgery_is_ir_transparent() -> None:
    cap, label = still(4)
    paper_ir = np.median(patch(cap.ir.astype(float), label, 121, 62, 1.0)) / 255
    assert np.percentile(_mrz_band(cap, label, "white"), 3) <= 0.22
    assert np.percentile(_mrz_band(cap, label, "ir"), 3) <= 0.3 * paper_ir
    cap, label = still(4, forgery="mrz_altered", mrz_medium="dye")
    assert np.percentile(_mrz_band(cap, label, "white"), 3) <= 0.22
    assert np.percentile(_mrz_band(cap, label, "ir"), 3) >= 0.6
    cap, label = still(4, forgery="mrz_altered", mrz_medium="strip")
    uv = np.median(patch(cap.uv, label, 60, 75.5, 1.0).reshape(-1, 3), axis=0) / 255
    assert uv[2] >= 0.42


def test_photo_substitution_is_uv_bright_and_differs_in_ir() -> None:
    genuine, label = still(6)
    forged, flabel = still(6, forgery="photo_substituted")
    assert np.median(patch(forged.uv, flabel, 22, 41, 12)[..., 2]) / 255 >= 0.4
    assert np.median(patch(genuine.uv, label, 22, 41, 4)[..., 2]) / 255 <= 0.12
    assert np.std(patch(genuine.ir, label, 22, 41, 10)) > 2 * np.std(
        patch(forged.ir, flabel, 22, 41, 10))


def _stamp_pixels(cap: Capture, label: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    x, y, w, h = label["stamps"][0]["box"]
    white = cap.white[y:y + h, x:x + w].astype(np.float32)
    uv = cap.uv[y:y + h, x:x + w].astype(np.float32)
    return white, uv[..., 0] - uv[..., 1]   # orange emission: red over green


def test_reproduced_stamp_shows_dots_and_no_uv() -> None:
    genuine, glabel = still(8, model="UTO-V", dpi=400, stamp_count=1, blur_px=0.5)
    forged, flabel = still(8, model="UTO-V", forgery="stamp_reproduced", dpi=400, stamp_count=1,
                           blur_px=0.5)
    assert flabel["stamps"][0]["ink"] == "reproduction" and glabel["stamps"][0]["ink"] == "official"

    def texture(cap: Capture, label: dict[str, Any]) -> float:
        white, _ = _stamp_pixels(cap, label)
        grey = white.mean(axis=2)
        smooth = cv2.GaussianBlur(grey, (0, 0), 3.0)
        inked = smooth < np.percentile(smooth, 15)
        return float(np.std((grey - smooth)[inked]))

    assert texture(forged, flabel) > 2.0 * texture(genuine, glabel)
    _, guv = _stamp_pixels(genuine, glabel)
    _, fuv = _stamp_pixels(forged, flabel)
    assert np.percentile(guv, 99) > np.percentile(fuv, 99) + 5


def test_fake_rubber_stamp_has_no_uv_and_duplicate_repeats_the_impression() -> None:
    genuine, glabel = still(9, model="UTO-V", stamp_count=1, blur_px=0.5)
    fake, flabel = still(9, model="UTO-V", forgery="stamp_fake_rubber", stamp_count=1,
                         blur_px=0.5)
    assert flabel["stamps"][0]["ink"] == "stamp_pad"
    assert np.percentile(_stamp_pixels(genuine, glabel)[1], 99) > np.percentile(
        _stamp_pixels(fake, flabel)[1], 99) + 5
    _, label = render(10, model="UTO-V", forgery="stamp_duplicated")
    dups = [s for s in label["stamps"] if s["duplicate_of"] is not None]
    assert len(dups) == 1 and label["stamps"][dups[0]["duplicate_of"]]["kind"] == dups[0]["kind"]


def test_impossible_combinations_and_names_are_rejected() -> None:
    with pytest.raises(ValueError, match="UTO-V"):
        render_specimen(1, model="UTO-P", forgery="stamp_duplicated", dpi=150)
    with pytest.raises(ValueError, match="unknown"):
        render_specimen(1, model="UTO-X", dpi=150)
    with pytest.raises(ValueError, match="unknown condition"):
        render_specimen(1, dpi=150, conditions={"tilt": 3})
    assert MODELS == ("UTO-P", "UTO-V") and len(FORGERIES) == 7


def test_generate_writes_readable_capture_folders(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    paths = generate(tmp_path / "set", count=3, seed=20, dpi=150, mix=True,
                     progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    for path in paths:
        cap = read_capture(path)
        label = json.loads((path / "label.json").read_text(encoding="utf-8"))
        assert cap.dpi == 150 and path.name.startswith(f"{paths.index(path) + 1:04d}-")
        assert path.name.endswith("genuine" if label["genuine"] else "forgery")
        assert label["model"] in path.name


def test_cli_generate_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli"
    assert main(["specimens", "generate", "--out", str(out), "--count", "2", "--dpi", "150",
                 "--model", "UTO-V", "--seed", "3"]) == 0
    captured = capsys.readouterr()
    assert str(out) in captured.out and "[2/2] 0002-UTO-V-genuine" in captured.err
    assert sorted(p.name for p in out.iterdir()) == ["0001-UTO-V-genuine", "0002-UTO-V-genuine"]
    assert main(["specimens", "generate", "--out", str(out), "--forgery", "nope"]) == 2
    assert "unknown forgery" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["specimens", "generate", "--out", str(blocker / "sub"), "--count", "1"]) == 2
    assert "Traceback" not in capsys.readouterr().err
