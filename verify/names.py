"""Comparing personal names read from documents with the policy record.

``same_name(a, b)`` folds what does not make a different name — whitespace, full/half
width, the middle dot of minority names in any of its look-alikes, Latin letter case — and,
with ``strictness="variants"``, a short list of true variant characters (异体字) that
household registers and ID cards are known to mix. It never accepts a different name: no
fuzzy ratio, no pinyin, no simplified/traditional mapping beyond the list.

>>> same_name("张 三", "张三")
True
>>> same_name("ＡＢＣ", "abc")
True
>>> same_name("买买提•艾力", "买买提·艾力")
True
>>> same_name("王峯", "王峰")
True
>>> same_name("王峯", "王峰", strictness="exact")
False
>>> same_name("张三", "张四")
False
>>> same_name("张三", "张三丰")
False
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_name", "same_name", "VARIANTS"]

#: True variant pairs (variant → standard form), each the same character in law and usage.
VARIANTS: dict[str, str] = {
    # Only variants that are not themselves standard name characters: since the 2013
    # 通用规范汉字表, 喆/哲, 堃/坤, 昇/升 are DIFFERENT names and must not be folded.
    "峯": "峰",
    "羣": "群",
    "畧": "略",
    "秊": "年",
    "淸": "清",
    "煕": "熙",
    "熈": "熙",
    "綫": "線",
    "凉": "涼",
}

_DOTS = "·•・．.‧∙⋅‐-"
_WS = re.compile(r"\s+")


def normalize_name(name: str | None, strictness: str = "exact") -> str:
    """The comparable form of a name (see module docstring).

    >>> normalize_name(" 李 小　龙 ")
    '李小龙'
    """
    if not name:
        return ""
    s = unicodedata.normalize("NFKC", str(name))
    s = _WS.sub("", s)
    s = "".join("·" if ch in _DOTS else ch for ch in s)
    s = s.casefold()
    if strictness == "variants":
        s = "".join(VARIANTS.get(ch, ch) for ch in s)
    return s


def same_name(a: str | None, b: str | None, strictness: str = "variants") -> bool:
    """True when ``a`` and ``b`` are the same name after folding; empty names never match."""
    na, nb = normalize_name(a, strictness), normalize_name(b, strictness)
    return bool(na) and na == nb
