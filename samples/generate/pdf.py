"""PDF output without extra dependencies.

* ``write_text_pdf``: a searchable PDF — each page is the rendered raster (so it looks
  the same in every viewer, seal included) with an invisible text layer (text render
  mode 3, like an OCR'd / e-court PDF) placed exactly over the drawn characters.  The
  font is a non-embedded CID font (``STSong-Light``-named, Identity-H) with a ToUnicode
  map and per-glyph widths taken from the face that drew the raster, so pdfplumber and
  pdfminer extract the right characters at the right positions.
* ``write_scanned_pdf``: raster pages only (no text layer), as a scanner produces.
"""

from __future__ import annotations

import io
import zlib

from PIL import Image

__all__ = ["write_text_pdf", "write_scanned_pdf"]


class _Writer:
    def __init__(self):
        self.objs: list[bytes | None] = []

    def reserve(self) -> int:
        self.objs.append(None)
        return len(self.objs)

    def set(self, num: int, body: bytes) -> None:
        self.objs[num - 1] = body

    def add(self, body: bytes) -> int:
        self.objs.append(body)
        return len(self.objs)

    def stream(self, data: bytes, extra: str = "", compress: bool = True) -> int:
        if compress:
            data = zlib.compress(data, 9)
            extra += " /Filter /FlateDecode"
        return self.add(f"<< /Length {len(data)}{extra} >>\nstream\n".encode() + data + b"\nendstream")

    def finish(self, root: int, info: int | None = None) -> bytes:
        out = io.BytesIO()
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for i, body in enumerate(self.objs, 1):
            offsets.append(out.tell())
            out.write(f"{i} 0 obj\n".encode() + (body or b"null") + b"\nendobj\n")
        xref = out.tell()
        out.write(f"xref\n0 {len(self.objs) + 1}\n0000000000 65535 f \n".encode())
        for off in offsets:
            out.write(f"{off:010d} 00000 n \n".encode())
        tr = f"trailer\n<< /Size {len(self.objs) + 1} /Root {root} 0 R"
        if info:
            tr += f" /Info {info} 0 R"
        out.write((tr + f" >>\nstartxref\n{xref}\n%%EOF\n").encode())
        return out.getvalue()


def _jpeg(img: Image.Image, quality: int) -> tuple[bytes, str]:
    buf = io.BytesIO()
    if img.mode == "L":
        img.save(buf, "JPEG", quality=quality, optimize=True)
        return buf.getvalue(), "/DeviceGray"
    img.convert("RGB").save(buf, "JPEG", quality=quality, optimize=True)
    return buf.getvalue(), "/DeviceRGB"


