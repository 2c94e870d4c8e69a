"""Bytes → pages: type sniffing, size limits decided before decoding, EXIF, PDF routing.

Images: the type comes from magic bytes, never the file name; the pixel count is read
from the header (Pillow opens lazily) and refused before any decode; EXIF orientation
is applied so the pixels are the way the phone showed them.
PDFs: parsed in a subprocess with a memory limit, a timeout and a page cap
(``extractors.pdf``), since pdfminer inflates streams without a cap.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np

from extractors import defaults
from extractors.errors import CorruptFile, TooLarge, UnsupportedType
from extractors.types import OcrLine

__all__ = ["LoadedPage", "LoadedFile", "sniff", "load_bytes", "decode_image", "IMAGE_TYPES"]

# Our own limit, checked from the header before any decode (``decode_image``), replaces
# Pillow's process-wide bomb heuristic; set once at import so behaviour never depends on
# which code path touched Pillow first.
from PIL import Image as _PILImage  # noqa: E402

_PILImage.MAX_IMAGE_PIXELS = None

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/tiff", "image/bmp")


@dataclass
class LoadedPage:
    number: int
    image: np.ndarray | None  # BGR uint8
    text_lines: list[OcrLine] | None = None  # from a PDF text layer, in image pixels
    dpi: float | None = None


@dataclass
class LoadedFile:
    mime: str
    pages: list[LoadedPage] = field(default_factory=list)


def sniff(data: bytes) -> str | None:
    """The MIME type from magic bytes, or None.

    >>> sniff(b"%PDF-1.7\\n...")
    'application/pdf'
    >>> sniff(b"\\x89PNG\\r\\n\\x1a\\n....")
    'image/png'
    >>> sniff(b"<html>") is None
    True
    """
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head[:2] == b"BM" and len(data) > 26:
        return "image/bmp"
    return None


def decode_image(data: bytes, max_pixels: int = defaults.MAX_PIXELS) -> np.ndarray:
    """Decode an image to BGR, refusing oversize images from the header alone."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            w, h = im.size
            if w * h > max_pixels:
                raise TooLarge(f"image is {w}×{h} = {w * h / 1e6:.0f} MP; the limit is {max_pixels / 1e6:.0f} MP")
            if w < 16 or h < 16:
                raise CorruptFile(f"image is only {w}×{h} pixels")
            im = ImageOps.exif_transpose(im)
            if im.mode not in ("RGB", "L"):
                im = im.convert("RGB")
            arr = np.asarray(im)
    except (TooLarge, CorruptFile):
        raise
    except Image.DecompressionBombError as exc:
        raise TooLarge(f"image refused as a decompression bomb: {exc}") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise CorruptFile(f"image could not be decoded: {exc}") from exc
    import cv2

    if arr.ndim == 2:
        return cv2.cvtColor(arr, cv2.COLOR_GRAY2BGR)
    return cv2.cvtColor(arr, cv2.COLOR_RGB2BGR)


def load_bytes(data: bytes, max_bytes: int = defaults.MAX_FILE_BYTES) -> LoadedFile:
    """Route bytes by magic number into pages; raises an ``InputRejected`` subclass."""
    if len(data) > max_bytes:
        raise TooLarge(f"file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB")
    if not data:
        raise CorruptFile("file is empty")
    mime = sniff(data)
    if mime is None:
        raise UnsupportedType("not a JPEG, PNG, WebP, TIFF, BMP or PDF file (checked by content, not name)")
    if mime == "application/pdf":
        from extractors.pdf import load_pdf

        return LoadedFile(mime=mime, pages=load_pdf(data))
    return LoadedFile(mime=mime, pages=[LoadedPage(number=1, image=decode_image(data))])
