"""PDFs built to do more than show pages: JavaScript, embedded files, 500 pages. Each is read
as a document or refused with a code; nothing runs and nothing comes out of an attachment."""

from __future__ import annotations

import pytest

from extractors.errors import TooLarge
from extractors.pipeline import extract

SECRET = "110105198503071230"  # only inside the attachment: it must never surface


def build_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A well-formed PDF (with a correct xref table) from numbered object bodies."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def js_and_attachment_pdf(marker_path: str) -> bytes:
    page_text = b"BT /F1 24 Tf 72 720 Td (Court judgment text) Tj ET"
    js = ("app.alert('pwned'); this.exportDataObject({cName: 'a.txt', nLaunch: 2}); "
          f"var f = '{marker_path}';").encode()
    attachment = f"ID number {SECRET}".encode()
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R /Names << /EmbeddedFiles 6 0 R "
        b"/JavaScript << /Names [(run) 5 0 R] >> >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 9 0 R >> >> /AA << /O 5 0 R >> >>",
        _stream(page_text),
        b"<< /S /JavaScript /JS (" + js + b") >>",  # balanced parentheses: a valid literal string
        b"<< /Names [(secret.txt) 7 0 R] >>",
        b"<< /Type /Filespec /F (secret.txt) /EF << /F 8 0 R >> >>",
        _stream(attachment, b"/Type /EmbeddedFile"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def many_pages_pdf(n: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
            _stream(b"")]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 3 0 R >>"] * n
    return build_pdf(objs)


def test_javascript_and_attachments_are_neither_run_nor_read(tmp_path):
    marker = tmp_path / "ran"
    data = js_and_attachment_pdf(str(marker))
    ex = extract(data, "judgment.pdf").to_dict(with_lines=True)
    assert ex["kind"] != "unreadable" and ex["pages"] == 1  # read as the document it shows
    text = " ".join(line["text"] for line in ex.get("lines", []))
    assert "Court judgment text" in text
    dump = repr(ex)
    assert SECRET not in dump and "secret.txt" not in dump and "pwned" not in dump
    assert not marker.exists()


def test_a_500_page_pdf_is_refused_with_a_clear_issue():
    ex = extract(many_pages_pdf(500), "dump.pdf").to_dict()
    assert ex["kind"] == "unreadable" and ex["fields"] == {}
    [issue] = ex["quality"]["issues"]
    assert issue["code"] == "too_large" and "500 pages" in issue["message"]


def test_the_page_cap_is_the_loaders_own():
    from extractors.pdf import load_pdf

    with pytest.raises(TooLarge, match="500 pages"):
        load_pdf(many_pages_pdf(500))