def _tounicode(codes: list[int]) -> bytes:
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    for i in range(0, len(codes), 100):
        chunk = codes[i:i + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{c:04X}> <{c:04X}>" for c in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode()


def _font_key(ft) -> tuple:
    return (getattr(ft, "path", ""), getattr(ft, "index", 0))


def write_text_pdf(path: str, pages, dpi: float = 150.0, quality: int = 70, title: str = "") -> None:
    """pages: list of canvas.Page (with .img and .lines)."""
    w = _Writer()
    catalog = w.reserve()
    pages_obj = w.reserve()
    scale = 72.0 / dpi
    # collect the characters drawn with each face
    faces: dict[tuple, dict] = {}
    for pg in pages:
        for ln in pg.lines:
            key = _font_key(ln["font"])
            fe = faces.setdefault(key, {"font": ln["font"], "codes": set()})
            fe["codes"].update(ord(c) for c, _x in ln["chars"] if ord(c) < 0x10000)
    font_objs: dict[tuple, tuple[str, int, dict]] = {}
    for i, (key, fe) in enumerate(sorted(faces.items(), key=lambda kv: str(kv[0]))):
        ft100 = fe["font"].font_variant(size=100)
        codes = sorted(fe["codes"])
        widths = {c: int(round(ft100.getlength(chr(c)) * 10)) for c in codes}
        warr = " ".join(f"{c} [{widths[c]}]" for c in codes)
        fd = w.add(b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [-25 -254 1000 880] "
                   b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>")
        cid = w.add(("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /STSong-Light "
                     "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                     f"/FontDescriptor {fd} 0 R /DW 1000 /W [{warr}] /CIDToGIDMap /Identity >>").encode())
        tu = w.stream(_tounicode(codes))
        f0 = w.add(("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
                    f"/DescendantFonts [{cid} 0 R] /ToUnicode {tu} 0 R >>").encode())
        font_objs[key] = (f"F{i + 1}", f0, widths)
    kids = []
    for pg in pages:
        img = pg.img
        W, H = img.size
        data, cs = _jpeg(img, quality)
        im = w.stream(data, f" /Type /XObject /Subtype /Image /Width {W} /Height {H} /ColorSpace {cs} "
                            f"/BitsPerComponent 8 /Filter /DCTDecode", compress=False)
        pw, ph = W * scale, H * scale
        ops = [f"q {pw:.3f} 0 0 {ph:.3f} 0 0 cm /Im0 Do Q", "BT 3 Tr"]
        used = set()
        for ln in pg.lines:
            name, _obj, widths = font_objs[_font_key(ln["font"])]
            used.add(_font_key(ln["font"]))
            fs = ln["size"] * scale
            chars = [(c, x) for c, x in ln["chars"] if ord(c) < 0x10000]
            if not chars:
                continue
            x0 = chars[0][1] * scale
            yb = ph - ln["baseline"] * scale
            ops.append(f"/{name} {fs:.3f} Tf 1 0 0 1 {x0:.3f} {yb:.3f} Tm")
            parts = []
            for j, (c, x) in enumerate(chars):
                parts.append(f"<{ord(c):04X}>")
                if j + 1 < len(chars):
                    want = (chars[j + 1][1] - x) * scale
                    nat = widths.get(ord(c), 1000) / 1000.0 * fs
                    adj = -(want - nat) * 1000.0 / fs
                    if abs(adj) > 0.5:
                        parts.append(f"{adj:.1f}")
            ops.append("[" + " ".join(parts) + "] TJ")
        ops.append("ET")
        content = w.stream("\n".join(ops).encode("latin-1"))
        fres = " ".join(f"/{font_objs[k][0]} {font_objs[k][1]} 0 R" for k in sorted(used, key=str))
        page = w.add((f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 {pw:.3f} {ph:.3f}] "
                      f"/Resources << /XObject << /Im0 {im} 0 R >> /Font << {fres} >> >> "
                      f"/Contents {content} 0 R >>").encode())
        kids.append(page)
    w.set(pages_obj, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode())
    w.set(catalog, f"<< /Type /Catalog /Pages {pages_obj} 0 R >>".encode())
    info = w.add(b"<< /Producer (baoquan samples.generate) /Title <FEFF" +
                 title.encode("utf-16-be").hex().upper().encode() + b"> >>") if title else None
    with open(path, "wb") as fh:
        fh.write(w.finish(catalog, info))


def write_scanned_pdf(path: str, images, dpi: float = 150.0, quality: int = 60) -> None:
    """Raster-only PDF (no text layer): images are PIL images or BGR arrays."""
    w = _Writer()
    catalog = w.reserve()
    pages_obj = w.reserve()
    scale = 72.0 / dpi
    kids = []
    for img in images:
        if not isinstance(img, Image.Image):
            import numpy as np
            arr = np.asarray(img)
            img = Image.fromarray(arr[:, :, ::-1] if arr.ndim == 3 else arr)
        W, H = img.size
        data, cs = _jpeg(img, quality)
        im = w.stream(data, f" /Type /XObject /Subtype /Image /Width {W} /Height {H} /ColorSpace {cs} "
                            f"/BitsPerComponent 8 /Filter /DCTDecode", compress=False)
        pw, ph = W * scale, H * scale
        content = w.stream(f"q {pw:.3f} 0 0 {ph:.3f} 0 0 cm /Im0 Do Q".encode())
        kids.append(w.add((f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 {pw:.3f} {ph:.3f}] "
                           f"/Resources << /XObject << /Im0 {im} 0 R >> >> /Contents {content} 0 R >>").encode()))
    w.set(pages_obj, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode())
    w.set(catalog, f"<< /Type /Catalog /Pages {pages_obj} 0 R >>".encode())
    with open(path, "wb") as fh:
        fh.write(w.finish(catalog))
