"""Scan configuration: the thresholds of the checks, with where each number comes from."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Thresholds(BaseModel):
    """Decision limits of the optical checks, derived from SPECIMENS.md's light model."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    b900_min_contrast: float = Field(
        0.5, description="IR print contrast 1 - ink/paper of MRZ characters. B900 ink on UTO "
        "paper gives >= 0.69 (ink <= 0.25, paper >= 0.80); IR-transparent dye ink gives <= 0.35 "
        "(ink >= 0.60, paper <= 0.92). The limit sits between, below ICAO's 0.6 print "
        "requirement to allow for optical blur.")
    uv_substrate_max: float = Field(
        0.20, description="Blue UV emission of the paper. UTO paper: <= 0.10, plus up to 0.04 "
        "room light, plus 15 % drift -> <= 0.16. Office or photo paper: >= 0.45, after -15 % "
        "drift and 25 % vignetting >= 0.29.")
    uv_patch_ratio: float = Field(
        2.0, description="A zone whose paper glows this many times brighter than the rest of "
        "the page is a pasted patch")
    uv_patch_min_step: float = Field(
        0.06, description="... and only if it is at least this much brighter (noise floor)")
    mrz_min_confidence: float = Field(
        0.45, description="Below this per-character OCR confidence, a failed check digit is "
        "reported undetermined (rescan) rather than failed")


class ScanConfig(BaseModel):
    """Configuration of the scan engine."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    thresholds: Thresholds = Thresholds()
