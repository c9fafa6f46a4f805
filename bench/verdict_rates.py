"""Render fresh specimens of every kind, scan them, report flag rates and timings.

Usage: python bench/verdict_rates.py [--per-kind N] [--seed S] [--dpi D] [--write]
Seeds default to the clock, so every run sees specimens nobody tuned on. Every rate comes with
its 95 % interval: at 50 pages a kind, one page is 2 %. `--write` replaces the verdict section
of docs/benchmarks.md with this run's table.
"""

from __future__ import annotations

import argparse
import math
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


def _latency(jobs: list[tuple[int, int, int]]) -> list[tuple[str, float]]:
    """Scan-to-verdict time of each job scanned alone, as at a counter: the capture is
    rendered first, then scanned with both cores free."""
    from drivers.specimen import render_specimen  # noqa: PLC0415
    from scanner.pipeline import scan_capture  # noqa: PLC0415

    times = []
    for done, (k, seed, dpi) in enumerate(jobs, 1):
        model, forgery, conditions = KINDS[k]
        capture, _ = render_specimen(seed, model=model, forgery=forgery, dpi=dpi,
                                     conditions=dict(conditions) or None)
        times.append((model, scan_capture(capture).timings_ms["total"]))
        print(f"\rlatency {done}/{len(jobs)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return times


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % (Wilson score) interval of a rate seen as `hits` of `n`: with 50 pages a
    kind, one page more or less moves the rate by 2 %, so a single run's figure alone says
    little about a 97 % target."""
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    scale = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / scale
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / scale
    return max(0.0, centre - half), min(1.0, centre + half)


def _rate(hits: int, n: int) -> str:
    lo, hi = wilson(hits, n)
    return f"{100 * hits / n:.1f} % (95 % interval {100 * lo:.1f}-{100 * hi:.1f} %)"


def _spread(ms: list[float]) -> str:
    ms = sorted(ms)
    return f"median {statistics.median(ms):.0f} ms, p95 {ms[int(0.95 * (len(ms) - 1))]:.0f} ms"


def main() -> int:
    """Run the benchmark and print (and optionally write) the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-kind", type=int, default=20)
    parser.add_argument("--seed", type=int, default=int(time.time()) % 10_000_000)
    parser.add_argument("--dpi", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--latency-per-kind", type=int, default=5)
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
    # warm up this process (model sessions) on a page of each model before timing
    _latency([next(j for j in jobs if KINDS[j[0]][0] == model) for model in ("UTO-P", "UTO-V")])
    alone = _latency([j for j in jobs if j[1] - args.seed - j[0] * 100_000
                      < args.latency_per_kind])
    rows = ["| kind | n | pass | review | fail | flagged | failing checks |",
            "|---|---|---|---|---|---|---|"]
    for k, (model, forgery, conditions) in enumerate(KINDS):
        counts, n = verdicts[k], sum(verdicts[k].values())
        n_flagged = counts["review"] + counts["fail"]
        label = f"{model} {forgery or 'genuine'}" + "".join(
            f" {key}" if value is True else f" {value}" for key, value in conditions.items())
        top = ", ".join(f"{c} {v}" for c, v in catchers[k].most_common(3)) or "–"
        rows.append(f"| {label} | {n} | {counts['pass']} | {counts['review']} | {counts['fail']}"
                    f" | {_rate(n_flagged, n)} | {top} |")
    scan_ms.sort()
    forged = [k for k, kind in enumerate(KINDS) if kind[1] is not None]
    genuine = [k for k, kind in enumerate(KINDS) if kind[1] is None]

    def flagged(kinds: list[int]) -> tuple[int, int]:
        return (sum(verdicts[k]["review"] + verdicts[k]["fail"] for k in kinds),
                sum(sum(verdicts[k].values()) for k in kinds))

    hit, n_forged = flagged(forged)
    false, n_genuine = flagged(genuine)
    summary = (f"All forgeries: {hit}/{n_forged} flagged, {_rate(hit, n_forged)}. "
               f"Genuine pages (every capture with random LED drift within the calibration "
               f"limits, vignetting and rotation): {false}/{n_genuine} flagged, "
               f"{_rate(false, n_genuine)}.\n\n"
               f"Seeds from {args.seed}, {args.per_kind} per kind, {args.dpi} dpi, on "
               f"{os.cpu_count()} cores.\n\n"
               f"Scan-to-verdict time (page + MRZ + checks), one capture at a time as at a "
               f"counter ({len(alone)} captures, {args.latency_per_kind} per kind): "
               f"{_spread([t for _, t in alone])}; UTO-P pages "
               f"{_spread([t for m, t in alone if m == 'UTO-P'])}, UTO-V pages "
               f"{_spread([t for m, t in alone if m == 'UTO-V'])}. Under load, with "
               f"{args.workers} scans at once (the verdict pass above): {_spread(scan_ms)}. "
               f"Render time per capture: median {statistics.median(render_s):.2f} s.")
    table = "\n".join(rows)
    print(table + "\n\n" + summary)
    if args.write:
        write_section(MARK, "Verdicts on fresh specimens (`bench/verdict_rates.py`)",
                      f"{table}\n\n{summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
