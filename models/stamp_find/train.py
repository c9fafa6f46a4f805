"""Train and export the stamp-finder model: where is stamp ink on a page, and is it printed.

A small fully convolutional network looks at the whole deskewed page (R, G, B relative to
the local paper, and IR relative to the local paper, resampled to 400 dpi) and gives two
maps at 100 dpi: "stamp ink of any kind here" and "toner dots of a colour print here".

Ground truth comes from the renderer itself, not from hand labels: each training page is
rendered three times from one seed with the same capture conditions: as it is, without any
stamp, and (for `stamp_reproduced`) with every stamp pressed in real ink instead of printed.
What differs between the renders is stamp ink, and what differs between the last two is print.

Data: UTO-V specimens, genuine and every stamp forgery, plus genuine UTO-P data pages (no
stamp: personal data, photo, MRZ are negatives), 400 and 300 dpi. Training and held-out
seeds are disjoint and recorded in MODEL_CARD.md.

    .venv/bin/pip install torch==2.13.0 onnx
    .venv/bin/python models/stamp_find/train.py          # ~40 minutes on an idle 2-core machine
"""

from __future__ import annotations

import argparse
import pickle
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
import torch
from PIL import Image, ImageDraw
from torch import nn

from drivers.specimen import render_specimen
from scanner.checks.stamp_find import FINDER_MULTIPLE, FINDER_STRIDE, finder_input
from scanner.page import Page, find_page

HERE = Path(__file__).resolve().parent
TRAIN_SEEDS = range(110_000, 110_640)
HELD_OUT_SEEDS = range(120_000, 120_060)
KINDS = (("UTO-V", None), ("UTO-V", "stamp_reproduced"), ("UTO-V", "stamp_fake_rubber"),
         ("UTO-V", "stamp_reproduced"), ("UTO-V", "stamp_duplicated"), ("UTO-P", None))
INK_MIN = 0.04  # mean |difference| (white summed over R, G, B, plus IR) of a 100-dpi cell
IGNORE_MIN = 0.02  # cells between this and INK_MIN are neither ink nor background
QUANT = 255 / 1.2  # inputs (0..1.2) are kept as bytes: 540 pages fit in memory


def _same_conditions(label: dict[str, object]) -> dict[str, object]:
    cond = dict(label["conditions"])  # type: ignore[call-overload]
    keep = ("rotation_deg", "upside_down", "offset_mm", "worn", "uv_strength", "drift",
            "vignetting", "room_light", "blur_px", "noise")
    return {k: cond[k] for k in keep}


def _warp_like(page: Page, image: np.ndarray) -> np.ndarray:
    h, w = page.ir.shape
    out = cv2.warpAffine(image, page.to_capture, (w, h),
                         flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                         borderMode=cv2.BORDER_REPLICATE)
    return np.asarray(out, np.float32) / (65535.0 if image.dtype == np.uint16 else 255.0)


def _difference(page: Page, other: tuple[np.ndarray, np.ndarray], shape: tuple[int, int],
                *, texture: bool = False) -> np.ndarray:
    """Per cell of the target grid, how much the page differs from another render: the
    cell means of the signed differences (sensor noise averages out), summed over R, G, B
    and IR; with `texture`, the cell mean of |difference| above the page's median (dots
    against solid ink of the same mean darkness)."""
    white, ir = _warp_like(page, other[0]), _warp_like(page, other[1])
    diff = np.dstack([page.white - white, page.ir - ir])
    if texture:
        diff = np.abs(diff).sum(axis=2)
    cells = np.asarray(cv2.resize(diff, (shape[1], shape[0]), interpolation=cv2.INTER_AREA),
                       np.float32)
    if texture:
        return np.asarray(cells - np.median(cells), np.float32)
    return np.asarray(np.abs(cells).sum(axis=2), np.float32)


