"""Scan configuration: the thresholds of the checks, with where each number comes from."""

from __future__ import annotations

from typing import Literal

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
    uv_glow_min: float = Field(
        0.06, description="Yellow-green glow (min(red, green) - blue) of a UV feature above "
        "the paper around it. The issuer's ink: strength >= 0.4 worn, after -15 % drift and "
        "25 % vignetting >= 0.25 peak, >= 0.15 as glow; paper, room light and sensor noise "
        "give <= 0.02.")
    uv_feature_max_offset_mm: float = Field(
        3.0, description="How far the centre of a UV feature may lie from its place in the "
        "document model (print registration of the issuer is far better)")
    overprint_continuity: float = Field(
        0.3, description="The UV overprint must cover the inside of the photo at least this "
        "fraction as densely as its border; a pasted print covers it completely (-> ~0)")
    photo_ir_min_kept: float = Field(
        0.45, description="Share of the photo's darkest-tone contrast (white light) that must "
        "stay in IR. A dye print at the spec's limits keeps at most (1 - 0.60/0.85) / "
        "(1 - 0.20/0.90) = 0.38; the issuer's carbon print keeps its dark tones.")
    ir_data_min_kept: float = Field(
        0.5, description="Share of the black personal-data print that must stay dark (below "
        "half the paper level) in IR. B900 (IR <= 0.25 of paper 0.80-0.92) stays entirely; "
        "dye ink (IR >= 0.60) never does. Blurred stroke edges lose a part.")
    ir_labels_max_kept: float = Field(
        0.5, description="Share of the mid-tone labels and background print that may stay dark "
        "in IR. Offset inks are IR-transparent (-> ~0); carbon toner keeps all of it.")
    fibre_min_glow: float = Field(
        0.05, description="How far a fibre's colour must stand above the other UV channels "
        "and its surroundings; sensor noise stays near 0.01-0.02")
    max_blur_mm: float = Field(
        0.2, description="Blur (Gaussian sigma) beyond which fine print cannot be judged: "
        "OCR-B strokes are about 0.35 mm wide")
    max_glare: float = Field(
        0.005, description="Share of page pixels saturated in every colour channel (the "
        "lamp's own white, reflected by the laminate) where the paper around is not: a "
        "lamp brighter within its drift limit saturates only the brightest channel of "
        "tinted paper")
    max_room_light: float = Field(
        0.06, description="Share of the white image leaking into UV (image_quality's "
        "estimate) beyond which the UV checks cannot compensate: SPECIMENS.md allows up to "
        "0.04 with the lid open and every UV threshold includes it; the estimate reads "
        "0.02-0.04 there and >= 0.09 at 0.12.")
    mrz_min_confidence: float = Field(
        0.45, description="Below this per-character OCR confidence, a failed check digit is "
        "reported undetermined (rescan) rather than failed")


