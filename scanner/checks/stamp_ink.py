"""Pre- and post-processing of the stamp-ink model: white-light + IR patches at 400 dpi.

The model (`models/stamp_ink/stamp_ink.onnx`) scores a 48 x 48 patch at 400 dpi (3 mm) of
the page relative to its local paper level, channels R, G, B (white light) and IR, for
"printed reproduction (halftone or dither dots)" against "solid stamp ink".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

PATCH = 48
MODEL_DPI = 400.0
MODEL_PATH = Path(__file__).resolve().parents[2] / "models" / "stamp_ink" / "stamp_ink.onnx"
FloatImage = NDArray[np.float32]


def patch_stack(rel_white: FloatImage, rel_ir: FloatImage) -> FloatImage:
    """The model's four input planes (H, W, 4): relative R, G, B and IR, clipped to 0..1.2."""
    stack: FloatImage = np.dstack([rel_white, rel_ir[..., None]]).astype(np.float32, copy=False)
    return np.clip(stack, 0.0, 1.2, out=stack)


def extract_patches(stack: FloatImage, centres: list[tuple[int, int]], dpi: float) -> FloatImage:
    """Patches around (x, y) centres, rescaled to the model's 400 dpi, as (N, 4, 48, 48)."""
    import cv2  # noqa: PLC0415

    side = max(8, round(PATCH * dpi / MODEL_DPI))
    half = side // 2
    height, width = stack.shape[:2]
    out = np.empty((len(centres), 4, PATCH, PATCH), np.float32)
    for i, (x, y) in enumerate(centres):
        y0, x0 = y - half, x - half
        if 0 <= y0 <= height - side and 0 <= x0 <= width - side:
            crop = stack[y0:y0 + side, x0:x0 + side]
        else:  # beyond the edge, the edge pixels repeat
            crop = stack[np.ix_(np.clip(np.arange(y0, y0 + side), 0, height - 1),
                                np.clip(np.arange(x0, x0 + side), 0, width - 1))]
        if side != PATCH:
            crop = np.asarray(cv2.resize(crop, (PATCH, PATCH), interpolation=cv2.INTER_LINEAR),
                              np.float32)
        out[i] = crop.transpose(2, 0, 1)
    return out


def ink_centres(mask: NDArray[np.bool_], dpi: float, limit: int = 256,
                seed: int = 0) -> list[tuple[int, int]]:
    """Up to `limit` patch centres on ink pixels, spread over the mask (fixed seed)."""
    ys, xs = np.nonzero(mask)
    if xs.size == 0:
        return []
    step = max(1, round(1.5 * dpi / 25.4))  # one candidate per 1.5 mm cell
    # the first ink pixel of each cell, cells in the order in which their first pixel comes
    cell = (ys // step) * (mask.shape[1] // step + 1) + xs // step
    first = np.sort(np.unique(cell, return_index=True)[1])
    points = list(zip(xs[first].tolist(), ys[first].tolist(), strict=True))
    if len(points) > limit:
        rng = np.random.default_rng(seed)
        points = [points[i] for i in sorted(rng.choice(len(points), limit, replace=False))]
    return points


def reproduction_probability(logits: NDArray[np.float32]) -> NDArray[np.float32]:
    """The model's (N, 1) or (N,) logits as probabilities of a printed reproduction."""
    flat = np.asarray(logits, np.float32).reshape(-1)
    prob: NDArray[np.float32] = (1.0 / (1.0 + np.exp(-np.clip(flat, -40, 40)))).astype(np.float32)
    return prob
