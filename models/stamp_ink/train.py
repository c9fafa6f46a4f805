"""Train and export the stamp-ink model: printed reproduction vs solid stamp ink.

Data: UTO-V specimens from the renderer (drivers.specimen) with exactly one stamp per page,
genuine, `stamp_fake_rubber` (solid ink) or `stamp_reproduced` (halftone/dither toner), at
400 and 300 dpi. Patches (48 x 48 at 400 dpi) are cut on ink pixels with the same
pre-processing the scanner uses (scanner.checks.stamp_ink). Training seeds and held-out
seeds are disjoint and recorded in MODEL_CARD.md.

    .venv/bin/pip install torch==2.13.0 onnx
    .venv/bin/python models/stamp_ink/train.py            # ~5 CPU-minutes on 1 thread
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from drivers.specimen import render_specimen
from scanner.checks.stamp_find import find_impressions, paper_level, relative_white
from scanner.checks.stamp_ink import PATCH, extract_patches, ink_centres, patch_stack
from scanner.page import find_page

HERE = Path(__file__).resolve().parent
TRAIN_SEEDS = range(10_000, 10_150)
HELD_OUT_SEEDS = range(20_000, 20_060)
FORGERIES = (None, "stamp_fake_rubber", "stamp_reproduced")


def page_patches(seed: int, per_page: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Patches and labels (1 = reproduction) from one single-stamp specimen."""
    forgery = FORGERIES[seed % 3]
    dpi = 400 if seed % 2 else 300
    capture, label = render_specimen(seed, model="UTO-V", forgery=forgery, dpi=dpi,
                                     conditions={"stamp_count": 1})
    page = find_page(capture)
    is_repro = float(label["stamps"][0]["ink"] == "reproduction")  # type: ignore[index]
    rel, _ = relative_white(page, 1.0)
    stack = patch_stack(rel, page.ir / paper_level(page.ir, page.dpi))
    patches, labels = [], []
    for imp in find_impressions(page):
        if not imp.maps:
            continue
        x0, y0, _, _ = imp.box
        strong = imp.maps["strong"] > 0  # full-strength ink, as the scanner samples it
        centres = [(x + x0, y + y0) for x, y in ink_centres(strong, page.dpi, per_page, seed)]
        patches.append(extract_patches(stack, centres, page.dpi))
        labels.append(np.full(len(centres), is_repro, np.float32))
    if not patches:
        return np.zeros((0, 4, PATCH, PATCH), np.float32), np.zeros(0, np.float32)
    return np.concatenate(patches), np.concatenate(labels)


def dataset(seeds: range) -> tuple[np.ndarray, np.ndarray]:
    """All patches of the given seeds."""
    parts = [page_patches(s) for s in seeds]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


class StampInkNet(nn.Module):
    """A tiny CNN: three 3x3 conv layers, global average pooling, one logit."""

    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(4, 12, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(12, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.head = nn.Linear(16, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logit of 'printed reproduction' for a batch (N, 4, 48, 48)."""
        return self.head(self.body(x).flatten(1))  # type: ignore[no-any-return]


def train(x: np.ndarray, y: np.ndarray, steps: int) -> StampInkNet:
    """Adam, batch 64, binary cross-entropy; brightness jitter and flips as augmentation."""
    torch.manual_seed(0)
    net = StampInkNet()
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    rng = np.random.default_rng(0)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    for step in range(steps):
        idx = torch.from_numpy(rng.integers(0, len(x), 64))
        batch = xt[idx] * torch.empty(64, 1, 1, 1).uniform_(0.85, 1.15)
        if step % 2:
            batch = batch.flip(3)
        loss = loss_fn(net(batch).squeeze(1), yt[idx])
        opt.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        opt.step()
        if step % 200 == 0:
            print(f"step {step} loss {loss.item():.4f}", flush=True)
    return net


def main() -> None:
    """Build the data set, train, export to ONNX."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/stamp_ink_patches.npz"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    start = time.time()
    if args.cache.exists():
        data = np.load(args.cache)
        x, y = data["x"], data["y"]
    else:
        x, y = dataset(TRAIN_SEEDS)
        np.savez_compressed(args.cache, x=x, y=y)
    print(f"{len(x)} patches ({int(y.sum())} reproduction) in {time.time() - start:.0f} s")
    net = train(x, y, args.steps).eval()
    print(f"trained in {time.time() - start:.0f} s")
    torch.onnx.export(net, (torch.zeros(1, 4, PATCH, PATCH),), str(HERE / "stamp_ink.onnx"),
                      input_names=["patches"], output_names=["logits"], dynamo=False,
                      opset_version=17, dynamic_axes={"patches": {0: "n"}, "logits": {0: "n"}})
    print(f"exported {HERE / 'stamp_ink.onnx'}")


if __name__ == "__main__":
    main()
