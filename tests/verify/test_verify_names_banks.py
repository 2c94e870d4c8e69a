"""Name folding never passes a different name; bank names and BINs; card number checks."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from verify.banks import bank_code, bin_bank, card_problem
from verify.names import VARIANTS, normalize_name, same_name
from tests.verify.verify_builders import CCB_CARD, ICBC_CARD

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
NAMES = st.text(CJK, min_size=2, max_size=4).filter(lambda s: not set(s) & (set(VARIANTS) | set(VARIANTS.values())))


@settings(max_examples=300, deadline=None)
@given(NAMES, NAMES)
def test_different_names_never_match(a, b):
    assume(a != b)
    assert not same_name(a, b)
    assert not same_name(a, b, strictness="exact")


@settings(max_examples=200, deadline=None)
@given(NAMES, st.sampled_from((" ", "\u3000", "  ", "\t")), st.integers(0, 3))
def test_spacing_never_makes_a_difference(name, sep, at):
    at = min(at, len(name))
    assert same_name(name[:at] + sep + name[at:], name)
    assert same_name(" " + name + "\u3000", name)


@pytest.mark.parametrize("a,b,ok", [
    ("欧阳 娜娜", "欧阳娜娜", True),
    ("阿依古丽·买买提", "阿依古丽•买买提", True),
    ("阿依古丽.买买提", "阿依古丽·买买提", True),
    ("ＺＨＡＮＧ　ＷＥＩ", "zhang wei", True),
    ("王羣", "王群", True),
    ("王昇", "王升", False),
    ("王堃", "王坤", False),
    ("张三", "", False),
    ("", "", False),
    (None, "张三", False),
])
def test_name_table(a, b, ok):
    assert same_name(a, b) is ok


def test_normalize_exact_does_not_fold_variants():
    assert normalize_name("王峯", "exact") == "王峯"
    assert normalize_name("王峯", "variants") == "王峰"


@pytest.mark.parametrize("name,code", [
    ("中国工商银行股份有限公司北京朝阳支行", "中国工商银行"), ("ＩＣＢＣ", "中国工商银行"), ("建行", "中国建设银行"),
    ("中国银行", "中国银行"), ("中国农业银行", "中国农业银行"), ("中国邮政储蓄银行", "中国邮政储蓄银行"),
    ("浦发银行", "上海浦东发展银行"), ("某某农村信用社", None), ("", None),
])
def test_bank_code(name, code):
    assert bank_code(name) == code


def test_bins_and_card_problems():
    assert bin_bank(ICBC_CARD) == "中国工商银行" and bin_bank(CCB_CARD) == "中国建设银行"
    assert bin_bank("1234560000000000") is None  # no issuer starts with 1 (ISO/IEC 7812 MII 1: airlines)
    assert card_problem(ICBC_CARD) is None
    assert card_problem(ICBC_CARD[:-1] + str((int(ICBC_CARD[-1]) + 3) % 10)) == "checksum"
    assert card_problem("6222") == "length"
    assert card_problem("6222 0212 3456 789A") == "format"
    assert card_problem(None) == "format"
