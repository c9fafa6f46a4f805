"""Document models as data: one JSON file per model; adding a model is adding a file."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class MrzSpec(BaseModel):
    """Which MRZ a model carries."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    format: str = Field(pattern=r"^(TD1|TD2|TD3|MRV-A|MRV-B)$")
    issuer: str = Field(min_length=1, max_length=3)


class Emblem(BaseModel):
    """A UV-only emblem: centre and diameter in millimetres."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    centre: tuple[float, float]
    diameter: float = Field(gt=0)


class DocumentModel(BaseModel):
    """A document model: size, MRZ and zones in millimetres from the page's top-left corner."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    size_mm: tuple[float, float]
    mrz: MrzSpec | None
    zones: dict[str, tuple[float, float, float, float]]
    uv_emblem: Emblem | None = None


class ModelFileError(Exception):
    """A document model file does not validate."""


@cache
def load_models() -> tuple[DocumentModel, ...]:
    """Every document model shipped in this package, validated."""
    models = []
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        try:
            models.append(DocumentModel.model_validate(json.loads(entry.read_text("utf-8"))))
        except (ValidationError, json.JSONDecodeError) as err:
            raise ModelFileError(f"document model {entry.name} is invalid: {err}") from err
    return tuple(models)
