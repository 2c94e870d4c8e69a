"""Personal names as printed on Chinese documents.

Folding removes whitespace and width differences and unifies the separator dot of
transliterated minority names (·, •, ・, ‧, .). ``same_name`` additionally treats a
short list of true variant characters (异体字, e.g. 峯/峰) as equal; it never treats two
different characters as the same, so it cannot pass a different person's name.

>>> validate(' 王 建国 ')
'王建国'
>>> validate('买买提•艾力')
'买买提·艾力'
>>> validate('王建国1')
Traceback (most recent call last):
    ...
extractors.normalize.errors.InvalidFormat: Not a plausible personal name: '王建国1'.
>>> same_name('李峯', '李峰'), same_name('张喆', '张哲'), same_name('王建国', '王建图')
(True, False, False)
>>> split_name('欧阳修'), split_name('王建国')
(('欧阳', '修'), ('王', '建国'))
>>> is_plausible_name('王'), is_plausible_name('王建国'), is_plausible_name('中国工商银行股份有限公司')
(False, True, False)
"""

from __future__ import annotations

import re

from extractors.normalize._text import fold_compact
from extractors.normalize.errors import InvalidFormat, NormalizeError

__all__ = [
    "compact",
    "validate",
    "is_valid",
    "is_plausible_name",
    "same_name",
    "split_name",
    "COMPOUND_SURNAMES",
    "VARIANTS",
]

COMPOUND_SURNAMES: tuple[str, ...] = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "令狐", "澹台", "独孤", "端木", "南宫", "西门", "百里", "呼延",
    "赫连", "申屠", "太史", "闻人", "钟离", "万俟", "濮阳", "单于", "拓跋", "第五", "公冶",
    "宗政", "淳于", "仲孙", "东郭", "司空", "羊舌", "微生", "梁丘", "左丘", "东门", "鲜于",
)

# Variant character → standard form. Only pairs that are the same character in
# different historical forms (第一批异体字整理表); NOT look-alikes, NOT characters that
# the 通用规范汉字表 keeps as separate name characters (喆/哲, 堃/坤, 淼/森 are different).
VARIANTS: dict[str, str] = {
    "峯": "峰", "羣": "群", "畧": "略", "冐": "冒", "挿": "插", "敍": "叙", "敘": "叙",
    "凟": "渎", "玅": "妙", "珎": "珍", "秊": "年", "朙": "明", "蔴": "麻", "菓": "果",
    "棊": "棋", "碁": "棋", "鑑": "鉴", "灋": "法", "譌": "讹", "髮": "发",
}

_DOTS = re.compile(r"[·•・‧∙⋅.．]")
_NAME_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+(?:·[\u3400-\u4dbf\u4e00-\u9fff]+)*")


def compact(name: object) -> str:
    """Fold width and whitespace; one kind of separator dot.

    >>> compact('欧阳 修')
    '欧阳修'
    >>> compact('·蒋颖')   # a dot before or after the name is a speck, not a separator
    '蒋颖'
    """
    return _DOTS.sub("·", fold_compact(name)).strip("·")


def is_plausible_name(name: object) -> bool:
    """2–4 Han characters (up to 5 with a compound surname), or a dotted
    transliterated name of at most 20 characters."""
    s = compact(name)
    if not _NAME_RE.fullmatch(s or "-"):
        return False
    if "·" in s:
        return len(s) <= 20 and all(len(p) >= 1 for p in s.split("·"))
    if s.endswith(("公司", "银行", "法院", "医院", "学校", "大学", "集团", "中心")):
        return False
    max_len = 5 if s[:2] in COMPOUND_SURNAMES else 4
    return 2 <= len(s) <= max_len


def validate(name: object) -> str:
    """The folded name, or ``InvalidFormat`` when it is not a plausible personal name."""
    s = compact(name)
    if not is_plausible_name(s):
        raise InvalidFormat(f"Not a plausible personal name: {str(name)!r}.")
    return s


def is_valid(name: object) -> bool:
    try:
        return bool(validate(name))
    except NormalizeError:
        return False


def _standard(s: str) -> str:
    return "".join(VARIANTS.get(c, c) for c in compact(s))


def same_name(a: object, b: object) -> bool:
    """Whether two readings are the same name up to folding and true variants."""
    x, y = _standard(str(a or "")), _standard(str(b or ""))
    return bool(x) and x == y


def split_name(name: object) -> tuple[str, str]:
    """``(surname, given name)``; compound surnames are recognised."""
    s = compact(name)
    if "·" in s:
        given, _, family = s.rpartition("·")
        return family, given
    n = 2 if s[:2] in COMPOUND_SURNAMES and len(s) > 2 else 1
    return s[:n], s[n:]
