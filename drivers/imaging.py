"""Images on the reader protocol: encoding, the image descriptor, chunking and reassembly."""

from __future__ import annotations

import io
import zlib
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image

CHUNK_DATA = 65_024  # bytes of image data per CHUNK frame (fits the 64 KiB payload limit)
ENCODINGS = ("raw", "png")


@dataclass(frozen=True)
class ImageInfo:
    """What the device announces about one captured image before sending it."""

    light: str
    width: int
    height: int
    channels: int
    dtype: str  # "uint8" or "uint16" (raw: little-endian)
    encoding: str  # "raw" or "png"
    size: int  # bytes of the encoded image
    chunk_size: int
    chunks: int
    crc32: int  # over the whole encoded image

    def to_json(self) -> dict[str, Any]:
        """The descriptor as a JSON object."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> ImageInfo:
        """Parse and check a descriptor; ValueError when it is malformed."""
        if not isinstance(data, dict):
            raise ValueError("image descriptor is not an object")
        try:
            info = cls(**{key: data[key] for key in cls.__dataclass_fields__})
        except (KeyError, TypeError) as err:
            raise ValueError(f"image descriptor incomplete: {err}") from err
        if info.encoding not in ENCODINGS or info.dtype not in ("uint8", "uint16"):
            raise ValueError(f"unsupported image {info.encoding}/{info.dtype}")
        if info.channels not in (1, 3) or info.chunk_size <= 0 or info.size < 0:
            raise ValueError("image descriptor out of range")
        if info.chunks != -(-info.size // info.chunk_size):
            raise ValueError("image descriptor: chunk count does not match size")
        return info


def encode_image(light: str, array: NDArray[Any], encoding: str = "raw",
                 chunk_size: int = CHUNK_DATA) -> tuple[ImageInfo, bytes]:
    """Encode one light's image and describe it."""
    if encoding == "png":
        buf = io.BytesIO()
        Image.fromarray(array).save(buf, format="PNG", compress_level=1)
        data = buf.getvalue()
    elif encoding == "raw":
        data = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
    else:
        raise ValueError(f"unknown encoding {encoding!r}; choose one of {', '.join(ENCODINGS)}")
    height, width = array.shape[:2]
    channels = 1 if array.ndim == 2 else int(array.shape[2])
    info = ImageInfo(light, int(width), int(height), channels, str(array.dtype), encoding,
                     len(data), chunk_size, -(-len(data) // chunk_size), zlib.crc32(data))
    return info, data


def decode_image(info: ImageInfo, data: bytes) -> NDArray[Any]:
    """The pixel array of a reassembled image; ValueError when it does not match its descriptor."""
    if len(data) != info.size or zlib.crc32(data) != info.crc32:
        raise ValueError(f"{info.light} image failed its whole-image CRC-32")
    shape = (info.height, info.width) if info.channels == 1 else \
        (info.height, info.width, info.channels)
    if info.encoding == "png":
        with Image.open(io.BytesIO(data)) as img:
            array = np.asarray(img)
        if info.dtype == "uint16":
            array = array.astype(np.uint16)
    else:
        dtype = np.dtype(info.dtype).newbyteorder("<")
        if len(data) != int(np.prod(shape)) * dtype.itemsize:
            raise ValueError(f"{info.light} image size does not match {shape} {info.dtype}")
        array = np.frombuffer(data, dtype=dtype).reshape(shape).astype(info.dtype)
    if array.shape != shape:
        raise ValueError(f"{info.light} image is {array.shape}, announced {shape}")
    return array


def chunk(data: bytes, size: int, index: int) -> bytes:
    """Bytes of chunk `index`."""
    return data[index * size:(index + 1) * size]
