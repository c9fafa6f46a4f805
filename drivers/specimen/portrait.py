"""A synthetic face-like portrait (head, hair, eyes, mouth, shoulders) as relative reflectance."""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

_SKIN = ((0.93, 0.78, 0.66), (0.85, 0.66, 0.52), (0.70, 0.50, 0.36), (0.50, 0.34, 0.24),
         (0.36, 0.24, 0.17))
_HAIR = ((0.08, 0.06, 0.05), (0.30, 0.19, 0.10), (0.62, 0.46, 0.26), (0.55, 0.24, 0.12),
         (0.70, 0.70, 0.70))


def _c(rgb: tuple[float, float, float] | NDArray[np.float64]) -> tuple[float, float, float]:
    return (float(rgb[0]), float(rgb[1]), float(rgb[2]))


def portrait(rng: np.random.Generator, width: int, height: int) -> NDArray[np.float32]:
    """A portrait image (height, width, 3) of reflectances 0..1; each draw is a new face."""
    w, h = 240, 315   # drawn at a fixed size, then resized: the same face at any dpi
    bg = np.array([rng.uniform(0.72, 0.9), rng.uniform(0.75, 0.9), rng.uniform(0.8, 0.95)])
    grad = np.linspace(1.0, rng.uniform(0.85, 1.0), h)[:, None, None]
    img = (np.ones((h, w, 3)) * bg * grad).astype(np.float32)
    skin = np.array(_SKIN[int(rng.integers(len(_SKIN)))]) * rng.uniform(0.93, 1.05)
    hair = np.array(_HAIR[int(rng.integers(len(_HAIR)))])
    cloth = rng.uniform(0.1, 0.7, 3)
    cx = w / 2 + rng.uniform(-10, 10)
    head_w, head_h = rng.uniform(52, 66), rng.uniform(70, 84)
    cy = rng.uniform(128, 145)
    aa = cv2.LINE_AA
    cv2.ellipse(img, (int(cx), h + 40), (int(rng.uniform(100, 125)), 120), 0, 180, 360,
                _c(cloth), -1, aa)
    cv2.rectangle(img, (int(cx - 20), int(cy + head_h * 0.6)), (int(cx + 20), int(cy + 110)),
                  _c(skin * 0.9), -1)
    long_hair = rng.random() < 0.4
    if long_hair:
        cv2.ellipse(img, (int(cx), int(cy + 20)), (int(head_w * 1.25), int(head_h * 1.2)), 0,
                    0, 360, _c(hair), -1, aa)
    cv2.ellipse(img, (int(cx), int(cy)), (int(head_w), int(head_h)), 0, 0, 360, _c(skin), -1, aa)
    cv2.ellipse(img, (int(cx), int(cy - head_h * 0.35)), (int(head_w * 1.04), int(head_h * 0.7)),
                0, 180, 360, _c(hair), -1, aa)
    eye_y = int(cy - head_h * 0.05)
    gap = rng.uniform(20, 27)
    iris = _c(rng.uniform(0.05, 0.4, 3))
    for side in (-1, 1):
        ex = int(cx + side * gap)
        cv2.ellipse(img, (ex, eye_y), (11, 6), 0, 0, 360, (0.95, 0.95, 0.93), -1, aa)
        cv2.circle(img, (ex, eye_y), 5, iris, -1, aa)
        cv2.circle(img, (ex, eye_y), 2, (0.03, 0.03, 0.03), -1, aa)
        cv2.line(img, (ex - 13, eye_y - 13), (ex + 12, eye_y - 15 - int(rng.integers(0, 4))),
                 _c(hair * 0.8), 4, aa)
    if rng.random() < 0.25:
        for side in (-1, 1):
            cv2.circle(img, (int(cx + side * gap), eye_y), 15, (0.1, 0.1, 0.1), 2, aa)
    cv2.line(img, (int(cx), eye_y + 5), (int(cx - 5), int(cy + head_h * 0.3)),
             _c(skin * 0.75), 3, aa)
    mouth_y = int(cy + head_h * 0.5)
    cv2.ellipse(img, (int(cx), mouth_y), (int(rng.uniform(14, 20)), int(rng.uniform(3, 7))), 0,
                0, 180, _c(skin * np.array([0.85, 0.55, 0.55])), -1, aa)
    img = cv2.GaussianBlur(img, (0, 0), 1.2)
    out: NDArray[np.float32] = cv2.resize(img, (width, height), interpolation=cv2.INTER_LINEAR)
    return np.clip(out, 0.0, 1.0)


def luminance(rgb: NDArray[np.float32]) -> NDArray[np.float32]:
    """Relative luminance (Rec. 709 weights) of a linear RGB image."""
    lum: NDArray[np.float32] = (rgb @ np.array([0.2126, 0.7152, 0.0722], np.float32)).astype(
        np.float32)
    return lum
