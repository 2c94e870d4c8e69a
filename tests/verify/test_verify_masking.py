"""Masking: examples, and hypothesis properties over valid ID and card numbers in every form."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import ric

from verify.masking import mask_card_number, mask_id_number, mask_value, scrub

REGIONS = tuple(r for r in ("110101", "110105", "310104", "440106", "320102", "330106", "510104",
                             "420102", "650102", "110102", "310101", "440103")
                if ric.is_valid(r + "19300101001" + ric.calc_check_digit(r + "19300101001" + "0")))
assert len(REGIONS) >= 4


@st.composite
def id_numbers(draw) -> str:
    region = draw(st.sampled_from(REGIONS))
    birth = draw(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2024, 12, 31)))
    seq = draw(st.integers(0, 999))
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    num = body + ric.calc_check_digit(body + "0")
    assert ric.is_valid(num)
    return num


@st.composite
def card_numbers(draw) -> str:
    prefix = draw(st.sampled_from(("622202", "621700", "622848", "621661", "622588", "6217", "4367", "62")))
    length = draw(st.integers(16, 19))
    rest = draw(st.text("0123456789", min_size=length - len(prefix) - 1, max_size=length - len(prefix) - 1))
    body = prefix + rest
    return body + luhn.calc_check_digit(body)


def fullwidth(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in s)


def spaced(s: str, sep: str, groups: tuple[int, ...]) -> str:
    out, i = [], 0
    for g in groups:
        if i >= len(s):
            break
        out.append(s[i:i + g])
        i += g
    if i < len(s):
        out.append(s[i:])
    return sep.join(out)


FORMS = st.sampled_from(("ascii", "fullwidth", "space_id", "space4", "hyphen4", "fullwidth_space", "ideographic_space",
                         "lower_x"))


def render(num: str, form: str) -> str:
    if form == "ascii":
        return num
    if form == "fullwidth":
        return fullwidth(num)
    if form == "space_id":
        return spaced(num, " ", (6, 8, 4))
    if form == "space4":
        return spaced(num, " ", (4,) * 5)
    if form == "hyphen4":
        return spaced(num, "-", (4,) * 5)
    if form == "fullwidth_space":
        return fullwidth(spaced(num, " ", (4,) * 5))
    if form == "ideographic_space":
        return spaced(num, "\u3000", (6, 8, 4))
    if form == "lower_x":
        return num.lower()
    raise AssertionError(form)


CONTEXT = st.sampled_from(("", "身份证号：", "客户 ", "id=", "卡号:", "（"))
TAIL = st.sampled_from(("", "。", " 已核对", "，谢谢", "）", "\n"))


def visible_digits(masked: str) -> str:
    s = unicodedata.normalize("NFKC", masked)
    return "".join(c for c in s if c.isdigit() or c in "Xx")


@settings(max_examples=300, deadline=None)
@given(id_numbers(), FORMS, CONTEXT, TAIL)
def test_scrub_never_shows_birth_date_of_an_id(num, form, before, after):
    text = before + render(num, form) + after
    out = scrub(text)
    flat = re.sub(r"[\s\-\u3000]", "", unicodedata.normalize("NFKC", out))
    assert num[6:14] not in flat
    assert len(visible_digits(out)) <= 10
    # the birth-date digits are never shown individually either: the kept ones are the ends
    kept = visible_digits(out).upper()
    assert kept == num[: len(kept) - 4] + num[-4:] or kept == num[:6] + num[-4:] or kept == num[:4] + num[-4:]


@settings(max_examples=300, deadline=None)
@given(card_numbers(), FORMS, CONTEXT, TAIL)
def test_scrub_shows_at_most_first_6_and_last_4_of_a_card(num, form, before, after):
    out = scrub(before + render(num, form) + after)
    kept = visible_digits(out)
    assert len(kept) <= 10
    flat = re.sub(r"[\s\-\u3000]", "", unicodedata.normalize("NFKC", out))
    if len(num) == 18:
        assert num[:4] + "*" * 10 + num[-4:] in flat  # an 18-digit run is masked as an ID
    else:
        assert num[:6] + "*" * (len(num) - 10) + num[-4:] in flat


@settings(max_examples=200, deadline=None)
@given(id_numbers(), FORMS)
def test_mask_id_number_hides_digits_7_to_14(num, form):
    m = mask_id_number(render(num, form))
    assert m[:4] == num[:4] and m[-4:] == num[-4:]
    assert m[4:14] == "*" * 10
    assert len(m) == 18


@settings(max_examples=200, deadline=None)
@given(card_numbers(), FORMS)
def test_mask_card_number_keeps_6_and_4(num, form):
    m = mask_card_number(render(num, form))
    assert m[:6] == num[:6] and m[-4:] == num[-4:]
    assert set(m[6:-4]) == {"*"} and len(m) == len(num)


@settings(max_examples=100, deadline=None)
@given(id_numbers(), card_numbers())
def test_scrub_masks_several_numbers_in_one_text(idn, cardn):
    out = scrub(f"投保人{idn}，账户{cardn}，旧账户 {spaced(cardn, ' ', (4,) * 5)}")
    assert idn[6:14] not in out
    assert out.count("*") >= 10 + 2 * (len(cardn) - 10)
    assert idn[6:14] not in out.replace(" ", "")


def test_examples():
    assert mask_id_number("11010519491231002X") == "1101**********002X"
    assert mask_value("spouse_id_number", "11010519491231002X") == "1101**********002X"
    assert mask_value("policyholder.name", "王五") == "王五"
    assert mask_value("requested.account_number", None) is None
    assert scrub("保单号 P2019000123，金额 12500.00 元，日期 2026-11-20") == \
        "保单号 P2019000123，金额 12500.00 元，日期 2026-11-20"
    assert scrub("") == ""


def test_short_and_odd_lengths_still_hide_birth_digits():
    assert mask_id_number("11010519491231002") == "110***********002"  # 17 chars: only digits 15-17 shown
    assert mask_id_number("1101051949123100211")[-4:] == "0211"
    assert "19491231" not in mask_id_number("1101051949123100211")
