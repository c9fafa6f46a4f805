"""Images at rest: AES-256-GCM with a key from a file or a systemd credential."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = logging.getLogger(__name__)
KEY_BYTES = 32
NONCE_BYTES = 12


class ImageKeyError(Exception):
    """The image key is missing, unreadable or malformed."""


class ImageCipher:
    """Seals and opens image bytes; the scan id and light are bound as associated data."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ImageKeyError(f"the image key must be {KEY_BYTES} bytes, got {len(key)}")
        self._aead = AESGCM(key)

    def seal(self, data: bytes, scan_id: str, light: str) -> bytes:
        """Nonce + ciphertext of `data`."""
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, data, f"{scan_id}/{light}".encode())

    def open(self, sealed: bytes, scan_id: str, light: str) -> bytes:
        """The plain bytes; raises `ImageKeyError` when the key or the binding is wrong."""
        try:
            return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:],
                                      f"{scan_id}/{light}".encode())
        except InvalidTag as err:
            raise ImageKeyError(f"image {scan_id}/{light} does not open with this key") from err


def load_key(path: Path, create: bool) -> ImageCipher:
    """Read the key file (raw 32 bytes or 64 hex chars); create it 0600 when allowed."""
    if not path.exists():
        if not create:
            raise ImageKeyError(f"{path}: image key missing and image_key.create is false")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        log.warning("created a new image key at %s (mode 0600); back it up", path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ImageKeyError(f"{path}: cannot read the image key ({err.strerror})") from err
    if len(raw) != KEY_BYTES:
        try:
            raw = bytes.fromhex(raw.decode("ascii").strip())
        except (UnicodeDecodeError, ValueError) as err:
            raise ImageKeyError(f"{path}: not 32 raw bytes nor 64 hex digits") from err
    return ImageCipher(raw)
