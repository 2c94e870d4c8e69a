"""Hand-built PDFs for loader tests: text layer (CJK), scans, encrypted, broken.

The text-layer PDF uses the standard CID font STSong-Light with the UniGB-UCS2-H CMap,
which every conforming reader (pdfminer included) maps back to Unicode without an
embedded font file; that keeps the fixture a few hundred bytes and font-independent.
"""

from __future__ import annotations

import hashlib
import io

from PIL import Image


def _assemble(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R ".encode() + trailer_extra + b" >>\n")
    out.write(f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length " + str(len(data)).encode() + extra + b" >>\nstream\n" + data + b"\nendstream"


def text_pdf(lines: list[str], pages: int = 1) -> bytes:
    """A4 page(s) with each line as real text (a text layer), 14 pt, from the top."""
    content = io.BytesIO()
    content.write(b"BT /F1 14 Tf\n")
    y = 780
    for line in lines:
        hexs = line.encode("utf-16-be").hex().upper().encode()
        content.write(f"1 0 0 1 72 {y} Tm ".encode() + b"<" + hexs + b"> Tj\n")
        y -= 28
    content.write(b"ET")
    n_pages = pages
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n_pages))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
        b"/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >> "
        b"/DW 1000 >>] >>",
    ]
    for i in range(n_pages):
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode())
        objs.append(_stream(content.getvalue()))
    return _assemble(objs)


def image_pdf(pages: int = 1) -> bytes:
    """A scan: raster pages, no text layer."""
    imgs = [Image.new("RGB", (400, 566), (250, 250, 250)) for _ in range(pages)]
    buf = io.BytesIO()
    imgs[0].save(buf, "PDF", save_all=True, append_images=imgs[1:], resolution=50)
    return buf.getvalue()


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def encrypted_pdf(user_password: bytes = b"secret") -> bytes:
    """Standard security handler, revision 2 (40-bit RC4), with a non-empty user password."""
    owner = (user_password + _PAD)[:32]
    okey = hashlib.md5(owner).digest()[:5]
    O = _rc4(okey, (user_password + _PAD)[:32])
    P = -4
    doc_id = b"0123456789abcdef"
    key = hashlib.md5((user_password + _PAD)[:32] + O + P.to_bytes(4, "little", signed=True) + doc_id).digest()[:5]
    U = _rc4(key, _PAD)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + O.hex().encode() + b"> /U <" + U.hex().encode() + b"> /P -4 >>",
    ]
    return _assemble(objs, b"/Encrypt 4 0 R /ID [<" + doc_id.hex().encode() + b"> <" + doc_id.hex().encode() + b">]")
