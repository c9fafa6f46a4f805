"""Specimens in, verdicts out: the physics each forgery breaks is the check that flags it.

Thresholds come from SPECIMENS.md's light model (see scanner/config.py), never from these
seeds; bench/verdict_rates.py measures the rates on fresh seeds each run.
"""

from __future__ import annotations

import pytest

from drivers.specimen import render_specimen
from scanner.pipeline import ScanResult, scan_capture


def _scan(seed: int, model: str = "UTO-P", forgery: str | None = None, dpi: int = 400,
          **conditions: object) -> tuple[ScanResult, dict[str, object]]:
    capture, label = render_specimen(seed, model=model, forgery=forgery, dpi=dpi,
                                     conditions=conditions or None)
    return scan_capture(capture), label


def _failed(result: ScanResult) -> set[str]:
    return {c.id for c in result.checks if c.status == "failed"}


@pytest.mark.parametrize(("seed", "dpi", "conditions"), [
    (9101, 400, {}),
    (9102, 400, {"worn": True}),
    (9103, 400, {"upside_down": True, "rotation_deg": 4.5}),
    (9104, 300, {"upside_down": False, "rotation_deg": -5.0}),
    (9105, 300, {"worn": True, "upside_down": True}),
])
def test_genuine_data_pages_pass(seed: int, dpi: int, conditions: dict[str, object]) -> None:
    result, label = _scan(seed, dpi=dpi, **conditions)
    assert result.verdict.status == "pass", [c.to_json() for c in result.verdict.reasons]
    assert result.model == "UTO-P"
    assert result.mrz is not None and result.mrz["lines"] == label["mrz"]
    assert result.upside_down == bool(label["conditions"]["upside_down"])  # type: ignore[index]


@pytest.mark.parametrize("upside_down", [False, True])
def test_genuine_visa_pages_pass(upside_down: bool) -> None:
    result, _ = _scan(9201 + upside_down, model="UTO-V", dpi=300, upside_down=upside_down)
    assert result.verdict.status == "pass", [c.to_json() for c in result.verdict.reasons]
    assert result.model == "UTO-V"


@pytest.mark.parametrize("seed", [9301, 9302])
def test_counterfeit_copy_fails_on_uv_bright_paper(seed: int) -> None:
    result, _ = _scan(seed, forgery="counterfeit_copy")
    assert result.verdict.status == "fail"
    assert "uv_dull_substrate" in _failed(result)


@pytest.mark.parametrize("seed", [9401, 9402])
def test_mrz_altered_with_wrong_check_digits_fails_them(seed: int) -> None:
    result, _ = _scan(seed, forgery="mrz_altered", mrz_variant="wrong")
    assert result.verdict.status == "fail"
    assert "mrz_check_digits" in _failed(result)


@pytest.mark.parametrize("seed", [9501, 9502, 9503])
def test_mrz_altered_with_recomputed_digits_fails_on_ink_or_paper(seed: int) -> None:
    result, label = _scan(seed, forgery="mrz_altered", mrz_variant="recomputed")
    assert result.verdict.status == "fail"
    detail = label["forgery_detail"]
    assert isinstance(detail, dict)
    failed = _failed(result)
    assert "mrz_check_digits" not in failed
    medium = str(detail["medium"])
    if "dye" in medium:
        assert "mrz_ir_b900" in failed
    if "strip" in medium:
        assert "uv_dull_substrate" in failed


@pytest.mark.parametrize("seed", [9601, 9602])
def test_photo_substitution_fails_photo_integrity(seed: int) -> None:
    result, _ = _scan(seed, forgery="photo_substituted", dpi=300)
    assert result.verdict.status == "fail"
    assert {"photo_integrity", "uv_dull_substrate"} <= _failed(result)


@pytest.mark.parametrize("seed", [9701, 9702])
def test_missing_uv_features_fail_uv_pattern(seed: int) -> None:
    result, _ = _scan(seed, forgery="uv_feature_missing", dpi=300)
    assert result.verdict.status == "fail"
    assert "uv_pattern" in _failed(result)
    assert "uv_dull_substrate" not in _failed(result)  # the paper itself is right


def test_room_light_within_the_spec_does_not_flag_a_genuine_page() -> None:
    result, _ = _scan(9801, dpi=300, room_light=0.04)
    assert result.verdict.status == "pass", [c.to_json() for c in result.verdict.reasons]
