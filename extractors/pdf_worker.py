"""Child process for ``extractors.pdf``: never imported by the service itself.

Usage: python -m extractors.pdf_worker IN.pdf OUTDIR MAX_PAGES DPI
Writes OUTDIR/manifest.json: {"pages": [{number, text_lines, text_chars, image}]}
or {"error": {"code", "message"}}; page images as OUTDIR/page-N.png.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _fail(out: Path, code: str, message: str) -> None:
    (out / "manifest.json").write_text(json.dumps({"error": {"code": code, "message": message}}), encoding="utf-8")


def main(argv: list[str]) -> int:
    src, out, max_pages, dpi = Path(argv[0]), Path(argv[1]), int(argv[2]), int(argv[3])
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(src))
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            _fail(out, "encrypted", "PDF is password-protected; ask for an unprotected copy")
        else:
            _fail(out, "corrupt_file", f"PDF could not be opened: {msg}")
        return 0
    n = len(doc)
    if n == 0:
        _fail(out, "corrupt_file", "PDF has no pages")
        return 0
    if n > max_pages:
        _fail(out, "too_large", f"PDF has {n} pages; the limit is {max_pages}")
        return 0
    scale = dpi / 72.0
    pages = []
    for i in range(n):
        page = doc[i]
        w_pt, h_pt = page.get_size()
        if w_pt * scale * h_pt * scale > 60_000_000:
            _fail(out, "too_large", f"page {i + 1} is {w_pt:.0f}×{h_pt:.0f} pt, too large to rasterise")
            return 0
        bitmap = page.render(scale=scale)
        img = bitmap.to_pil()
        name = f"page-{i + 1}.png"
        img.save(out / name)
        pages.append({"number": i + 1, "image": name, "text_lines": None, "text_chars": 0})
    # Text layer: pdfplumber gives lines with positions (PDF points, top-left origin).
    try:
        import pdfplumber

        with pdfplumber.open(str(src)) as pdf:
            for i, page in enumerate(pdf.pages[:n]):
                lines = []
                chars = 0
                for ln in page.extract_text_lines(layout=False, strip=True, return_chars=False):
                    text = ln["text"].strip()
                    if not text:
                        continue
                    chars += len(text.replace(" ", ""))
                    x0, x1, top, bottom = ln["x0"] * scale, ln["x1"] * scale, ln["top"] * scale, ln["bottom"] * scale
                    lines.append({"text": text, "box": [[x0, top], [x1, top], [x1, bottom], [x0, bottom]]})
                pages[i]["text_lines"] = lines
                pages[i]["text_chars"] = chars
    except Exception as exc:  # noqa: BLE001 - the child reports, the parent decides
        # A broken text layer is not fatal: the pages were rasterised and will be OCR'd.
        print(f"text layer unreadable, pages will be OCR'd: {type(exc).__name__}: {exc}", file=sys.stderr)
    (out / "manifest.json").write_text(json.dumps({"pages": pages}, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
