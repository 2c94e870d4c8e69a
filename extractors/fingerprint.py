"""What a file looks like, beside what it says: a perceptual hash of each flattened document
and the file's own metadata (EXIF), for the checks that look across documents and cases.

``image_phash(bgr)`` is the 64-bit DCT perceptual hash (``imagehash.phash``) of a flattened,
upright document, as 16 hex digits. It is taken on the grey image inside a small inner
margin (``PHASH_MARGIN`` of each side), so the desk that a loose outline keeps at the edge
and a small crop weigh little. Two photographs of the same print land a few bits apart;
``bands(h)`` splits a hash into four 16-bit integers so a database finds every hash within
a few bits of another through four indexed equality look-ups (two hashes at most 3 bits
apart share at least one band exactly: pigeonhole), then ``hamming`` decides.

``file_metadata(data)`` reads what the file says of itself without decoding its pixels:
format, size in pixels, and the EXIF tags that tell where a picture came from (camera
``Make``/``Model``, ``Software``, ``DateTimeOriginal``, ``UserComment``, ``ImageDescription``)
and PNG text chunks. A file it cannot read gives ``{}``; nothing here raises for bad input.

>>> h = "f0e1d2c3b4a59687"
>>> bands(h)
(61665, 53955, 46245, 38535)
>>> hamming(h, "f0e1d2c3b4a59686"), hamming(h, h)
(1, 0)
>>> bands("xyz")
Traceback (most recent call last):
...
ValueError: a perceptual hash is 16 hex digits, got 'xyz'
"""

from __future__ import annotations

import io
import re
from typing import Any

import cv2
import imagehash
import numpy as np
from PIL import Image, UnidentifiedImageError

__all__ = ["PHASH_MARGIN", "image_phash", "bands", "hamming", "file_metadata", "of_image", "attach"]

#: share of each side left out before hashing (the outline's slack, small crops)
PHASH_MARGIN = 0.04
_HEX = re.compile(r"^[0-9a-f]{16}$")

# EXIF tag numbers (TIFF/EXIF 2.32)
_IFD_EXIF = 0x8769
_TAGS = {271: "make", 272: "model", 305: "software", 306: "datetime", 270: "description"}
_EXIF_TAGS = {36867: "datetime_original", 37510: "user_comment"}
_PNG_TEXT = {"software": "software", "description": "description", "comment": "user_comment",
             "creation time": "datetime_original", "author": "author"}
_MAX_TEXT = 200  # characters kept of any metadata text


def image_phash(image: np.ndarray) -> str:
    """The perceptual hash of a BGR (or grey) document image, 16 hex digits."""
    if image is None or image.size == 0:
        raise ValueError("no image to hash")
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    h, w = grey.shape[:2]
    my, mx = int(h * PHASH_MARGIN), int(w * PHASH_MARGIN)
    if h - 2 * my >= 8 and w - 2 * mx >= 8:
        grey = grey[my:h - my, mx:w - mx]
    return str(imagehash.phash(Image.fromarray(np.ascontiguousarray(grey))))


def _check(h: str) -> str:
    if not isinstance(h, str) or not _HEX.match(h):
        raise ValueError(f"a perceptual hash is 16 hex digits, got {h!r}")
    return h


def bands(h: str) -> tuple[int, int, int, int]:
    """The hash as four 16-bit integers, most significant first."""
    h = _check(h)
    return tuple(int(h[i:i + 4], 16) for i in range(0, 16, 4))  # type: ignore[return-value]


def hamming(a: str, b: str) -> int:
    """How many of the 64 bits differ."""
    return bin(int(_check(a), 16) ^ int(_check(b), 16)).count("1")


def of_image(image: np.ndarray | None) -> dict[str, Any] | None:
    """The fingerprint of one flattened document (None without pixels)."""
    if image is None or getattr(image, "size", 0) == 0:
        return None
    return {"phash": image_phash(image)}


def _text(v: Any, comment: bool = False) -> str | None:
    if isinstance(v, bytes) and not comment:  # an editor writing UTF-8 where EXIF says ASCII
        v = v.decode("utf-8", "replace")
    if isinstance(v, bytes):
        # EXIF UserComment: an 8-byte character-code prefix, then the text
        head, body = v[:8], v[8:]
        if head.startswith(b"UNICODE"):
            v = body.decode("utf-16-be" if body[:1] == b"\x00" else "utf-16-le", "replace")
        elif head.startswith((b"ASCII", b"JIS", b"\x00" * 8)):
            v = body.decode("utf-8", "replace")
        else:
            v = v.decode("utf-8", "replace")
    if v is None:
        return None
    s = str(v)
    try:  # UTF-8 bytes in an ASCII tag come back from Pillow as Latin-1 text
        s = s.encode("latin-1").decode("utf-8") if not s.isascii() else s
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass  # real non-ASCII text: keep it
    s = s.replace("\x00", "").strip()
    return s[:_MAX_TEXT] or None


def file_metadata(data: bytes) -> dict[str, Any]:
    """Format, pixel size and the provenance tags of an image file (``{}`` when unreadable)."""
    try:
        im = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError):
        return {}
    with im:
        out: dict[str, Any] = {"format": im.format, "width": im.width, "height": im.height}
        try:
            exif = im.getexif()
            tags = {name: _text(exif.get(num)) for num, name in _TAGS.items()}
            sub = exif.get_ifd(_IFD_EXIF)
            tags.update({name: _text(sub.get(num), comment=num == 37510) for num, name in _EXIF_TAGS.items()})
        except (OSError, ValueError, SyntaxError):  # a malformed EXIF block: no tags, the file is still read
            tags = {}
        for key, name in _PNG_TEXT.items():
            for k, v in (getattr(im, "text", None) or {}).items() if im.format == "PNG" else ():
                if k.lower() == key and not tags.get(name):
                    tags[name] = _text(v)
        out.update({k: v for k, v in tags.items() if v})
    return out


def attach(extraction, data: bytes):
    """``extraction`` with the file's metadata in its fingerprint (returned for chaining)."""
    meta = file_metadata(data)
    if meta:
        extraction.fingerprint = {**(extraction.fingerprint or {}), "file": meta}
    return extraction
