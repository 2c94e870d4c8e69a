"""PDF pages in a subprocess: text layer with positions when present, raster when not.

pdfminer (under pdfplumber) inflates Flate streams without a cap and can recurse on
self-referencing forms, so every PDF is opened in a child process with an address-space
limit, a wall-clock timeout and a page cap. The child (``python -m extractors.pdf_worker``)
writes a JSON manifest and one PNG per page into a temp dir; nothing it reads can grow
this process.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from extractors import defaults
from extractors.errors import CorruptFile, Encrypted, TooLarge
from extractors.pages import LoadedPage, decode_image
from extractors.types import OcrLine

__all__ = ["load_pdf"]

_ERRORS = {"encrypted": Encrypted, "too_large": TooLarge, "corrupt_file": CorruptFile}


def _limit_memory(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def load_pdf(
    data: bytes,
    max_pages: int = defaults.MAX_PDF_PAGES,
    dpi: int = defaults.PDF_RASTER_DPI,
    timeout: float = defaults.PDF_SUBPROCESS_TIMEOUT,
    memory: int = defaults.PDF_SUBPROCESS_MEMORY,
) -> list[LoadedPage]:
    with tempfile.TemporaryDirectory(prefix="baoquan-pdf-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        cmd = [sys.executable, "-m", "extractors.pdf_worker", str(src), tmp, str(max_pages), str(dpi)]
        try:
            proc = subprocess.run(
                cmd,
                capture_output=True,
                timeout=timeout,
                preexec_fn=_limit_memory(memory),
                cwd=str(Path(__file__).resolve().parent.parent),
            )
        except subprocess.TimeoutExpired as exc:
            raise TooLarge(f"PDF took longer than {timeout:.0f} s to open (a decompression bomb or recursive forms?)") from exc
        manifest_path = Path(tmp) / "manifest.json"
        if not manifest_path.is_file():
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            if proc.returncode and ("MemoryError" in tail[0] or proc.returncode < 0):
                raise TooLarge(f"PDF needed more than {memory >> 20} MB to open: {tail[0]}")
            raise CorruptFile(f"PDF could not be read: {tail[0]}")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if "error" in manifest:
            err = manifest["error"]
            raise _ERRORS.get(err["code"], CorruptFile)(err["message"])
        pages: list[LoadedPage] = []
        for p in manifest["pages"]:
            image = decode_image((Path(tmp) / p["image"]).read_bytes()) if p.get("image") else None
            lines = None
            if p.get("text_lines") is not None and p.get("text_chars", 0) >= defaults.PDF_MIN_TEXT_CHARS:
                lines = [
                    OcrLine(text=t["text"], confidence=1.0, box=t["box"], page=p["number"])
                    for t in p["text_lines"]
                ]
            pages.append(LoadedPage(number=p["number"], image=image, text_lines=lines, dpi=dpi))
        return pages
