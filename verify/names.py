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

from extractors.normalize.names import VARIANTS
from extractors.normalize.names import compact as _compact

__all__ = ["normalize_name", "same_name", "VARIANTS"]

# One folding and one variant table for the whole system: the extractor's
# (extractors.normalize.names), so a name read and a name compared agree.


def normalize_name(name: str | None, strictness: str = "exact") -> str:
    """The comparable form of a name (see module docstring).

    >>> normalize_name(" 李 小　龙 ")
    '李小龙'
    """
    if not name:
        return ""
    s = _compact(str(name)).casefold()
    if strictness == "variants":
        s = "".join(VARIANTS.get(ch, ch) for ch in s)
    return s


def same_name(a: str | None, b: str | None, strictness: str = "variants") -> bool:
    """True when ``a`` and ``b`` are the same name after folding; empty names never match."""
    na, nb = normalize_name(a, strictness), normalize_name(b, strictness)
    return bool(na) and na == nb
