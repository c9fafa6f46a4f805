"""Write sets of specimen capture folders (with `label.json`) for tests, demos and training."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from drivers.capture import write_capture
from drivers.specimen.render import FORGERIES, MODELS, model_for, render_specimen


def _plan(seed: int, model: str | None, forgery: str | None, mix: bool) -> tuple[str, str | None]:
    """Model and forgery of the capture with this seed."""
    rng = np.random.default_rng([seed, 7])
    chosen_model = model or (model_for(forgery) if forgery else MODELS[int(rng.integers(2))])
    if not mix:
        return chosen_model, forgery
    if rng.random() < 0.5:
        return chosen_model, None
    if forgery is not None:
        return chosen_model, forgery
    options = [f for f in FORGERIES if model_for(f) == chosen_model]
    return chosen_model, options[int(rng.integers(len(options)))]


def generate(out: Path, *, count: int, seed: int, model: str | None = None,
             forgery: str | None = None, dpi: int = 400, mix: bool = False,
             progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Render `count` captures (seeds seed, seed+1, ...) into out/<NNNN>-<model>-<genuine|forgery>/.

    `forgery` None means genuine pages only unless `mix` asks for about half forgeries; `model`
    None mixes UTO-P and UTO-V (or follows the forgery's model). Folders are numbered from 1.
    """
    if model is not None and model not in MODELS:
        raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}")
    if forgery is not None and forgery not in FORGERIES:
        raise ValueError(f"unknown forgery {forgery!r}; choose one of {', '.join(FORGERIES)}")
    if forgery is not None and model is not None and model_for(forgery) != model:
        raise ValueError(f"forgery {forgery!r} applies to {model_for(forgery)} pages, not {model}")
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    out = Path(out)
    written: list[Path] = []
    for index in range(count):
        s = seed + index
        page_model, page_forgery = _plan(s, model, forgery, mix)
        capture, label = render_specimen(s, model=page_model, forgery=page_forgery, dpi=dpi)
        name = f"{index + 1:04d}-{page_model}-{'forgery' if page_forgery else 'genuine'}"
        written.append(write_capture(capture, out / name, extra={"label.json": label}))
        if progress is not None:
            progress(index + 1, count)
    return written
