"""CJK fonts installed on the machine, grouped by style.

Real documents come in different typefaces: the ID card uses a hei/song mix, court
judgments use 仿宋/宋体, seals use a heavy sans, hand-filled forms look like 楷体.  The
generator picks among every installed face of a style so renders vary.

Debian packages: fonts-noto-cjk (Noto Sans/Serif CJK), fonts-wqy-microhei,
fonts-wqy-zenhei, fonts-arphic-ukai, fonts-arphic-uming.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

__all__ = ["FontsMissing", "FontFace", "faces", "font", "pick_face", "has_glyphs", "STYLES"]

DEBIAN_PACKAGES = (
    "fonts-noto-cjk", "fonts-wqy-microhei", "fonts-wqy-zenhei", "fonts-arphic-ukai",
    "fonts-arphic-uming",
)


class FontsMissing(RuntimeError):
    """No CJK font could be found; the message names the Debian packages to install."""

    def __init__(self, detail: str = ""):
        super().__init__(
            "no CJK font found for rendering synthetic documents"
            + (f" ({detail})" if detail else "")
            + ". Install them with: apt-get install -y " + " ".join(DEBIAN_PACKAGES)
        )


@dataclass(frozen=True)
class FontFace:
    path: str
    index: int
    name: str
    style: str  # sans | serif | kai | song | mono | bold


# (file name, face index, style, name) — SC faces first in the Noto collections.
_KNOWN: tuple[tuple[str, int, str, str], ...] = (
    ("NotoSansCJK-Regular.ttc", 2, "sans", "Noto Sans CJK SC"),
    ("wqy-microhei.ttc", 0, "sans", "WenQuanYi Micro Hei"),
    ("wqy-zenhei.ttc", 0, "sans", "WenQuanYi Zen Hei"),
    ("NotoSerifCJK-Regular.ttc", 2, "serif", "Noto Serif CJK SC"),
    ("uming.ttc", 0, "song", "AR PL UMing CN"),
    ("NotoSerifCJK-Regular.ttc", 2, "song", "Noto Serif CJK SC"),
    ("ukai.ttc", 0, "kai", "AR PL UKai CN"),
    ("NotoSansCJK-Regular.ttc", 7, "mono", "Noto Sans Mono CJK SC"),
    ("wqy-microhei.ttc", 1, "mono", "WenQuanYi Micro Hei Mono"),
    ("wqy-zenhei.ttc", 1, "mono", "WenQuanYi Zen Hei Mono"),
    ("NotoSansCJK-Bold.ttc", 2, "bold", "Noto Sans CJK SC Bold"),
    ("NotoSerifCJK-Bold.ttc", 2, "bold", "Noto Serif CJK SC Bold"),
)
STYLES = ("sans", "serif", "song", "kai", "mono", "bold")
_FALLBACK_ORDER = {
    "sans": ("sans", "bold", "serif", "song", "kai", "mono"),
    "serif": ("serif", "song", "sans", "kai", "bold", "mono"),
    "song": ("song", "serif", "sans", "kai", "bold", "mono"),
    "kai": ("kai", "song", "serif", "sans", "bold", "mono"),
    "mono": ("mono", "sans", "bold", "serif", "song", "kai"),
    "bold": ("bold", "sans", "serif", "song", "kai", "mono"),
}
_SEARCH_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.fonts"))


def _find_file(name: str) -> str | None:
    for root_dir in _SEARCH_DIRS:
        if not os.path.isdir(root_dir):
            continue
        for root, _dirs, files in os.walk(root_dir):
            if name in files:
                return os.path.join(root, name)
    return None


def _fc_list() -> list[str]:
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True,
                             timeout=20).stdout
    except Exception:
        return []
    return sorted({ln.split(":")[0].strip() for ln in out.splitlines() if ln.strip()})


@functools.lru_cache(maxsize=1)
def faces() -> tuple[FontFace, ...]:
    """Every usable CJK face, known ones by style, plus fc-list finds as 'sans'."""
    found: list[FontFace] = []
    seen_files: set[str] = set()
    for fname, idx, style, name in _KNOWN:
        path = _find_file(fname)
        if not path:
            continue
        try:
            ImageFont.truetype(path, 12, index=idx)
        except Exception:
            continue
        found.append(FontFace(path, idx, name, style))
        seen_files.add(os.path.basename(path))
    if not found:  # unknown machine: take whatever fontconfig says covers Chinese
        for path in _fc_list():
            if os.path.basename(path) in seen_files:
                continue
            try:
                ft = ImageFont.truetype(path, 12, index=0)
            except Exception:
                continue
            family = " ".join(ft.getname())
            style = "kai" if "kai" in family.lower() else (
                "serif" if any(w in family.lower() for w in ("serif", "song", "ming")) else "sans")
            found.append(FontFace(path, 0, family, style))
    if not found:
        raise FontsMissing("searched " + ", ".join(_SEARCH_DIRS) + " and fc-list :lang=zh")
    return tuple(found)


def _faces_for(style: str) -> list[FontFace]:
    all_faces = faces()
    for st in _FALLBACK_ORDER.get(style, (style,) + STYLES):
        lst = [f for f in all_faces if f.style == st]
        if lst:
            return lst
    return list(all_faces)


@functools.lru_cache(maxsize=512)
def _load(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=index)


@functools.lru_cache(maxsize=64)
def _notdef_mask(path: str, index: int) -> bytes:
    ft = _load(path, index, 24)
    return _mask_bytes(ft, "\U0010fffd")


def _mask_bytes(ft: ImageFont.FreeTypeFont, ch: str) -> bytes:
    img = Image.new("L", (40, 40), 0)
    ImageDraw.Draw(img).text((4, 4), ch, font=ft, fill=255)
    return img.tobytes()


@functools.lru_cache(maxsize=20000)
def _has_glyph(path: str, index: int, ch: str) -> bool:
    if ch.isspace() or ord(ch) < 0x80:
        return True
    ft = _load(path, index, 24)
    return _mask_bytes(ft, ch) != _notdef_mask(path, index)


def has_glyphs(face: FontFace, text: str) -> bool:
    return all(_has_glyph(face.path, face.index, ch) for ch in set(text))


def pick_face(style: str, rng=None, text: str = "") -> FontFace:
    """A face of the style (random among several when rng is given) that covers text."""
    cands = _faces_for(style)
    if rng is not None and len(cands) > 1:
        cands = list(cands)
        rng.shuffle(cands)
    for f in cands:
        if not text or has_glyphs(f, text):
            return f
    for f in faces():  # any face that has the glyphs, whatever its style
        if has_glyphs(f, text):
            return f
    return cands[0]


def font(style: str, size: int, rng=None, text: str = "", face: FontFace | None = None
         ) -> ImageFont.FreeTypeFont:
    """A PIL font of the style and pixel size; see pick_face."""
    face = face or pick_face(style, rng, text)
    return _load(face.path, face.index, max(4, int(size)))
