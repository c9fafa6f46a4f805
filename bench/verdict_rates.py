"""Render fresh specimens of every kind, scan them, report flag rates and timings.

Usage: python bench/verdict_rates.py [--per-kind N] [--seed S] [--dpi D] [--write]
Seeds default to the clock, so every run sees specimens nobody tuned on. `--write` replaces
the verdict section of docs/benchmarks.md with this run's table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor

from docs_section import write_section  # bench/ is on sys.path when a script runs

KINDS: tuple[tuple[str, str | None, dict[str, object]], ...] = (
    ("UTO-P", None, {}), ("UTO-P", None, {"worn": True}), ("UTO-P", None, {"upside_down": True}),
    ("UTO-V", None, {}),
    ("UTO-P", "counterfeit_copy", {}), ("UTO-P", "mrz_altered", {"mrz_variant": "wrong"}),
    ("UTO-P", "mrz_altered", {"mrz_variant": "recomputed"}), ("UTO-P", "photo_substituted", {}),
    ("UTO-P", "uv_feature_missing", {}), ("UTO-V", "stamp_reproduced", {}),
    ("UTO-V", "stamp_fake_rubber", {}), ("UTO-V", "stamp_duplicated", {}),
)
MARK = "<!-- verdict-rates -->"


def _one(job: tuple[int, int, int]) -> tuple[int, str, list[str], float, float]:
    kind_index, seed, dpi = job
    from drivers.specimen import render_specimen  # noqa: PLC0415
    from scanner.pipeline import scan_capture  # noqa: PLC0415

    model, forgery, conditions = KINDS[kind_index]
    start = time.perf_counter()
    capture, _ = render_specimen(seed, model=model, forgery=forgery, dpi=dpi,
                                 conditions=dict(conditions) or None)
    rendered = time.perf_counter()
    result = scan_capture(capture)
    failed = [c.id for c in result.checks if c.status == "failed"]
    return kind_index, result.verdict.status, failed, rendered - start, \
        result.timings_ms["total"]


def main() -> int:
    """Run the benchmark and print (and optionally write) the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-kind", type=int, default=20)
    parser.add_argument("--seed", type=int, default=int(time.time()) % 10_000_000)
    parser.add_argument("--dpi", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    jobs = [(k, args.seed + k * 100_000 + i, args.dpi)
            for k in range(len(KINDS)) for i in range(args.per_kind)]
    verdicts: dict[int, Counter[str]] = defaultdict(Counter)
    catchers: dict[int, Counter[str]] = defaultdict(Counter)
    render_s: list[float] = []
    scan_ms: list[float] = []
    with ProcessPoolExecutor(args.workers) as pool:
        for done, (k, verdict, failed, render, scan) in enumerate(pool.map(_one, jobs), 1):
            verdicts[k][verdict] += 1
            catchers[k].update(failed)
            render_s.append(render)
            scan_ms.append(scan)
            print(f"\r{done}/{len(jobs)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    rows = ["| kind | n | pass | review | fail | flagged | failing checks |",
            "|---|---|---|---|---|---|---|"]
    for k, (model, forgery, conditions) in enumerate(KINDS):
        counts, n = verdicts[k], sum(verdicts[k].values())
        flagged = counts["review"] + counts["fail"]
        label = f"{model} {forgery or 'genuine'}" + "".join(
            f" {key}" if value is True else f" {value}" for key, value in conditions.items())
        top = ", ".join(f"{c} {v}" for c, v in catchers[k].most_common(3)) or "–"
        rows.append(f"| {label} | {n} | {counts['pass']} | {counts['review']} | {counts['fail']}"
                    f" | {100 * flagged / n:.0f} % | {top} |")
    scan_ms.sort()
    forged = [k for k, kind in enumerate(KINDS) if kind[1] is not None]
    genuine = [k for k, kind in enumerate(KINDS) if kind[1] is None]

    def flagged(kinds: list[int]) -> tuple[int, int]:
        return (sum(verdicts[k]["review"] + verdicts[k]["fail"] for k in kinds),
                sum(sum(verdicts[k].values()) for k in kinds))

    hit, n_forged = flagged(forged)
    false, n_genuine = flagged(genuine)
    summary = (f"All forgeries: {hit}/{n_forged} flagged ({100 * hit / n_forged:.1f} %). "
               f"Genuine pages (every capture with random LED drift within the calibration "
               f"limits, vignetting and rotation): {false}/{n_genuine} flagged "
               f"({100 * false / n_genuine:.1f} %).\n\n"
               f"Seeds from {args.seed}, {args.per_kind} per kind, {args.dpi} dpi, "
               f"{args.workers} worker processes on {os.cpu_count()} cores. Scan time per "
               f"capture (page + MRZ + checks, one process): median "
               f"{statistics.median(scan_ms):.0f} ms, p95 "
               f"{scan_ms[int(0.95 * (len(scan_ms) - 1))]:.0f} ms. Render time per capture: "
               f"median {statistics.median(render_s):.2f} s.")
    table = "\n".join(rows)
    print(table + "\n\n" + summary)
    if args.write:
        write_section(MARK, "Verdicts on fresh specimens (`bench/verdict_rates.py`)",
                      f"{table}\n\n{summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
