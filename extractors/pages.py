"""A loaded page and image decoding: what ``extractors.load`` and ``extractors.pdf`` share.

Kept apart so neither of those imports the other for it (load → pdf → pages, load → pages).
The pixel count is read from the header (Pillow opens lazily) and refused before any
decode; EXIF orientation is applied so the pixels are the way the phone showed them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from extractors import defaults
from extractors.errors import CorruptFile, TooLarge
from extractors.types import OcrLine

__all__ = ["LoadedPage", "decode_image"]

# Our own limit, checked from the header before any decode (``decode_image``), replaces
# Pillow's process-wide bomb heuristic; set once at import so behaviour never depends on
# which code path touched Pillow first.
from PIL import Image as _PILImage  # noqa: E402

_PILImage.MAX_IMAGE_PIXELS = None

# iPhone photos (HEIC/HEIF) open through Pillow like any other image once pillow-heif, the
# maintained libheif binding, registers its opener; the header, the pixel check and EXIF
# orientation then work unchanged.
from pillow_heif import register_heif_opener  # noqa: E402

register_heif_opener()


@dataclass
class LoadedPage:
    number: int
    image: np.ndarray | None  # BGR uint8
    text_lines: list[OcrLine] | None = None  # from a PDF text layer, in image pixels
    dpi: float | None = None


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
