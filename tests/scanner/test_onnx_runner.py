"""The ONNX runner and the pre- and post-processing of the stamp models."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scanner.checks.stamp_find import FINDER_PATH, finder_input, finder_maps
from scanner.checks.stamp_ink import (
    MODEL_PATH,
    PATCH,
    extract_patches,
    ink_centres,
    patch_stack,
    reproduction_probability,
)
from scanner.onnx_runner import ModelMissing, clear_runners, get_runner
from scanner.page import Page


def test_patch_stack_clips_and_stacks() -> None:
    rel = np.full((10, 12, 3), 1.5, np.float32)
    stack = patch_stack(rel, np.zeros((10, 12), np.float32))
    assert stack.shape == (10, 12, 4)
    assert stack[..., :3].max() == pytest.approx(1.2)
    assert stack[..., 3].max() == 0.0


def test_extract_patches_rescales_to_400_dpi() -> None:
    stack = np.random.default_rng(0).random((100, 100, 4), dtype=np.float32)
    at_400 = extract_patches(stack, [(50, 50)], 400)
    at_300 = extract_patches(stack, [(50, 50), (0, 0)], 300)  # near the edge: padded
    assert at_400.shape == (1, 4, PATCH, PATCH)
    assert at_300.shape == (2, 4, PATCH, PATCH)
    np.testing.assert_array_equal(at_400[0], stack[26:74, 26:74].transpose(2, 0, 1))


def test_ink_centres_spread_and_limited() -> None:
    mask = np.zeros((200, 200), bool)
    mask[50:150, 50:150] = True
    centres = ink_centres(mask, 400, limit=10)
    assert len(centres) == 10
    assert all(mask[y, x] for x, y in centres)
    assert ink_centres(np.zeros((5, 5), bool), 400) == []


def test_probability_from_logits() -> None:
    prob = reproduction_probability(np.array([[0.0], [100.0], [-100.0]], np.float32))
    np.testing.assert_allclose(prob, [0.5, 1.0, 0.0], atol=1e-6)


def test_runner_loads_once_and_runs_batches() -> None:
    clear_runners()
    runner = get_runner(MODEL_PATH)
    assert get_runner(MODEL_PATH) is runner
    out = runner.run(np.zeros((70, 4, PATCH, PATCH), np.float32))  # two batches
    assert out.shape[0] == 70
    assert runner.run(np.zeros((0, 4, PATCH, PATCH), np.float32)).shape == (0,)


def test_missing_model_names_file_and_retraining(tmp_path: Path) -> None:
    with pytest.raises(ModelMissing, match=r"nope\.onnx.*train\.py"):
        get_runner(tmp_path / "nope.onnx", retrain_hint="run models/stamp_ink/train.py")


def _page(height: int, width: int, dpi: float) -> Page:
    rng = np.random.default_rng(1)
    white = rng.uniform(0.8, 0.9, (height, width, 3)).astype(np.float32)
    white[10:20, 10:40] = (0.3, 0.2, 0.7)  # a violet stroke
    ir = np.full((height, width), 0.85, np.float32)
    uv = np.full((height, width, 3), 0.05, np.float32)
    return Page(white, ir, uv, dpi, np.array([[1.0, 0, 0], [0, 1.0, 0]]), 0.0,
                cropped=False)


def test_finder_input_is_relative_400_dpi_and_whole_cells() -> None:
    at_400 = finder_input(_page(103, 150, 400))
    assert at_400.shape == (4, 96, 144)
    assert at_400.dtype == np.float32
    assert at_400.min() >= 0.0 and at_400.max() <= 1.2
    assert at_400[3].mean() == pytest.approx(1.0, abs=0.02)  # IR relative to its paper
    assert at_400[1, 15, 20] < 0.4 < at_400[1, 50, 100]  # the stroke stays dark
    at_300 = finder_input(_page(150, 150, 300))
    assert at_300.shape == (4, 192, 192)  # resampled to 400 dpi (200), whole 16-pixel blocks


def test_finder_maps_are_probabilities_on_the_page_grid() -> None:
    logits = np.full((1, 2, 10, 12), -100.0, np.float32)
    logits[0, 0, :5] = 100.0
    ink, printed = finder_maps(logits, (20, 24))
    assert ink.shape == printed.shape == (20, 24)
    assert ink[0, 0] == pytest.approx(1.0) and ink[-1, -1] == pytest.approx(0.0)
    assert printed.max() == pytest.approx(0.0)


def test_finder_model_runs_on_a_whole_page() -> None:
    clear_runners()
    page = _page(203, 301, 400)
    out = get_runner(FINDER_PATH, warm_up_shape=(1, 4, 64, 64)).run(finder_input(page)[None])
    assert out.shape == (1, 2, 48, 72)  # 192 x 288 input pixels, one cell per 4
    assert np.isfinite(out).all()
