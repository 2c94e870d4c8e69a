"""What an uploaded file may be: its type from magic bytes, its name made harmless.

    UploadRejected
    ├── UnsupportedUpload    magic bytes are none of JPEG/PNG/PDF/WebP/TIFF/BMP → 415
    ├── EmptyUpload          zero bytes → 422
    └── ImageTooLarge        width × height from the header over the pixel limit → 422
"""

from __future__ import annotations

import os
import re
import unicodedata

from extractors.load import sniff

from intake import defaults

__all__ = ["sanitize_filename", "detect_type", "check_pixels", "UploadRejected", "UnsupportedUpload", "EmptyUpload",
           "ImageTooLarge", "ACCEPTED_TYPES"]

ACCEPTED_TYPES = ("image/jpeg", "image/png", "application/pdf", "image/webp", "image/tiff", "image/bmp", "image/heic")
_EXT = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf", "image/webp": ".webp",
        "image/tiff": ".tif", "image/bmp": ".bmp"}


class UploadRejected(Exception):
    status = 422


class UnsupportedUpload(UploadRejected):
    status = 415


class EmptyUpload(UploadRejected):
    status = 422


class ImageTooLarge(UploadRejected):
    status = 422


def detect_type(data: bytes) -> str:
    """The content type from magic bytes; the client's name and header are ignored."""
    if not data:
        raise EmptyUpload("the file is empty")
    mime = sniff(data[: max(defaults.SNIFF_BYTES, 32)])
    if mime not in ACCEPTED_TYPES:
        raise UnsupportedUpload("unsupported file type: send JPEG, PNG, HEIC, PDF, WebP, TIFF or BMP")
    return mime


def check_pixels(data: bytes, mime: str, max_pixels: int) -> None:
    """Refuse an image whose header declares more than ``max_pixels``, without decoding it.

    Files Pillow cannot even open are let through: the pipeline reports them as
    ``corrupt_file`` to the clerk, which is more useful than a refused upload.
    """
    if mime == "application/pdf":
        return  # pages are rasterised under the pipeline's own page and pixel caps
    import io

    import extractors.pages  # noqa: F401  (registers the HEIC opener with Pillow)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:  # lazy: reads the header only
            w, h = im.size
    except Image.DecompressionBombError:
        raise ImageTooLarge(f"image is larger than the limit of {max_pixels} pixels") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return
    if w * h > max_pixels:
        raise ImageTooLarge(f"image is {w}×{h} = {w * h} pixels; the limit is {max_pixels} pixels")


_UNSAFE = re.compile(r"[^\w.\- ()\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def sanitize_filename(name: str | None, content_type: str | None = None) -> str:
    """A display name that can never act as a path, control the terminal or mislead.

    Directories are dropped, control/format characters (NUL, RTL overrides) removed,
    anything odd replaced, length capped with the extension kept, and the extension made
    to match the sniffed type (so ``a.jpg.php`` holding a PNG becomes ``a.jpg.png``).

    >>> sanitize_filename("../../etc/passwd")
    'passwd'
    >>> sanitize_filename("invoice\\u202egpj.exe", "image/png")
    'invoicegpj.exe.png'
    >>> sanitize_filename("身份证 正面.JPG", "image/jpeg")
    '身份证 正面.jpg'
    >>> sanitize_filename("\\x00", "image/png")
    'upload.png'
    """
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # Cc, Cf (bidi), Cs, Co, Cn
    name = _UNSAFE.sub("_", name).strip(" ._")
    stem, ext = os.path.splitext(name)
    want = _EXT.get(content_type or "")
    if want:
        if ext.lower() in (want, ".jpeg" if want == ".jpg" else want, ".tiff" if want == ".tif" else want):
            ext = ext.lower() if ext.lower() != ".jpeg" else ".jpg"
            if ext == ".tiff":
                ext = ".tif"
        else:
            stem, ext = name, want
    stem = stem.strip(" ._") or "upload"
    stem = stem[: defaults.FILENAME_MAX_CHARS - len(ext)]
    return stem + ext
