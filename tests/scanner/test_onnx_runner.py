"""The ONNX runner and the stamp-ink model's pre- and post-processing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scanner.checks.stamp_ink import (
    MODEL_PATH,
    PATCH,
    extract_patches,
    ink_centres,
    patch_stack,
    reproduction_probability,
)
from scanner.onnx_runner import ModelMissing, clear_runners, get_runner


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
