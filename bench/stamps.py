"""Stamp benchmark: per-forgery detection rate, genuine false flags, time per page, and the
ink model's ROC on held-out patches (written to models/stamp_ink/roc.png).

    .venv/bin/python bench/stamps.py --seeds 30 --dpi 300
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "models" / "stamp_ink"))

from drivers.specimen import render_specimen  # noqa: E402
from scanner.checks.base import ScanContext  # noqa: E402
from scanner.checks.stamp_ink import MODEL_PATH, reproduction_probability  # noqa: E402
from scanner.checks.stamps import stamp_authenticity  # noqa: E402
from scanner.config import Thresholds  # noqa: E402
from scanner.identify import identify_without_mrz  # noqa: E402
from scanner.onnx_runner import get_runner  # noqa: E402
from scanner.page import find_page  # noqa: E402

KINDS = {"stamp_reproduced": "reproduction", "stamp_fake_rubber": "stamp_pad",
         "stamp_duplicated": "duplicate"}
BASE_SEED = 40_000  # disjoint from the model's training (10 000+) and held-out (20 000+) seeds


def run_page(seed: int, forgery: str | None, dpi: int) -> tuple[str, set[str], float]:
    """Status, reported kinds and check time (s) of one rendered page."""
    capture, _ = render_specimen(seed, model="UTO-V", forgery=forgery, dpi=dpi)
    page = find_page(capture)
    found = identify_without_mrz(page)
    if found is not None and found[1]:
        page = page.rotated(2)
    ctx = ScanContext(page=page, captured_at=capture.captured_at, model=None,
                      thresholds=Thresholds())
    start = time.perf_counter()
    result = stamp_authenticity(ctx)
    took = time.perf_counter() - start
    return result.status, {str(s["kind"]) for s in result.details.get("stamps", [])}, took


def roc(seeds: range, out: Path) -> float:
    """ROC of the model on held-out patches; returns the AUC and draws the curve."""
    from train import dataset  # noqa: PLC0415

    x, y = dataset(seeds)
    p = reproduction_probability(get_runner(MODEL_PATH).run(x))
    order = np.argsort(-p)
    tpr = np.concatenate([[0], np.cumsum(y[order]) / max(y.sum(), 1)])
    fpr = np.concatenate([[0], np.cumsum(1 - y[order]) / max((1 - y).sum(), 1)])
    auc = float(np.trapezoid(tpr, fpr))
    acc = float(((p >= 0.5) == (y > 0.5)).mean())
    size, m = 400, 40
    img = Image.new("RGB", (size + 2 * m, size + 2 * m), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle([m, m, m + size, m + size], outline="black")
    draw.line([(m, m + size), (m + size, m)], fill=(180, 180, 180))
    draw.line([(m + f * size, m + size - t * size) for f, t in zip(fpr, tpr, strict=True)],
              fill=(200, 0, 0), width=2)
    draw.text((m, 10), f"stamp_ink ROC, held-out patches n={len(y)}: AUC {auc:.4f}, "
              f"acc@0.5 {acc:.3f}", fill="black")
    draw.text((m + size // 2 - 60, m + size + 10), "false positive rate", fill="black")
    draw.text((4, m + size // 2), "TPR", fill="black")
    img.save(out)
    print(f"ROC: n={len(y)} ({int(y.sum())} reproduction) AUC={auc:.4f} acc@0.5={acc:.3f}")
    return auc


def main() -> None:
    """Run the benchmark and print the rates."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--roc", action="store_true", help="also draw the model's ROC")
    args = parser.parse_args()
    if args.roc:
        from train import HELD_OUT_SEEDS  # noqa: PLC0415

        roc(HELD_OUT_SEEDS, ROOT / "models" / "stamp_ink" / "roc.png")
    times: list[float] = []
    for forgery in (None, *KINDS):
        hits = 0
        for i in range(args.seeds):
            status, kinds, took = run_page(BASE_SEED + i, forgery, args.dpi)
            times.append(took)
            if forgery is None:
                hits += status == "failed"
            else:
                hits += status == "failed" and KINDS[forgery] in kinds
        name = "genuine false flags" if forgery is None else f"{forgery} detected"
        print(f"{name}: {hits}/{args.seeds}", flush=True)
    print(f"check time per page: median {1000 * np.median(times):.0f} ms, "
          f"max {1000 * max(times):.0f} ms at {args.dpi} dpi")


if __name__ == "__main__":
    main()
