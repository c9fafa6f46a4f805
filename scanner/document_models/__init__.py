"""Document models as data: one JSON file per model; adding a model is adding a file.

A model names its regions (in millimetres from the page's top-left corner, the page upright)
and says how each must look under each light; the checks read these expectations.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Appearance = Literal["visible", "invisible", "dull", "yellow_green", "personal_data_only"]


class MrzSpec(BaseModel):
    """Which MRZ a model carries."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    format: str = Field(pattern=r"^(TD1|TD2|TD3|MRV-A|MRV-B)$")
    issuer: str = Field(min_length=1, max_length=3)


class Region(BaseModel):
    """A region (box x, y, w, h or circle cx, cy, r in mm) and its look under each light."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    box: tuple[float, float, float, float] | None = None
    circle: tuple[float, float, float] | None = None
    white: Appearance
    ir: Appearance
    uv: Appearance

    @model_validator(mode="after")
    def _one_shape(self) -> Region:
        if (self.box is None) == (self.circle is None):
            raise ValueError("a region needs exactly one of 'box' or 'circle'")
        return self

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """The region's bounding box in millimetres."""
        if self.box is not None:
            return self.box
        assert self.circle is not None
        cx, cy, r = self.circle
        return cx - r, cy - r, 2 * r, 2 * r


class FibreSpec(BaseModel):
    """How many UV fibres the paper carries per page."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    min: int = Field(ge=0)
    max: int = Field(ge=0)


class DocumentModel(BaseModel):
    """A document model: size, MRZ, regions, fibres and whether it carries stamps."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    size_mm: tuple[float, float]
    mrz: MrzSpec | None
    regions: dict[str, Region]
    fibres: FibreSpec | None = None
    stamps: bool = False

    def region(self, name: str) -> Region | None:
        """The named region, or None when the model has none by that name."""
        return self.regions.get(name)


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
