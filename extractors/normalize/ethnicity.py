"""The 56 officially recognised ethnic groups (民族) of the PRC, as printed on ID cards.

``match`` tolerates OCR errors with rapidfuzz and says whether the match was exact;
``validate`` accepts only exact readings (a trailing 族 is dropped).

>>> validate('汉'), validate('汉族'), validate('维吾尔族'), validate(' 土 家 ')
('汉', '汉', '维吾尔', '土家')
>>> match('维吾示')
('维吾尔', 0.67, False)
>>> sorted(PREFIX_NAMES)
['土']
>>> match('汊')
(None, 0.0, False)
>>> validate('火星')
Traceback (most recent call last):
    ...
extractors.normalize.errors.UnknownValue: Not one of the 56 ethnic groups: '火星'.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from extractors.normalize._text import fold_compact
from extractors.normalize.errors import UnknownValue, NormalizeError

__all__ = ["ETHNICITIES", "PREFIX_NAMES", "compact", "validate", "is_valid", "match", "MIN_FUZZY_SCORE"]

ETHNICITIES: tuple[str, ...] = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
    "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡",
    "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬",
    "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安",
    "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)
_SET = frozenset(ETHNICITIES)
#: names that are the beginning of another name (土 / 土家): a truncated reading of the
#: longer one would still be "exact", so an exact match proves less for these
PREFIX_NAMES = frozenset(a for a in ETHNICITIES for b in ETHNICITIES if a != b and b.startswith(a))
# Traditional / variant readings engines produce for the same group.
_ALIASES = {"漢": "汉", "滿": "满", "維吾爾": "维吾尔", "彜": "彝", "傈傈": "傈僳", "仡老": "仡佬"}

MIN_FUZZY_SCORE = 0.6  # fraction; below it a reading is not matched at all


def compact(text: object) -> str:
    """The name without 族 and without marks the engine read beside it (☑汉, ·汉).

    >>> compact('☑汉'), compact('维吾尔族')
    ('汉', '维吾尔')
    """
    s = re.sub(r"[^\u4e00-\u9fff]", "", fold_compact(text))
    if len(s) > 1 and s.endswith("族"):
        s = s[:-1]
    return _ALIASES.get(s, s)


def validate(text: object) -> str:
    s = compact(text)
    if s not in _SET:
        raise UnknownValue(f"Not one of the 56 ethnic groups: {str(text)!r}.")
    return s


def is_valid(text: object) -> bool:
    try:
        return bool(validate(text))
    except NormalizeError:
        return False


def match(text: object) -> tuple[str | None, float, bool]:
    """``(name, score in [0,1], exact)``; name None when nothing is close enough.

    Single-character readings are matched exactly only: one wrong character of a
    one-character name leaves nothing to compare.
    """
    s = compact(text)
    if s in _SET:
        return s, 1.0, True
    if len(s) < 2:
        return None, 0.0, False
    candidates = [e for e in ETHNICITIES if len(e) >= 2]
    best = process.extractOne(s, candidates, scorer=fuzz.ratio)
    if not best:
        return None, 0.0, False
    name, score, _ = best
    score = round(score / 100, 2)
    if score < MIN_FUZZY_SCORE:
        return None, score, False
    # refuse a tie between two groups
    ties = [c for c in candidates if round(fuzz.ratio(s, c) / 100, 2) == score]
    if len(ties) > 1:
        return None, score, False
    return name, score, False
