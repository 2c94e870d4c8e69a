"""Bytes → pages: type sniffing, size limits decided before decoding, EXIF, PDF routing.

Images: the type comes from magic bytes, never the file name; the pixel count is read
from the header (Pillow opens lazily) and refused before any decode; EXIF orientation
is applied so the pixels are the way the phone showed them (``extractors.pages``).
PDFs: parsed in a subprocess with a memory limit, a timeout and a page cap
(``extractors.pdf``), since pdfminer inflates streams without a cap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors import defaults
from extractors.errors import CorruptFile, TooLarge, UnsupportedType
from extractors.pages import LoadedPage, decode_image
from extractors.pdf import load_pdf

__all__ = ["LoadedFile", "sniff", "load_bytes", "IMAGE_TYPES"]

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/tiff", "image/bmp", "image/heic")
#: ISO-BMFF brands of HEIF still images (iPhones write ``heic``; ``mif1`` is the generic one).
HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")


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
    >>> sniff(b"\\x00\\x00\\x00\\x18ftypheic\\x00\\x00\\x00\\x00")
    'image/heic'
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
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "image/heic"
    return None


def load_bytes(data: bytes, max_bytes: int = defaults.MAX_FILE_BYTES) -> LoadedFile:
    """Route bytes by magic number into pages; raises an ``InputRejected`` subclass."""
    if len(data) > max_bytes:
        raise TooLarge(f"file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB")
    if not data:
        raise CorruptFile("file is empty")
    mime = sniff(data)
    if mime is None:
        raise UnsupportedType("not a JPEG, PNG, HEIC, WebP, TIFF, BMP or PDF file (checked by content, not name)")
    if mime == "application/pdf":
        return LoadedFile(mime=mime, pages=load_pdf(data))
    return LoadedFile(mime=mime, pages=[LoadedPage(number=1, image=decode_image(data))])