class StampThresholds(BaseModel):
    """Decision limits of `stamp_authenticity`, from SPECIMENS.md's light model."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ink_min_chroma: float = Field(
        0.10, description="Chroma (max - min channel, relative to the local paper) of stamp "
        "ink at 100 dpi. Official/stamp-pad ink at full cover gives >= 0.3; the offset "
        "background is pastel and, relative to its own tint, stays below ~0.08 except on "
        "thin lines that the grouping drops; B900 black has none.")
    uv_min_emission: float = Field(
        0.10, description="Orange UV emission (the orange part of the ink's UV above the "
        "glow under it, in units of R - B; `stamp_find.orange_emission`) per unit of ink "
        "darkness. Official ink: strength >= 0.15, R - B >= 0.13, after -15 % drift and 25 % "
        "vignetting >= 0.08, over a darkness of <= 0.72 -> >= 0.11. Stamp-pad ink: only the "
        "room-light leak (4 % of white) and paper shading, <= 0.07.")
    print_min_score: float = Field(
        0.5, description="Mean reproduction probability of the model's patches in an ink "
        "area (halftone 60-150 lpi or dither dots 1.5-3 px at 400 dpi vs solid ink)")
    print_min_texture: float = Field(
        0.22, description="High-frequency colour energy (sum over R, G, B of |pixel - its "
        "1.2 px@400 dpi blur|) per unit of ink darkness. Solid ink shows only sensor noise "
        "and grain (~0.1-0.15); halftone or dither dots (1.5-6.7 px at 400 dpi) switch "
        "between toner colours and paper and give >= 0.25. Either this or the model's score "
        "marks ink without UV emission as printed.")
    min_part_mm2: float = Field(
        15.0, description="Least ink area (mm^2) of one kind reported as an impression: a "
        "UTO stamp (30 x 22 mm) carries ~100-250 mm^2 of ink, so this is a fragment.")
    print_part_mm2: float = Field(
        7.5, description="Least full-strength ink (mm^2) of a run of ink without UV "
        "emission that has a whole stamp's extent (print_extent_mm): a pale or coarse print "
        "keeps little of a stamp's ink at full strength (8-15 mm^2 on development prints "
        "that min_part_mm2 missed), and a stamp-pad impression mostly under official ones "
        "little of its own (10-15 mm^2 on three that were missed). Until session 13 only "
        "printed runs that the finder model also marks as toner; on 800 genuine development "
        "pages the wider rule flagged no page more, but in a later benchmark run one genuine "
        "page was flagged by it (a single guilloche line at the page edge, 8.9 mm^2 over "
        "29 x 19.5 mm).")
    print_carbon_dots: float = Field(
        0.0035, description="Least share of a ~2 mm cell covered by carbon toner dots (small "
        "dots dark in IR, `stamp_find.carbon_dots`) for a cell of a print; a run of such "
        "cells with a whole stamp's extent (print_extent_mm) and print_part_mm2 of ink is a "
        "reproduction even where ink there glows (a print merged with an official "
        "impression). No stamp ink or offset colour is dark in IR. About one dot per cell "
        "(4 pixels at 400 dpi): on 200 genuine development visa pages (880000-880199) no "
        "run of such cells was longer than 4 mm, while 5 of 7 development reproductions "
        "that had passed held runs of 15.7 x 21.7 to 25.6 x 35.3 mm. Checked on new sets: "
        "reproductions missed 5 -> 2 of 200 (886000-), 2 -> 1 of 100 at 300 dpi (884000-); "
        "no genuine page more flagged and no such run on 800 genuine pages (850000-850299, "
        "880000-880199; 100 each worn, at 300 dpi, and UTO-P).")
    print_extent_mm: tuple[float, float] = Field(
        (12.0, 20.0), description="Least short and long side (mm) of such a run: a UTO stamp "
        "is 30 x 22 mm; stamp-coloured guilloche fragments that look printed measured at "
        "most 15.7 x 17.8 mm, or under 11 mm wide, on 480 development pages.")
    min_stamp_ink: float = Field(
        0.5, description="Least mean probability of the finder model (models/stamp_find) "
        "that ink without UV emission is stamp ink rather than background print, before it "
        "is judged forged: saturated guilloche loops and labels have the colour of stamp ink "
        "and no emission either; only shape and context tell them apart.")
    min_cell_stamp_ink: float = Field(
        0.25, description="Ink without UV emission joins an impression only in ~2 mm cells "
        "where the finder model's mean stamp-ink probability of that ink (over 6 mm) is at "
        "least this: stamp-coloured guilloche around a forged impression would otherwise join "
        "it, and the whole would fall under min_stamp_ink and pass as guilloche. With 0.25 "
        "(0.5 found the same on the pages tried), 2 of 200 development reproductions and 2 of "
        "200 stamp-pad forgeries that had passed were found; of 800 genuine development "
        "pages one more was flagged (a pale official stamp on dense guilloche, partly "
        "judged not to glow).")
    min_judge_mm2: float = Field(
        25.0, description="Below this ink area (mm^2), or cut by the page edge, an impression "
        "is a fragment: it passes when it glows and is not judged when it does not (too "
        "little is left to tell stamp-pad ink from saturated guilloche)")
    duplicate_same_colour: float = Field(
        0.8, description="Two places hold the same ink when the colours (unit absorbance "
        "vectors) of their impressions agree this well (cosine): a copy repeats its "
        "original's ink, while a blue and a red stamp of one layout may coincide in places. "
        "Each group's inks are estimated from that group alone, and a close ink merged "
        "with a stamp (violet and blue count as one ink) shifts them, so the limit is loose.")
    duplicate_min_shared_mm2: float = Field(
        30.0, description="Least area (mm^2) where two aligned places carry ink of the same "
        "amount (within 0.1, at 200 dpi) for a copy: a copy repeats a stamp's ink "
        "(~100-250 mm^2) down to the pixel; re-inkings of one die differ in angle, density, "
        "pressure gradient and missing parts, so their strokes rarely coincide.")
    duplicate_min_correlation: float = Field(
        0.6, description="... with at least this normalised correlation of the two ink maps "
        "around that area: ~0.9-1 for a copy standing alone, lower where other stamps "
        "overlap it; unrelated impressions stay near 0, small chance coincidences of solid "
        "strokes reach ~0.5.")
    duplicate_copy_shared_mm2: float = Field(
        80.0, description="With more identical area the correlation needed falls linearly, "
        "down to `duplicate_copy_min_correlation` at this area (more than half of a UTO "
        "stamp's ink; two pressings of one die coincide on ~60 mm^2 at most); with the "
        "defaults both are 0.6, so it does not fall. A copy pressed within 8 mm of its "
        "original needs this area.")
    duplicate_copy_min_correlation: float = Field(
        0.6, description="The correlation needed at `duplicate_copy_shared_mm2` and above. "
        "Maps are stamp ink with the background lines unmixed: a copy overlapping other "
        "stamps keeps ~0.3-0.7, two pressings of one die reach ~0.58 over 50-70 mm^2. A "
        "copy under other ink is found by its exact strokes (`duplicate_exact_mm2`, also in "
        "its UV emission) instead: of 636 development pages with a copy, 9 were found by "
        "correlation alone, 8 of them at 0.61 or more (one at 0.585), while 3 of 720 "
        "genuine ones reached 0.55-0.58. So it equals `duplicate_min_correlation`: the "
        "correlation needed does not fall with the area (a limit of 0.35 flagged those "
        "three).")
    duplicate_exact_mm2: float = Field(
        30.0, description="Whatever the correlation, two places are a copy with this much "
        "ink (mm^2) in ~1 mm blocks whose amounts agree within 0.03 on average (strokes "
        "along the shift left out), as they are, with one side scaled to the other by one "
        "factor (each group's amounts carry its own ink-colour estimate), or in the ink's "
        "own UV emission (background lines of the ink's colour stay in its amounts but do "
        "not glow): a copy repeats its original that exactly wherever no other stamp "
        "covers either. On 480 genuine development pages, two places reached 15 mm^2 at "
        "most scaled or in the emission, and 28 mm^2 as they are at one 3 mm shift (a "
        "stamp against itself).")
    duplicate_correlated_exact_mm2: float = Field(
        18.0, description="A copy found by its correlation alone also needs this much ink "
        "(mm^2) of exact strokes (as for `duplicate_exact_mm2`): correlated that well, it "
        "is mostly uncovered, and there a copy repeats its original exactly. A pattern that "
        "nearly repeats itself does not, nor do two pressings of one die at the same angle. "
        "On 800 genuine development pages (850000-850299, 860000-860299, 880000-880199), "
        "the places that correlated at 0.6 or more held 1.3-5.5 mm^2 (one page of dense "
        "guilloche, 3-12 mm apart) and 8.3 mm^2 (880192: a red and a violet stamp of one "
        "layout, 48.6 mm apart, at 0.63); on 400 development pages with a copy, a place "
        "that was not the copy reached 13.9 mm^2 at 0.67. The copies found by correlation "
        "held 23.5 mm^2 or more (840000-840199) and 31.2 or more (890000-890199). 18 lies "
        "between 13.9 and 23.5 (5 until session 16). Measured with the search limited to "
        "ink the finder model takes for stamp ink; before that, guilloche reached 0.80 with "
        "0.4 mm^2 and 0.76 with 15.6 mm^2.")
    duplicate_glow_exact_mm2: float = Field(
        21.0, description="Two places at least 8 mm apart are a copy with this much ink "
        "(mm^2) of exact strokes (as for `duplicate_exact_mm2`) in the ink's own UV emission "
        "alone. The emission holds neither the background lines nor ink that does not glow, "
        "which stay in the ink amounts, so a copy under other ink keeps its exact strokes "
        "there. On 800 genuine development pages (850000-850299, 860000-860299, "
        "880000-880199), places 8 mm apart or more held 14.6 mm^2 at most (860229); two "
        "copies that the other measures missed held 27.8 and 29.9 (890136, 890156 of "
        "890000-890199). 21 lies between. Closer places keep `duplicate_exact_mm2`: a genuine "
        "stamp against itself 4.3 mm away held 19.3 mm^2.")


class VerdictConfig(BaseModel):
    """How check results become a verdict (ICAO 9303 Part 2: security or convenience)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    mode: Literal["high_security", "high_convenience"] = Field(
        "high_security", description="high_security: any undetermined check asks for review; "
        "high_convenience: only undetermined mandatory checks do")
    silent_checks: frozenset[str] = Field(
        frozenset(), description="New checks that run and are reported and logged, but do "
        "not count for the verdict")
    weights: dict[str, int] = Field(
        default_factory=lambda: {"mrz_ir_b900": 10, "uv_dull_substrate": 10,
                                 "photo_integrity": 9, "mrz_check_digits": 9, "uv_pattern": 8,
                                 "stamp_authenticity": 8, "ir_visibility": 7, "uv_fibres": 6,
                                 "document_expiry": 5, "image_quality": 4},
        description="Order of the reasons: the heavier a check, the earlier its reason")


class ScanConfig(BaseModel):
    """Configuration of the scan engine."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    thresholds: Thresholds = Thresholds()
    stamps: StampThresholds = StampThresholds()
    verdict: VerdictConfig = VerdictConfig()
