"""The `folder` driver: vendor software drops capture folders into a directory (a hot folder).

A capture folder `<root>/<name>/` is taken only when complete: it holds a `.done` marker, or
it holds `capture.json`, `white.png`, `ir.png` and `uv.png` whose sizes and modification times
did not change over `settle_s` seconds. Names starting with `.` are ignored (vendors write
there first and rename). A taken folder moves to `done/`; one that cannot be read moves to
`failed/` with a `reason.txt`, so that nothing is lost and nothing is taken twice.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from drivers.capture import LIGHTS, Capture, CaptureError, read_capture
from drivers.errors import CaptureRejected, check_lights
from drivers.reader import (
    DeviceNotFound,
    DeviceNotOpen,
    DeviceTimeout,
    ReaderIdentity,
    ReaderStatus,
)

FILES = ("capture.json", *(f"{light}.png" for light in LIGHTS))
MARKER = ".done"


class HotFolderReader:
    """A `DocumentReader` that takes complete capture folders from a directory, oldest first."""

    def __init__(self, root: Path | str, *, settle_s: float = 1.0, timeout_s: float = 30.0,
                 poll_s: float = 0.1) -> None:
        self.root = Path(root)
        self.settle_s, self.timeout_s, self.poll_s = settle_s, timeout_s, poll_s
        self._seen: dict[str, tuple[tuple[int, int], ...]] = {}
        self._seen_at: dict[str, float] = {}
        self._open = False

    def open(self) -> None:
        """Check the directory and create `done/` and `failed/`."""
        if not self.root.is_dir():
            raise DeviceNotFound(f"hot folder {self.root} does not exist")
        (self.root / "done").mkdir(exist_ok=True)
        (self.root / "failed").mkdir(exist_ok=True)
        self._open = True

    def close(self) -> None:
        """Stop using the folder; safe twice."""
        self._open = False

    def identity(self) -> ReaderIdentity:
        """The hot folder stands in for the vendor's device."""
        self._require()
        return ReaderIdentity("hot-folder", str(self.root), "n/a")

    def status(self) -> ReaderStatus:
        """No lid sensor; `errors` names how many folders failed."""
        self._require()
        failed = sum(1 for p in (self.root / "failed").iterdir() if p.is_dir())
        return ReaderStatus(lid_closed=True, errors=(f"{failed} failed captures",) if failed
                            else ())

    def capture(self, lights: Sequence[str] = LIGHTS) -> Capture:
        """The next complete folder, waiting up to `timeout_s`; moved to `done/` or `failed/`."""
        check_lights(lights)
        self._require()
        until = time.monotonic() + self.timeout_s
        while True:
            folder = self._next_complete()
            if folder is not None:
                return self._take(folder)
            if time.monotonic() >= until:
                raise DeviceTimeout(f"hot folder {self.root}: no complete capture folder "
                                    f"within {self.timeout_s:g} s")
            time.sleep(self.poll_s)

    def _next_complete(self) -> Path | None:
        candidates = sorted((p for p in self.root.iterdir() if p.is_dir()
                             and not p.name.startswith(".") and p.name not in ("done", "failed")),
                            key=lambda p: (p.stat().st_mtime, p.name))
        now = time.monotonic()
        for folder in candidates:
            if (folder / MARKER).exists():
                return folder
            try:
                stats = tuple((s.st_size, s.st_mtime_ns) for s in
                              (((folder / name).stat()) for name in FILES))
            except FileNotFoundError:
                continue
            if self._seen.get(folder.name) != stats:
                self._seen[folder.name], self._seen_at[folder.name] = stats, now
            elif now - self._seen_at[folder.name] >= self.settle_s:
                return folder
        return None

    def _take(self, folder: Path) -> Capture:
        self._seen.pop(folder.name, None)
        try:
            capture = read_capture(folder)
        except CaptureError as err:
            target = _move(folder, self.root / "failed")
            reason = f"{err.path.name}: {err.problem}"
            (target / "reason.txt").write_text(reason + "\n", encoding="utf-8")
            raise CaptureRejected(f"hot folder: {folder.name} is not a usable capture "
                                  f"({reason}); moved to failed/") from err
        return replace(capture, path=_move(folder, self.root / "done"))

    def _require(self) -> None:
        if not self._open:
            raise DeviceNotOpen(f"hot folder {self.root} is not open; call open() first")


def _move(folder: Path, into: Path) -> Path:
    target, n = into / folder.name, 1
    while target.exists():
        target, n = into / f"{folder.name}-{n}", n + 1
    return folder.rename(target)
