"""Find the page in the reader window, deskew it and turn it the right way up.

A `Page` holds the three lights cut out of the capture as upright, landscape images at the
capture's resolution, plus the affine map back to capture pixels so that evidence regions
can be drawn on the original images.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from drivers.capture import Capture

Box = tuple[int, int, int, int]
FloatImage = NDArray[np.float32]


def box_intersection(a: Box, b: Box) -> Box | None:
    """The box two boxes (x, y, w, h) share, or None when they do not meet."""
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    return (x0, y0, x1 - x0, y1 - y0) if x1 > x0 and y1 > y0 else None


class PageNotFound(Exception):
    """No document page could be told apart from the reader window."""


@dataclass
class Page:
    """The document page under three lights, upright, with values 0..1."""

    white: FloatImage  # H x W x 3 RGB
    ir: FloatImage  # H x W
    uv: FloatImage  # H x W x 3 RGB
    dpi: float
    to_capture: NDArray[np.float64]  # 2 x 3 affine: page pixel (x, y, 1) -> capture pixel
    rotation_deg: float  # the page's tilt in the window, degrees
    cropped: bool  # True when the capture already held only the page
    touches_edge: bool = False  # True when a page edge lies along the window edge (maybe cut)
    _small: dict[float, tuple[FloatImage, FloatImage, FloatImage]] = field(
        default_factory=dict, repr=False)
    _cache: dict[str, FloatImage] = field(default_factory=dict, repr=False)

    def luminance(self) -> FloatImage:
        """White-light brightness (mean of R, G, B), cached."""
        if "luminance" not in self._cache:
            import cv2  # noqa: PLC0415

            third = np.full((1, 3), 1 / 3, np.float32)
            lum = cv2.transform(self.white, third)  # one output channel: H x W
            self._cache["luminance"] = np.asarray(lum, np.float32).reshape(self.ir.shape)
        return self._cache["luminance"]

    def small(self, dpi: float = 100.0) -> tuple[FloatImage, FloatImage, FloatImage]:
        """White, IR and UV resampled to `dpi` (cached), for checks that need no fine detail."""
        if dpi not in self._small:
            import cv2  # noqa: PLC0415

            f = dpi / self.dpi
            height, width = self.ir.shape
            size = (max(1, round(width * f)), max(1, round(height * f)))
            self._small[dpi] = tuple(  # type: ignore[assignment]
                cv2.resize(image, size, interpolation=cv2.INTER_AREA)
                for image in (self.white, self.ir, self.uv))
        return self._small[dpi]

    @property
    def size_mm(self) -> tuple[float, float]:
        """Width and height of the page in millimetres."""
        height, width = self.ir.shape
        return width * 25.4 / self.dpi, height * 25.4 / self.dpi

    def mm_box(self, x: float, y: float, w: float, h: float) -> Box:
        """A box given in millimetres from the page's top-left corner, in page pixels."""
        s = self.dpi / 25.4
        height, width = self.ir.shape
        x0, y0 = max(0, round(x * s)), max(0, round(y * s))
        x1, y1 = min(width, round((x + w) * s)), min(height, round((y + h) * s))
        return x0, y0, max(0, x1 - x0), max(0, y1 - y0)

    def region_in_capture(self, box: Box) -> list[int]:
        """The capture-pixel bounding box of a page-pixel box, for evidence overlays."""
        x, y, w, h = box
        corners = np.array([[x, y, 1], [x + w, y, 1], [x + w, y + h, 1], [x, y + h, 1]], float)
        points = corners @ self.to_capture.T
        x0, y0 = np.floor(points.min(axis=0)).astype(int)
        x1, y1 = np.ceil(points.max(axis=0)).astype(int)
        return [int(x0), int(y0), int(x1 - x0), int(y1 - y0)]

    def rotate_box(self, box: Box, quarter_turns: int) -> Box:
        """Where a box of this page lies on the page turned clockwise by `quarter_turns`."""
        x, y, w, h = box
        height, width = self.ir.shape
        k = quarter_turns % 4
        if k == 1:
            return height - y - h, x, h, w
        if k == 2:
            return width - x - w, height - y - h, w, h
        if k == 3:
            return y, width - x - w, h, w
        return box

    def rotated(self, quarter_turns: int) -> Page:
        """The page turned clockwise by `quarter_turns` x 90 degrees."""
        import cv2  # noqa: PLC0415

        k = quarter_turns % 4
        if k == 0:
            return self
        height, width = self.ir.shape
        # new pixel -> old pixel, for np.rot90(image, -k) (clockwise turns)
        new_to_old = {
            1: np.array([[0, 1, 0], [-1, 0, height - 1], [0, 0, 1]], float),
            2: np.array([[-1, 0, width - 1], [0, -1, height - 1], [0, 0, 1]], float),
            3: np.array([[0, -1, width - 1], [1, 0, 0], [0, 0, 1]], float),
        }[k]
        to_capture = self.to_capture @ new_to_old
        # the same pixels as np.rot90(image, -k), copied at twice the speed
        code = (cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_180, cv2.ROTATE_90_COUNTERCLOCKWISE)[k - 1]
        white, ir, uv = (np.asarray(cv2.rotate(image, code), np.float32)
                         for image in (self.white, self.ir, self.uv))
        return Page(
            white=white, ir=ir, uv=uv,
            dpi=self.dpi, to_capture=to_capture, rotation_deg=self.rotation_deg,
            cropped=self.cropped, touches_edge=self.touches_edge)


