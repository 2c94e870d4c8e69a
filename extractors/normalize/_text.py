"""Character folding shared by the normalisers (full/half width, whitespace)."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "fold_compact", "CJK_RE"]

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# NFKC leaves these alone; OCR engines emit them for ordinary punctuation.
_EXTRA = str.maketrans({
    "\u3000": " ",
    "。": "。",
    "〇": "〇",
    "–": "-", "—": "-", "－": "-", "~": "-", "～": "-", "〜": "-",
})


def fold(text: object) -> str:
    """NFKC-fold (full-width → half-width) and collapse runs of whitespace.

    >>> fold('１９８５年　３月')
    '1985年 3月'
    """
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).translate(_EXTRA)
    return re.sub(r"\s+", " ", s).strip()


def fold_compact(text: object) -> str:
    """``fold`` and drop all whitespace.

    >>> fold_compact(' 王 建国 ')
    '王建国'
    """
    return re.sub(r"\s+", "", fold(text))
