"""Font discovery and choice by role.

Roles: ``sans`` / ``sans_bold`` (黑体-like), ``serif`` / ``serif_bold`` (宋体-like), ``kai``
(楷体, handwriting-ish and official prose), ``ming`` (明体; falls back to serif), ``latin_mono``,
``latin_sans``, ``latin_serif`` (digits, pinyin and card numbers).
"""

from __future__ import annotations

import functools
import random
import subprocess
from dataclasses import dataclass

from PIL import ImageFont


@dataclass(frozen=True)
class Face:
    path: str
    index: int
    family: str
    bold: bool


def _fc_list(pattern: str) -> list[tuple[str, int, str, str]]:
    try:
        out = subprocess.run(
            ["fc-list", "-f", "%{file}|%{index}|%{family[0]}|%{style[0]}\n", pattern],
            capture_output=True, text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    rows = []
    for line in out.splitlines():
        parts = line.split("|")
        if len(parts) == 4 and parts[1].isdigit():
            rows.append((parts[0], int(parts[1]), parts[2], parts[3]))
    return sorted(set(rows))


@functools.lru_cache(maxsize=1)
def faces() -> dict[str, list[Face]]:
    roles: dict[str, list[Face]] = {k: [] for k in (
        "sans", "sans_bold", "serif", "serif_bold", "kai", "ming",
        "latin_mono", "latin_sans", "latin_serif")}
    for path, index, family, style in _fc_list(":lang=zh"):
        bold = "bold" in style.lower() or "heavy" in style.lower() or "black" in style.lower()
        fam = family.lower()
        if "mono" in fam and "wenquanyi" not in fam:
            continue
        if ("cjk" in fam and not fam.endswith(" sc")) or ("ukai" in fam and not fam.endswith(" cn")) \
                or ("uming" in fam and not fam.endswith(" cn")):
            continue
        face = Face(path, index, family, bold)
        if "ukai" in fam or "kai" in fam:
            roles["kai"].append(face)
        elif "uming" in fam or "ming" in fam:
            roles["ming"].append(face)
        elif "serif" in fam or "song" in fam:
            roles["serif_bold" if bold else "serif"].append(face)
        elif "light" in style.lower() or "thin" in style.lower():
            roles["sans"].append(face)
        else:
            roles["sans_bold" if bold else "sans"].append(face)
    for path, index, family, style in _fc_list(":lang=en"):
        fam = family.lower()
        if "cjk" in fam or "math" in fam or "wenquanyi" in fam or "ar pl" in fam:
            continue
        if "oblique" in style.lower() or "italic" in style.lower() or "light" in style.lower():
            continue
        bold = "bold" in style.lower()
        face = Face(path, index, family, bold)
        if "mono" in fam:
            roles["latin_mono"].append(face)
        elif "serif" in fam:
            roles["latin_serif"].append(face)
        elif "sans" in fam:
            roles["latin_sans"].append(face)
    # fall-backs so every role has at least one face
    fallback = {"sans_bold": "sans", "serif": "sans", "serif_bold": "serif", "kai": "serif",
                "ming": "serif", "latin_sans": "sans", "latin_mono": "latin_sans",
                "latin_serif": "latin_sans"}
    if not roles["sans"]:
        raise RuntimeError("no Chinese font found (fc-list :lang=zh is empty)")
    for role, other in fallback.items():
        if not roles[role]:
            roles[role] = list(roles[other])
    return roles


def pick(rng: random.Random, role: str) -> Face:
    return rng.choice(faces()[role])


def pick_cjk(rng: random.Random, *, bold: float = 0.3, serif: float = 0.3) -> Face:
    """A body face for a printed document: sans or serif, regular or bold."""
    base = "serif" if rng.random() < serif else "sans"
    return pick(rng, base + "_bold" if rng.random() < bold else base)


@functools.lru_cache(maxsize=512)
def _load(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=size, index=index)


def font(face: Face, size: float) -> ImageFont.FreeTypeFont:
    return _load(face.path, face.index, max(6, int(round(size))))
