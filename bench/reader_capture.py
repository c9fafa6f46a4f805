"""Time a three-light capture through the simulated reader on a pty, and the protocol throughput.

Usage: python bench/reader_capture.py [--dpi 400] [--runs 5] [--encoding raw|png] [--write]
The page is rendered before each timing starts (a real reader has the page on the glass), so
the figures are the protocol's: request, image transfer in chunks, checks and decoding.
`--write` replaces the reader-capture section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from docs_section import write_section  # bench/ is on sys.path when a script runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drivers.pages import SpecimenPages  # noqa: E402
from drivers.serial_reader import SerialReader  # noqa: E402
from drivers.simulator import ReaderSimulator  # noqa: E402

MARK = "<!-- reader-capture -->"


def measure(dpi: int, runs: int, encoding: str) -> dict[str, float]:
    """Seconds per capture (median, max) and MB/s of image bytes through the pty."""
    times: list[float] = []
    sizes: list[int] = []
    with ReaderSimulator(SpecimenPages(1, dpi=dpi), encoding=encoding) as sim, \
            SerialReader(sim.port) as reader:
        for _ in range(runs):
            sim.wait_ready()
            start = time.perf_counter()
            reader.capture()
            times.append(time.perf_counter() - start)
            sizes.append(sum(info.size for info, _ in sim.device._images.values()))
    median = statistics.median(times)
    return {"median_s": median, "max_s": max(times), "mb": statistics.median(sizes) / 1e6,
            "mb_s": statistics.median(sizes) / 1e6 / median}


def section(results: dict[str, dict[str, float]], dpi: int, runs: int) -> str:
    """The markdown section for docs/benchmarks.md."""
    rows = "\n".join(f"| {enc} | {r['mb']:.1f} | {r['median_s']:.3f} | {r['max_s']:.3f} | "
                     f"{r['mb_s']:.1f} |" for enc, r in results.items())
    return (f"Three lights (white, IR, UV) of a UTO-P page at {dpi} dpi from the simulated "
            f"reader through a pseudo-terminal with the serial driver, median of {runs} "
            "captures, page rendered beforehand; measured "
            f"{time.strftime('%Y-%m-%d')} on the shared 2-core build machine.\n\n"
            "| encoding | image MB | capture s (median) | max s | MB/s |\n"
            f"|---|---|---|---|---|\n{rows}\n")


def main() -> int:
    """Run the benchmark and print (and optionally write) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=400)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--encoding", choices=("raw", "png", "both"), default="both")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    encodings = ("raw", "png") if args.encoding == "both" else (args.encoding,)
    results = {enc: measure(args.dpi, args.runs, enc) for enc in encodings}
    text = section(results, args.dpi, args.runs)
    print(text)
    if args.write:
        write_section(MARK, "Reader capture over a pty (`bench/reader_capture.py`)", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
