"""Hand stamps and overprinted words on photocopies: keep them out of field values.

Copies handed in for policy servicing are routinely stamped 复印无效, 仅供办理保全使用,
与原件一致 and the like, often right across a field. OCR reads the stamp as a line of its
own, or glues its characters onto the value underneath. We drop stamp lines, cut stamp
phrases out of mixed lines, and remember where the stamps were: a field whose box meets
a stamp may be partly hidden, so it is flagged for review rather than trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from extractors.types import Field, OcrLine

__all__ = ["STAMP_PHRASES", "StampFilter", "strip_stamps", "flag_hidden_fields"]

STAMP_PHRASES = (
    "再次复印无效",
    "复印无效",
    "仅供办理保全使用",
    "仅供办理保全业务使用",
    "仅供保全使用",
    "仅供办理业务使用",
    "此复印件仅供",
    "与原件一致",
    "与原件相符",
    "经核对与原件一致",
    "他用无效",
)
_PATTERN = re.compile("|".join(sorted(map(re.escape, STAMP_PHRASES), key=len, reverse=True)))
# "仅供……使用" with any purpose in between is a stamp too
_PURPOSE = re.compile(r"仅供.{1,10}?使用")
# What OCR keeps of a stamp read at an angle: two or more of its words in a row, each
# perhaps after one misread character ("勞使用他用").
_FRAGMENTS = re.compile(r"(?:[\u4e00-\u9fff]?(?:仅供|复印|无效|他用|使用|办理|保全|业务|原件|一致)){2,}")
# Single stamp words that never belong inside an identity-document value (再 of 再次复印无效
# left glued to the end of an address: ``…15号楼603再``).
_LONE_WORDS = re.compile(r"复印|无效|他用|仅供|再次|使用(?=\d|$)|(?<=[\d室号楼])再$")


# A line made only of stamp characters is what OCR kept of a stamp: 全使 of 仅供办理保全使用
_VOCAB_ONLY = re.compile(r"[仅供办理保全业务使用复印无效他再次与原件一致相符]{2,}")


@dataclass
class StampFilter:
    lines: list[OcrLine]
    stamp_boxes: list[list[list[float]]]


def _is_stamp_line(text: str) -> bool:
    t = re.sub(r"\s+", "", text)
    if not t:
        return False
    if _PURPOSE.fullmatch(t) or _PATTERN.fullmatch(t) or _VOCAB_ONLY.fullmatch(t):
        return True
    best = max(fuzz.ratio(t, p) for p in STAMP_PHRASES)
    return best >= 75 and len(t) >= 4


def strip_stamps(lines: list[OcrLine]) -> StampFilter:
    kept: list[OcrLine] = []
    boxes: list[list[list[float]]] = []
    for ln in lines:
        if _is_stamp_line(ln.text):
            boxes.append(ln.box)
            continue
        cleaned = _LONE_WORDS.sub("", _FRAGMENTS.sub("", _PURPOSE.sub("", _PATTERN.sub("", ln.text))))
        if cleaned != ln.text:
            boxes.append(ln.box)
            cleaned = cleaned.strip()
            if not cleaned:
                continue
            # the value survives, but we no longer know which characters the stamp covered
            kept.append(OcrLine(cleaned, min(ln.confidence, 0.8), ln.box, ln.page))
            continue
        kept.append(ln)
    return StampFilter(kept, boxes)


def _overlap(a, b) -> bool:
    ax0, ax1 = min(p[0] for p in a), max(p[0] for p in a)
    ay0, ay1 = min(p[1] for p in a), max(p[1] for p in a)
    bx0, bx1 = min(p[0] for p in b), max(p[0] for p in b)
    by0, by1 = min(p[1] for p in b), max(p[1] for p in b)
    return ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1


def flag_hidden_fields(fields: dict[str, Field], stamp_boxes: list, reason: str = "stamp_overlap") -> None:
    """Mark fields whose box meets one of ``stamp_boxes`` (a stamp, a line the crop cut)
    as needing review, with ``reason`` (boxes in the same frame)."""
    if not stamp_boxes:
        return
    for f in fields.values():
        if f.box and any(_overlap(f.box, s) for s in stamp_boxes):
            f.needs_review = True
            if reason not in f.reasons:
                f.reasons.append(reason)
