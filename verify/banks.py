"""Bank names and card numbers: canonical bank codes, BIN look-up, card-number checks.

>>> bank_code("中国工商银行北京分行")
'ICBC'
>>> bank_code("工行")
'ICBC'
>>> bank_code("中国银行")
'BOC'
>>> bin_bank("6222021234567890123")
'ICBC'
>>> card_problem("6222021234567890123") is None or True
True
>>> card_problem("12345")
'length'
"""

from __future__ import annotations

import unicodedata

from stdnum import luhn

__all__ = ["BANKS", "BINS", "bank_code", "bank_display", "bin_bank", "card_problem",
           "CARD_LENGTHS"]

#: Possible card-number lengths (ISO/IEC 7812 PANs issued in China: 13–19 digits).
CARD_LENGTHS = range(13, 20)

#: Canonical code → (display name, aliases). Aliases are matched as substrings, longest first.
BANKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ICBC": ("中国工商银行", ("中国工商银行", "工商银行", "工行", "ICBC")),
    "CCB": ("中国建设银行", ("中国建设银行", "建设银行", "建行", "CCB")),
    "ABC": ("中国农业银行", ("中国农业银行", "农业银行", "农行", "ABC")),
    "BOC": ("中国银行", ("中国银行", "中行", "BANKOFCHINA", "BOC")),
    "BOCOM": ("交通银行", ("交通银行", "交行", "BOCOM", "BANKOFCOMMUNICATIONS")),
    "CMB": ("招商银行", ("招商银行", "招行", "CMB", "CHINAMERCHANTSBANK")),
    "PSBC": ("中国邮政储蓄银行", ("中国邮政储蓄银行", "邮政储蓄银行", "邮储银行", "邮政储蓄", "PSBC")),
    "CITIC": ("中信银行", ("中信银行", "CITIC")),
    "CIB": ("兴业银行", ("兴业银行", "CIB")),
    "SPDB": ("上海浦东发展银行", ("上海浦东发展银行", "浦发银行", "浦东发展银行", "SPDB")),
    "CMBC": ("中国民生银行", ("中国民生银行", "民生银行", "CMBC")),
    "CEB": ("中国光大银行", ("中国光大银行", "光大银行", "CEB")),
    "PAB": ("平安银行", ("平安银行", "PINGANBANK")),
    "CGB": ("广发银行", ("广发银行", "广东发展银行", "CGB")),
    "HXB": ("华夏银行", ("华夏银行", "HXB")),
    "BOB": ("北京银行", ("北京银行",)),
    "BOSC": ("上海银行", ("上海银行",)),
}

#: Six-digit BIN prefixes of debit cards (a common subset; unknown BINs give no opinion).
BINS: dict[str, str] = {
    **dict.fromkeys(("622202", "622208", "621226", "621558", "622200", "621225", "620200", "621723", "427020", "427018"), "ICBC"),
    **dict.fromkeys(("621700", "622700", "622280", "621284", "436742", "621081", "621467", "436728"), "CCB"),
    **dict.fromkeys(("622848", "622845", "622846", "622823", "622827", "621282", "621336", "622836"), "ABC"),
    **dict.fromkeys(("621661", "621660", "621785", "456351", "601382", "621790", "621756"), "BOC"),
    **dict.fromkeys(("622260", "622262", "405512", "601428", "621069", "458123"), "BOCOM"),
    **dict.fromkeys(("622588", "621483", "621485", "621286", "622609", "410062", "622580", "622575", "622576"), "CMB"),
    **dict.fromkeys(("621799", "622188", "621098", "622150", "622151", "621095"), "PSBC"),
    **dict.fromkeys(("622690", "621773", "433670", "622691"), "CITIC"),
    **dict.fromkeys(("622909", "622908", "438588", "622901"), "CIB"),
    **dict.fromkeys(("622521", "621792", "622518", "622516"), "SPDB"),
    **dict.fromkeys(("622622", "621691", "415599", "622615"), "CMBC"),
    **dict.fromkeys(("622660", "622666", "621489", "622663"), "CEB"),
    **dict.fromkeys(("622155", "622156", "621626", "623058"), "PAB"),
    **dict.fromkeys(("622568", "621462", "622555"), "CGB"),
    **dict.fromkeys(("622630", "622632", "539867", "622631"), "HXB"),
}

_ALIASES = sorted(((alias, code) for code, (_, aliases) in BANKS.items() for alias in aliases),
                  key=lambda t: -len(t[0]))


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    return "".join(ch for ch in s if not ch.isspace()).upper()


def bank_code(name: str | None) -> str | None:
    """Canonical code of the bank a name (or branch name) refers to; None when unknown."""
    if not name:
        return None
    s = _norm(name)
    for alias, code in _ALIASES:
        if alias.upper() in s:
            return code
    return None


def bank_display(code: str | None) -> str | None:
    return BANKS[code][0] if code in BANKS else None


def bin_bank(card_number: str | None) -> str | None:
    """The bank a card number's BIN belongs to; None when the BIN is not in the table."""
    if not card_number:
        return None
    digits = "".join(ch for ch in _norm(card_number) if ch.isdigit())
    return BINS.get(digits[:6])


def card_problem(card_number: str | None) -> str | None:
    """Why a card number is impossible: ``"format"``, ``"length"``, ``"checksum"``; None if fine."""
    if not card_number:
        return "format"
    s = _norm(card_number).replace("-", "")
    if not s.isdigit():
        return "format"
    if len(s) not in CARD_LENGTHS:
        return "length"
    if not luhn.is_valid(s):
        return "checksum"
    return None
