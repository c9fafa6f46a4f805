"""Where a simulated reader's pages come from: the specimen renderer or a folder of captures."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from drivers.capture import Capture, CaptureError, read_capture

MODELS = ("UTO-P", "UTO-V")


@dataclass(frozen=True)
class Page:
    """A document lying on the simulated glass: its capture and the MRZ the device would read."""

    capture: Capture
    mrz: tuple[str, ...] | None = None


class PageSource(Protocol):
    """An endless supply of pages."""

    def next_page(self) -> Page:
        """The next document placed on the reader."""


@dataclass
class SpecimenPages:
    """UTO specimens from the renderer, seed after seed; `conditions` override the optics."""

    seed: int = 0
    model: str = "UTO-P"
    forgery: str | None = None
    dpi: int = 400
    conditions: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise ValueError(f"unknown model {self.model!r}; choose one of {', '.join(MODELS)}")
        from drivers.specimen import FORGERIES  # noqa: PLC0415 - heavy, only when used

        if self.forgery is not None and self.forgery not in FORGERIES:
            raise ValueError(f"unknown forgery {self.forgery!r}; choose one of "
                             f"{', '.join(FORGERIES)}")

    def next_page(self) -> Page:
        """Render the page for the current seed, then move to the next seed."""
        from drivers.specimen import render_specimen  # noqa: PLC0415 - heavy, only when used

        capture, label = render_specimen(self.seed, model=self.model, forgery=self.forgery,
                                         dpi=self.dpi, conditions=dict(self.conditions) or None)
        self.seed += 1
        mrz = label.get("mrz")
        lines = tuple(str(line) for line in mrz) if isinstance(mrz, list | tuple) else None
        return Page(capture, lines)


class FolderPages:
    """Capture folders (`authscan-capture/1`) inside a directory, in name order, cycling."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        folders = sorted(p for p in self.root.iterdir() if (p / "capture.json").is_file()) \
            if self.root.is_dir() else []
        if not folders:
            raise CaptureError(self.root, "holds no capture folders (sub-folders with "
                               "capture.json, white.png, ir.png, uv.png)")
        self._folders = folders
        self._next = 0

    def next_page(self) -> Page:
        """Read the next folder (wrapping around at the end)."""
        folder = self._folders[self._next % len(self._folders)]
        self._next += 1
        capture = read_capture(folder)
        return Page(capture, _label_mrz(folder))


def _label_mrz(folder: Path) -> tuple[str, ...] | None:
    label = folder / "label.json"
    if not label.is_file():
        return None
    try:
        mrz = json.loads(label.read_text(encoding="utf-8")).get("mrz")
    except (ValueError, AttributeError):
        return None
    return tuple(str(line) for line in mrz) if isinstance(mrz, list) else None
