"""Input routing: type from content, limits from headers, no crash on junk."""

from __future__ import annotations

import io
import zlib

import numpy as np
import pytest
from PIL import Image

from extractors.errors import CorruptFile, Encrypted, TooLarge, UnsupportedType
from extractors.load import load_bytes, sniff
from extractors.pdf import load_pdf
from tests.extractors.pdfs import encrypted_pdf, image_pdf, text_pdf


def _png(w: int, h: int, mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, (w, h)).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"\xff\xd8\xff\xe0" + b"\0" * 20, "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "image/png"),
        (b"%PDF-1.4\n", "application/pdf"),
        (b"RIFF\0\0\0\0WEBPVP8 ", "image/webp"),
        (b"<html><body>%PDF-1.4", None),
        (b"GIF89a......", None),
        (b"", None),
    ],
)
def test_sniff_uses_magic_bytes(data, expected):
    assert sniff(data) == expected


def test_html_named_pdf_is_unsupported():
    with pytest.raises(UnsupportedType):
        load_bytes(b"<!doctype html><title>x</title>")


def test_pixel_bomb_refused_from_header_before_decoding():
    # 20000×20000 1-bit PNG: ~50 KB on disk, 400 MP decoded.
    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, "PNG", optimize=True)
    data = buf.getvalue()
    assert len(data) < 200_000
    with pytest.raises(TooLarge) as err:
        load_bytes(data)
    assert "400 MP" in str(err.value)


def test_truncated_jpeg_is_corrupt():
    buf = io.BytesIO()
    Image.fromarray(np.zeros((200, 300, 3), np.uint8)).save(buf, "JPEG")
    with pytest.raises(CorruptFile):
        load_bytes(buf.getvalue()[:120])


def test_too_many_bytes():
    with pytest.raises(TooLarge):
        load_bytes(b"\xff\xd8\xff" + b"\0" * 100, max_bytes=50)


def test_png_decodes_to_bgr():
    f = load_bytes(_png(64, 48))
    assert f.mime == "image/png" and f.pages[0].image.shape == (48, 64, 3)


def test_exif_orientation_applied():
    img = Image.new("RGB", (300, 100), (255, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 CW when displayed
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes())
    page = load_bytes(buf.getvalue()).pages[0]
    assert page.image.shape[:2] == (300, 100)


def test_text_pdf_gives_lines_with_positions():
    pages = load_pdf(text_pdf(["民事判决书", "（2024）京0105民初12345号"]))
    assert len(pages) == 1
    texts = [ln.text for ln in pages[0].text_lines]
    assert "（2024）京0105民初12345号" in texts
    box = pages[0].text_lines[0].box
    assert 0 <= box[0][0] < box[1][0] <= pages[0].image.shape[1]


def test_scanned_pdf_has_no_text_layer_but_pages():
    pages = load_pdf(image_pdf(2))
    assert len(pages) == 2 and all(p.text_lines is None and p.image is not None for p in pages)


def test_encrypted_pdf_is_reported():
    with pytest.raises(Encrypted):
        load_pdf(encrypted_pdf())


def test_broken_pdf_is_corrupt():
    with pytest.raises(CorruptFile):
        load_pdf(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntrailer <<>>\n%%EOF")


def test_page_cap():
    with pytest.raises(TooLarge) as err:
        load_pdf(image_pdf(3), max_pages=2)
    assert "3 pages" in str(err.value)


def test_inflate_bomb_is_contained():
    # One Flate stream that inflates to 600 MB; the child has a 256 MB address-space cap.
    bomb = zlib.compress(b"\0" * (600 * 1024 * 1024), 9)
    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R>>endobj\n"
            b"4 0 obj<</Length " + str(len(bomb)).encode() + b"/Filter/FlateDecode>>stream\n" + bomb +
            b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF")
    with pytest.raises((TooLarge, CorruptFile)):
        load_pdf(body, memory=256 * 1024 * 1024, timeout=30)


def test_heic_photo_from_an_iphone_is_read_with_its_exif_orientation():
    """A HEIC written by pillow-heif (libheif), EXIF orientation 6 (the phone held upright):
    decoded through the same path as JPEG, turned the way the phone showed it."""
    import io

    import numpy as np
    from PIL import Image

    from extractors.load import load_bytes, sniff

    im = Image.new("RGB", (320, 200), "white")
    im.paste((220, 20, 20), (0, 0, 160, 200))  # left half red, as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    buf = io.BytesIO()
    im.save(buf, format="HEIF", exif=exif.tobytes(), quality=90)
    data = buf.getvalue()
    assert sniff(data) == "image/heic"
    [page] = load_bytes(data).pages
    h, w = page.image.shape[:2]
    assert (w, h) == (200, 320)  # upright: the stored width is now the height
    top, bottom = page.image[:40].reshape(-1, 3).mean(0), page.image[-40:].reshape(-1, 3).mean(0)
    assert top[2] > 150 and top[1] < 90  # BGR: the red half is on top after the turn
    assert bottom.min() > 200
    assert np.isfinite(page.image).all()
