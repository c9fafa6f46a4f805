"""Geometry and scale from the ChArUco target: the reader's true resolution in each direction."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import cv2
import numpy as np

from calibration.errors import CalibrationRejected
from drivers.capture import Capture
from drivers.specimen.references import TARGET, CharucoSpec

MIN_CORNERS = 20
MAX_SCALE_ERROR = 0.05   # more than 5 % off the nominal dpi: wrong resolution mode or target
MAX_RESIDUAL_PX = 1.5    # an affine fit worse than this: the optics distort, or a bent target


@dataclass(frozen=True)
class Geometry:
    """What the target showed: dpi along x and y, rotation, fit residual, corners used."""

    dpi_x: float
    dpi_y: float
    rotation_deg: float
    residual_px: float
    corners: int

    @property
    def dpi(self) -> float:
        """The mean measured resolution."""
        return (self.dpi_x + self.dpi_y) / 2

    def to_json(self) -> dict[str, float | int]:
        """For the profile manifest."""
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


def measure_geometry(capture: Capture, spec: CharucoSpec = TARGET) -> Geometry:
    """Find the target's ChArUco corners and fit page mm to capture pixels (affine)."""
    grey = np.asarray(cv2.cvtColor(capture.white, cv2.COLOR_RGB2GRAY), np.uint8)
    board = spec.board()
    detector = cv2.aruco.CharucoDetector(board)
    corners, ids, _, _ = detector.detectBoard(grey)
    if ids is None or len(ids) < MIN_CORNERS:
        found = 0 if ids is None else len(ids)
        raise CalibrationRejected(
            "target", f"the ChArUco target was not found ({found} corners, at least "
            f"{MIN_CORNERS} needed): place the geometry target printed side down, flat")
    mm = np.asarray(board.getChessboardCorners(), np.float64)[ids.ravel(), :2]
    px = np.asarray(corners, np.float64).reshape(-1, 2)
    design = np.hstack([mm, np.ones((len(mm), 1))])
    coef, *_ = np.linalg.lstsq(design, px, rcond=None)
    residual = float(np.sqrt(np.mean(np.sum((design @ coef - px) ** 2, axis=1))))
    a = coef[:2].T  # 2x2: columns are the images of the board's x and y unit (1 mm)
    geometry = Geometry(dpi_x=float(np.linalg.norm(a[:, 0])) * 25.4,
                        dpi_y=float(np.linalg.norm(a[:, 1])) * 25.4,
                        rotation_deg=float(np.degrees(np.arctan2(a[1, 0], a[0, 0]))),
                        residual_px=residual, corners=len(ids))
    error = geometry.dpi / capture.dpi - 1
    if abs(error) > MAX_SCALE_ERROR:
        raise CalibrationRejected(
            "target", f"the target measures {geometry.dpi:.1f} dpi but the reader says "
            f"{capture.dpi:g} ({100 * error:+.1f} %): wrong target or resolution mode")
    if residual > MAX_RESIDUAL_PX:
        raise CalibrationRejected(
            "target", f"the target's corners fit a flat grid only to {residual:.2f} px (limit "
            f"{MAX_RESIDUAL_PX}): is the target flat on the glass?")
    return geometry