def page_sample(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Model input (4, H, W) as bytes (x QUANT) and targets (3, H/4, W/4): ink, printed,
    weight (0 or 1)."""
    model, forgery = KINDS[seed % len(KINDS)]
    dpi = 400 if seed % 3 else 300
    capture, label = render_specimen(seed, model=model, forgery=forgery, dpi=dpi)
    page = find_page(capture)
    x = finder_input(page)
    shape = (x.shape[1] // FINDER_STRIDE, x.shape[2] // FINDER_STRIDE)
    ink = np.zeros(shape, np.float32)
    printed = np.zeros(shape, np.float32)
    weight = np.ones(shape, np.float32)
    stamps = label["stamps"]
    if stamps:
        cond = {**_same_conditions(label), "stamp_count": len(stamps)}  # type: ignore[arg-type]
        bare, _ = render_specimen(seed, model=model, forgery=forgery, dpi=dpi,
                                  conditions={**cond, "stamp_count": 0})
        d = _difference(page, (bare.white, bare.ir), shape)
        ink = (d >= INK_MIN).astype(np.float32)
        weight[(d >= IGNORE_MIN) & (d < INK_MIN)] = 0.0
        if forgery == "stamp_reproduced":
            inked, _ = render_specimen(seed, model=model, forgery=None, dpi=dpi,
                                       conditions=cond)
            dp = _difference(page, (inked.white, inked.ir), shape, texture=True)
            printed = ((dp >= INK_MIN) & (ink > 0)).astype(np.float32)
            weight[(dp >= IGNORE_MIN) & (dp < INK_MIN)] = 0.0
    return np.round(x * QUANT).astype(np.uint8), np.stack([ink, printed, weight]).astype(np.uint8)


def dataset(seeds: range) -> list[tuple[np.ndarray, np.ndarray]]:
    """Every page of `seeds`, rendered on two processes."""
    with ProcessPoolExecutor(2) as pool:
        return list(pool.map(page_sample, seeds, chunksize=4))


def _halve_and_widen() -> nn.Sequential:
    """Three 3 x 3 layers: the first halves the grid, the next two (dilation 2 and 4) see
    about seven of its cells each way."""
    return nn.Sequential(
        nn.Conv2d(16, 16, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(16, 16, 3, padding=2, dilation=2), nn.ReLU(),
        nn.Conv2d(16, 16, 3, padding=4, dilation=4), nn.ReLU())


class StampFindNet(nn.Module):
    """Fully convolutional: two stride-2 layers down to 100 dpi (print dots, stroke edges),
    three layers at 50 dpi (~8 mm: a stamp's strokes against a field of guilloche lines)
    and three at 25 dpi (~20 mm: a stamp's ring and text against the long, regular sweep of
    bold guilloche lines), all joined at 100 dpi into two logits."""

    def __init__(self) -> None:
        super().__init__()
        self.fine = nn.Sequential(
            nn.Conv2d(4, 8, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU())
        self.context = _halve_and_widen()
        self.wide = _halve_and_widen()
        self.up2 = nn.Upsample(scale_factor=2, mode="nearest")
        self.up4 = nn.Upsample(scale_factor=4, mode="nearest")
        self.head = nn.Sequential(nn.Conv2d(48, 16, 1), nn.ReLU(), nn.Conv2d(16, 2, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (N, 2, H/4, W/4) of 'stamp ink' and 'printed toner' for pages (N, 4, H, W);
        H and W are multiples of FINDER_MULTIPLE."""
        fine = self.fine(x)
        context = self.context(fine)
        wide = self.wide(context)
        return self.head(torch.cat(  # type: ignore[no-any-return]
            [fine, self.up2(context), self.up4(wide)], 1))


def busy_background(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Cells (row, col) without stamp ink that are darker than nine in ten of the page's
    other such cells: dense guilloche bundles, labels, personal data, the hard negatives."""
    dark = 1.0 - x[:3].mean(axis=0, dtype=np.float32) / QUANT
    shape = y.shape[1:]
    cells = cv2.resize(dark[:shape[0] * FINDER_STRIDE, :shape[1] * FINDER_STRIDE],
                       (shape[1], shape[0]), interpolation=cv2.INTER_AREA)
    background = (y[0] == 0) & (y[2] > 0)
    if not background.any():
        return np.zeros((0, 2), np.int64)
    return np.argwhere(background & (cells >= np.quantile(cells[background], 0.9)))


def _windows(data: list[tuple[np.ndarray, np.ndarray]], busy: list[np.ndarray],
             rng: np.random.Generator, count: int,
             size: int = 384) -> tuple[torch.Tensor, torch.Tensor]:
    """Random windows: two in five centred on stamp ink, three in ten on busy background
    (`busy_background`), the rest anywhere."""
    xs, ys = [], []
    cell = size // FINDER_STRIDE
    while len(xs) < count:
        i = int(rng.integers(len(data)))
        x, y = data[i]
        ch, cw = y.shape[1:]
        if ch <= cell or cw <= cell:
            continue
        inked = np.argwhere(y[0] > 0)
        draw = rng.random()
        centres = inked if draw < 0.4 else busy[i] if draw < 0.7 else inked[:0]
        if len(centres):
            cy, cx = centres[int(rng.integers(len(centres)))]
            top = int(np.clip(cy - cell // 2, 0, ch - cell))
            left = int(np.clip(cx - cell // 2, 0, cw - cell))
        else:
            top, left = int(rng.integers(ch - cell)), int(rng.integers(cw - cell))
        xw = x[:, top * FINDER_STRIDE:(top + cell) * FINDER_STRIDE,
               left * FINDER_STRIDE:(left + cell) * FINDER_STRIDE].astype(np.float32) / QUANT
        yw = y[:, top:top + cell, left:left + cell].astype(np.float32)
        if rng.random() < 0.5:
            xw, yw = xw[:, :, ::-1], yw[:, :, ::-1]
        if rng.random() < 0.5:
            xw, yw = xw[:, ::-1], yw[:, ::-1]
        xs.append(xw * np.float32(rng.uniform(0.9, 1.1)))
        ys.append(yw)
    return torch.from_numpy(np.ascontiguousarray(np.stack(xs))), \
        torch.from_numpy(np.ascontiguousarray(np.stack(ys)))


def train(data: list[tuple[np.ndarray, np.ndarray]], steps: int) -> StampFindNet:
    """Adam, batch 8 windows, weighted binary cross-entropy on both maps."""
    torch.manual_seed(0)
    net = StampFindNet()
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    rng = np.random.default_rng(0)
    busy = [busy_background(x, y) for x, y in data]
    bce = nn.BCEWithLogitsLoss(reduction="none")
    for step in range(steps):
        x, y = _windows(data, busy, rng, 8)
        logits = net(x)
        weight = y[:, 2]
        loss = sum((bce(logits[:, k], y[:, k]) * weight * (1 + y[:, k])).sum()
                   for k in (0, 1)) / weight.sum().clamp(min=1)
        opt.zero_grad()
        loss.backward()  # type: ignore[union-attr]
        opt.step()
        sched.step()
        if step % 200 == 0:
            print(f"step {step} loss {float(loss.detach()):.4f}", flush=True)
    return net


def _page_input(x: np.ndarray) -> np.ndarray:
    """A cached page (bytes) as the model's float input, cut to whole FINDER_MULTIPLE blocks."""
    h, w = (d - d % FINDER_MULTIPLE for d in x.shape[1:])
    return x[:, :h, :w].astype(np.float32) / QUANT


def evaluate(net: StampFindNet, data: list[tuple[np.ndarray, np.ndarray]],
             threshold: float) -> dict[str, float]:
    """Cell-level recall and false-positive rate of both maps at `threshold`."""
    tp, pos, fp, neg = np.zeros(2), np.zeros(2), np.zeros(2), np.zeros(2)
    with torch.no_grad():
        for x, y in data:
            p = torch.sigmoid(net(torch.from_numpy(_page_input(x))[None]))[0].numpy()
            t = y.astype(np.float32)
            h, w = min(p.shape[1], t.shape[1]), min(p.shape[2], t.shape[2])
            for k in (0, 1):
                hit, truth, valid = p[k, :h, :w] >= threshold, t[k, :h, :w] > 0, t[2, :h, :w] > 0
                tp[k] += (hit & truth & valid).sum()
                pos[k] += (truth & valid).sum()
                fp[k] += (hit & ~truth & valid).sum()
                neg[k] += (~truth & valid).sum()
    return {"ink_recall": tp[0] / pos[0], "ink_fpr": fp[0] / neg[0],
            "print_recall": tp[1] / max(pos[1], 1), "print_fpr": fp[1] / neg[1]}


def roc(data: list[tuple[np.ndarray, np.ndarray]], out: Path) -> dict[str, float]:
    """ROC of the exported model's two maps over the valid cells of held-out pages, drawn
    to `out`; returns the AUC of each map. Uses onnxruntime, as the scanner does."""
    session = ort.InferenceSession(str(HERE / "stamp_find.onnx"),
                                   providers=["CPUExecutionProvider"])
    scores: list[list[np.ndarray]] = [[], []]
    truths: list[list[np.ndarray]] = [[], []]
    for x, y in data:
        logits = session.run(None, {"page": _page_input(x)[None]})[0][0]
        h, w = min(logits.shape[1], y.shape[1]), min(logits.shape[2], y.shape[2])
        valid = y[2, :h, :w] > 0
        for k in (0, 1):
            scores[k].append(logits[k, :h, :w][valid])
            truths[k].append(y[k, :h, :w][valid] > 0)
    size, m = 400, 40
    img = Image.new("RGB", (size + 2 * m, size + 2 * m), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle([m, m, m + size, m + size], outline="black")
    draw.line([(m, m + size), (m + size, m)], fill=(180, 180, 180))
    aucs: dict[str, float] = {}
    for k, (name, colour) in enumerate((("stamp ink", (200, 0, 0)), ("printed", (0, 0, 200)))):
        p, t = np.concatenate(scores[k]), np.concatenate(truths[k])
        order = np.argsort(-p, kind="stable")
        tpr = np.concatenate([[0], np.cumsum(t[order]) / max(int(t.sum()), 1)])
        fpr = np.concatenate([[0], np.cumsum(~t[order]) / max(int((~t).sum()), 1)])
        aucs[name] = float(np.trapezoid(tpr, fpr))
        step = max(1, len(tpr) // 2000)  # enough points for a 400 px curve
        draw.line([(m + f * size, m + size - r * size)
                   for f, r in zip(fpr[::step], tpr[::step], strict=True)], fill=colour, width=2)
        draw.text((m + 10, m + size - 40 + 15 * k), f"{name}: AUC {aucs[name]:.4f}",
                  fill=colour)
    draw.text((m, 10), f"stamp_find ROC, held-out pages n={len(data)}, per 100 dpi cell",
              fill="black")
    draw.text((m + size // 2 - 60, m + size + 10), "false positive rate", fill="black")
    draw.text((4, m + size // 2), "TPR", fill="black")
    img.save(out)
    return aucs


def main() -> None:
    """Render, train, evaluate on held-out pages, export to ONNX."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=16000)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/stamp_find_pages.pkl"))
    parser.add_argument("--roc-only", action="store_true",
                        help="only draw roc.png for the committed model (no training)")
    args = parser.parse_args()
    torch.set_num_threads(2)
    start = time.time()
    if args.cache.exists():
        with args.cache.open("rb") as fh:
            data, held_out = pickle.load(fh)
    else:
        data, held_out = dataset(TRAIN_SEEDS), dataset(HELD_OUT_SEEDS)
        with args.cache.open("wb") as fh:
            pickle.dump((data, held_out), fh, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"{len(data)} training and {len(held_out)} held-out pages in "
          f"{time.time() - start:.0f} s", flush=True)
    if args.roc_only:
        print("held-out ROC AUC:", roc(held_out, HERE / "roc.png"))
        return
    net = train(data, args.steps).eval()
    print(f"trained in {time.time() - start:.0f} s")
    for threshold in (0.5, 0.7, 0.9):
        scores = evaluate(net, held_out, threshold)
        print(f"held out at {threshold}:", {k: round(float(v), 4) for k, v in scores.items()})
    torch.onnx.export(net, (torch.zeros(1, 4, 64, 64),), str(HERE / "stamp_find.onnx"),
                      input_names=["page"], output_names=["logits"], dynamo=False,
                      opset_version=17,
                      dynamic_axes={"page": {2: "h", 3: "w"}, "logits": {2: "h4", 3: "w4"}})
    print(f"exported {HERE / 'stamp_find.onnx'}")
    print("held-out ROC AUC:", roc(held_out, HERE / "roc.png"))


if __name__ == "__main__":
    main()