def _as_float(image: NDArray[np.generic]) -> FloatImage:
    scale = 65535.0 if image.dtype == np.uint16 else 255.0
    result: FloatImage = image.astype(np.float32)
    result *= np.float32(1.0 / scale)
    return result


RotatedRect = tuple[tuple[float, float], tuple[float, float], float]
_CUT_OFF_MM = 3.0  # a page edge lying this long on the window's edge runs over it


def _longest_run(line: NDArray[np.bool_]) -> int:
    """Length of the longest run of True in a 1-D array."""
    padded = np.concatenate(([0], line.astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(padded))
    return int((edges[1::2] - edges[::2]).max()) if edges.size else 0


def _page_rectangle(capture: Capture) -> tuple[RotatedRect | None, bool]:
    """The page's rotated rectangle (None if the capture is cropped to the page) and whether
    the page runs over the window's edge (a stretch of page along the image border)."""
    import cv2  # noqa: PLC0415 - heavy import kept out of module level

    height, width = capture.ir.shape[:2]
    factor = max(1, round(max(height, width) / 600))
    small_white = cv2.resize(capture.white, (width // factor, height // factor),
                             interpolation=cv2.INTER_AREA)
    brightness = cv2.cvtColor(small_white, cv2.COLOR_RGB2GRAY)
    brightness = cv2.GaussianBlur(brightness, (5, 5), 0)
    _, mask = cv2.threshold(brightness, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # holes from dark print do not matter: only the outer contour is used (no closing, which
    # would bridge the gap between a page and the image border)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        raise PageNotFound("no page found in the reader window: place the document flat on "
                           "the glass and close the lid")
    largest = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(largest) * factor * factor
    if area < 0.2 * height * width:
        raise PageNotFound("no page found in the reader window: place the document flat on "
                           "the glass and close the lid")
    if area >= 0.97 * height * width:
        return None, False  # the page fills the image: the reader has already cropped it
    page = np.zeros_like(mask)
    cv2.drawContours(page, [largest], -1, 255, thickness=cv2.FILLED)
    inside = page > 0
    run = max(_longest_run(edge) for edge in (inside[0], inside[-1], inside[:, 0],
                                              inside[:, -1]))
    touches_edge = run * factor * 25.4 / capture.dpi > _CUT_OFF_MM
    (cx, cy), (rw, rh), angle = cv2.minAreaRect(largest)
    centre = ((cx + 0.5) * factor - 0.5, (cy + 0.5) * factor - 0.5)
    return (centre, (rw * factor, rh * factor), angle), touches_edge


def find_page(capture: Capture) -> Page:
    """Cut the page out of the capture: deskewed and landscape, not yet turned upright."""
    import cv2  # noqa: PLC0415

    rect, touches_edge = _page_rectangle(capture)
    if rect is None:
        identity = np.array([[1, 0, 0], [0, 1, 0]], float)
        page = Page(_as_float(capture.white), _as_float(capture.ir), _as_float(capture.uv),
                    capture.dpi, identity, 0.0, cropped=True)
        return page.rotated(1) if page.ir.shape[0] > page.ir.shape[1] else page
    (cx, cy), (rw, rh), angle = rect
    if rw < rh:  # make the rectangle landscape
        rw, rh, angle = rh, rw, angle - 90.0
    if angle > 45:
        angle -= 180
    elif angle < -45:
        angle += 180
    # shave a hair off each edge so that no window background is left in the page image
    margin = 0.3 * capture.dpi / 25.4  # 0.3 mm
    out_w, out_h = round(rw - 2 * margin), round(rh - 2 * margin)
    theta = np.deg2rad(angle)
    c, s = np.cos(theta), np.sin(theta)
    # page pixel (u, v) -> capture pixel: rotate about the page centre
    to_capture = np.array([
        [c, -s, cx - c * (out_w - 1) / 2 + s * (out_h - 1) / 2],
        [s, c, cy - s * (out_w - 1) / 2 - c * (out_h - 1) / 2],
    ])
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP

    def warp(image: NDArray[np.uint8] | NDArray[np.uint16]) -> FloatImage:
        # warp the integer image (a quarter of the bytes of float), then scale to 0..1
        return _as_float(cv2.warpAffine(image, to_capture, (out_w, out_h), flags=flags,
                                        borderMode=cv2.BORDER_REPLICATE))

    return Page(warp(capture.white), warp(capture.ir), warp(capture.uv), capture.dpi,
                to_capture, float(angle),
                cropped=False, touches_edge=touches_edge)
