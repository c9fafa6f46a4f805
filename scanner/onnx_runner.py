"""A small onnxruntime wrapper: one session per model file, one thread, warmed up once.

onnxruntime is imported inside the functions so that CLI commands that never score a model
do not pay for it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

log = logging.getLogger(__name__)


class ModelMissing(FileNotFoundError):
    """The ONNX model file is not where the scanner expects it."""


class OnnxRunner:
    """Runs one ONNX model with a single input and output on the CPU in batches."""

    def __init__(self, path: Path, *, retrain_hint: str = "", batch: int = 64,
                 warm_up_shape: tuple[int, ...] | None = None) -> None:
        if not path.is_file():
            raise ModelMissing(f"ONNX model {path} not found; {retrain_hint or 'restore it'}")
        import onnxruntime as ort  # noqa: PLC0415

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.path = path
        self.batch = batch
        self._session: Any = ort.InferenceSession(str(path), options,
                                                  providers=["CPUExecutionProvider"])
        self._input = self._session.get_inputs()[0]
        self._output = self._session.get_outputs()[0].name
        shape = warm_up_shape or tuple(d if isinstance(d, int) else 1 for d in self._input.shape)
        self.run(np.zeros(shape, np.float32))  # warm-up: first call allocates
        log.info("loaded ONNX model %s", path.name)

    @property
    def input_shape(self) -> list[int | str]:
        """The model's declared input shape (symbolic batch dimension as a string)."""
        return list(self._input.shape)

    def run(self, inputs: NDArray[np.float32]) -> NDArray[np.float32]:
        """The model's output for `inputs`, computed in batches of at most `batch`."""
        if len(inputs) == 0:
            return np.zeros((0,), np.float32)
        parts = [self._session.run([self._output], {self._input.name: inputs[i:i + self.batch]})[0]
                 for i in range(0, len(inputs), self.batch)]
        out: NDArray[np.float32] = np.concatenate(parts).astype(np.float32)
        return out


_RUNNERS: dict[Path, OnnxRunner] = {}
_LOCK = threading.Lock()


def get_runner(path: Path, *, retrain_hint: str = "",
               warm_up_shape: tuple[int, ...] | None = None) -> OnnxRunner:
    """The runner of `path`, created on first use and cached for the process; a model with
    symbolic image sides warms up on `warm_up_shape`."""
    key = path.resolve()
    with _LOCK:
        runner = _RUNNERS.get(key)
        if runner is None:
            runner = _RUNNERS[key] = OnnxRunner(key, retrain_hint=retrain_hint,
                                                warm_up_shape=warm_up_shape)
        return runner


def clear_runners() -> None:
    """Forget every cached runner (tests, model reload)."""
    with _LOCK:
        _RUNNERS.clear()
