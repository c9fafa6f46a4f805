"""Each benchmark owns one section of docs/benchmarks.md, between a pair of marker comments."""

from __future__ import annotations

from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_section(marker: str, title: str, body: str, path: Path = BENCHMARKS) -> None:
    """Replace the section between two `marker` lines (append it when missing)."""
    section = f"{marker}\n## {title}\n\n{body.strip()}\n{marker}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if text.count(marker) >= 2:
        head, _, rest = text.partition(marker)
        _, _, tail = rest.partition(marker)
        text = head + section + tail
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
