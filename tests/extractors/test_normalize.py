"""Normaliser tests: table-driven cases, junk robustness, and Hypothesis properties."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import ric

from extractors.normalize import (
    bank_card, dates, ethnicity, id_number, id_validity, money, names, regions,
)
from extractors.normalize.errors import (
    InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, NormalizeError, UnknownValue,
)

ID = "110105198503071230"

# ------------------------------------------------------------------ tables

@pytest.mark.parametrize("raw, expected", [
    ("1985年3月7日", "1985-03-07"), ("1985 年 3 月 7 日", "1985-03-07"), ("1985.03.07", "1985-03-07"),
    ("1985-03-07", "1985-03-07"), ("19850307", "1985-03-07"), ("1985年03月07日", "1985-03-07"),
    ("1985.3.7", "1985-03-07"), (" 1985 . 3 . 7 ", "1985-03-07"), ("１９８５年３月７日", "1985-03-07"),
    ("1985/3/7", "1985-03-07"), ("长期", "长期"), ("二〇二四年五月十日", "2024-05-10"),
    ("二〇二三年十二月三十一日", "2023-12-31"), ("二零二零年一月二十日", "2020-01-20"),
])
def test_dates(raw, expected):
    assert dates.validate(raw) == expected


@pytest.mark.parametrize("raw, err", [
    ("1985年2月30日", InvalidComponent), ("1985", InvalidFormat), ("", InvalidFormat),
    ("1885年3月7日", InvalidFormat), ("二〇二四年十三月一日", InvalidComponent),
])
def test_dates_errors(raw, err):
    with pytest.raises(err):
        dates.validate(raw)


@pytest.mark.parametrize("raw, expected", [
    ("2016.05.12-2036.05.12", ("2016-05-12", "2036-05-12")),
    ("2016.05.12—2036.05.12", ("2016-05-12", "2036-05-12")),
    ("2010.01.05-长期", ("2010-01-05", "长期")),
    ("2016年05月12日至2036年05月12日", ("2016-05-12", "2036-05-12")),
])
def test_date_spans(raw, expected):
    assert dates.validate_span(raw) == expected


def test_span_errors():
    with pytest.raises(InvalidComponent):
        dates.validate_span("2036.05.12-2016.05.12")
    with pytest.raises(InvalidFormat):
        dates.validate_span("2016.05.12")


@pytest.mark.parametrize("raw, expected", [
    ("12,500.00", "12500.00"), ("12500元", "12500.00"), ("人民币12,500.00元", "12500.00"),
    ("￥12,500", "12500.00"), ("¥12500.5", "12500.50"), ("1.25万元", "12500.00"), ("1.25 万", "12500.00"),
    ("壹万贰仟伍佰元整", "12500.00"), ("壹拾贰万伍仟元整", "125000.00"), ("伍佰元零伍角", "500.50"),
    ("壹万零壹佰元整", "10100.00"), ("RMB 8,000", "8000.00"), ("１２５００元", "12500.00"), ("0", "0.00"),
])
def test_money(raw, expected):
    assert money.validate(raw) == expected


@pytest.mark.parametrize("raw", ["", "元", "abc", "12.345", "1,2,3", "十二万", "12%"])
def test_money_errors(raw):
    with pytest.raises(InvalidFormat):
        money.validate(raw)


@pytest.mark.parametrize("raw, err", [
    ("11010519850307123", InvalidLength), ("1101051985030712300", InvalidLength),
    ("110105198503071231", InvalidChecksum), ("11O105198503071230", InvalidFormat),
    ("110105198513071233", InvalidComponent),  # month 13, correct check digit
    ("990105198503071238", InvalidComponent),  # no such region
])
def test_id_errors(raw, err):
    if err is InvalidComponent:  # make the check digit right so the component check is reached
        raw = raw[:17] + ric.calc_check_digit(raw[:17] + "0")
    with pytest.raises(err):
        id_number.validate(raw)


@pytest.mark.parametrize("raw", ["110105 19850307 1230", "１１０１０５１９８５０３０７１２３０", "110105-19850307-1230"])
def test_id_compact(raw):
    assert id_number.validate(raw) == ID


def test_id_x_forms():
    base = "11010519491231002"
    assert ric.calc_check_digit(base + "0") == "X"
    for x in "xX×":
        assert id_number.validate(base + x) == base + "X"


def test_id_parts():
    assert id_number.birth_date(ID) == "1985-03-07"
    assert id_number.sex(ID) == "男"
    assert id_number.sex("440305199001010026") == "女"
    assert id_number.region(ID) == "北京市朝阳区"


@pytest.mark.parametrize("raw, expected", [
    ("6222 0212 3456 7890 128", "6222021234567890128"), ("6225751234567893", "6225751234567893"),
])
def test_card(raw, expected):
    assert bank_card.validate(raw) == expected


@pytest.mark.parametrize("raw, err", [
    ("6222021234567890127", InvalidChecksum), ("622202123456789", InvalidLength),
    ("62220212345678901234", InvalidLength), ("6222 O212 3456 7890 128", InvalidFormat),
])
def test_card_errors(raw, err):
    with pytest.raises(err):
        bank_card.validate(raw)


@pytest.mark.parametrize("alias", ["工行", "工商银行", "中国工商银行", "ICBC", "icbc", "中国工商银行股份有限公司"])
def test_bank_aliases(alias):
    assert bank_card.canonical_bank(alias) == "中国工商银行"


@pytest.mark.parametrize("alias, canon", [
    ("建行", "中国建设银行"), ("农行", "中国农业银行"), ("中行", "中国银行"), ("交行", "交通银行"),
    ("招行", "招商银行"), ("邮储银行", "中国邮政储蓄银行"), ("兴业银行", "兴业银行"), ("中信银行", "中信银行"),
    ("光大银行", "中国光大银行"), ("民生银行", "中国民生银行"), ("浦发银行", "上海浦东发展银行"),
    ("平安银行", "平安银行"), ("华夏银行", "华夏银行"), ("广发银行", "广发银行"), ("广东发展银行", "广发银行"),
    ("北京银行", "北京银行"), ("Bank of China", "中国银行"),
])
def test_bank_alias_table(alias, canon):
    assert bank_card.canonical_bank(alias) == canon


def test_bin_table_covers_major_banks():
    import csv
    from importlib import resources
    text = resources.files("extractors.data").joinpath("bank_bins.csv").read_text(encoding="utf-8")
    assert text.startswith("#") and "public" in text.lower()
    rows = list(csv.DictReader(ln for ln in text.splitlines() if ln and not ln.startswith("#")))
    banks = {r["bank"] for r in rows}
    for b in ("中国工商银行", "中国建设银行", "中国农业银行", "中国银行", "交通银行", "招商银行", "中国邮政储蓄银行",
              "兴业银行", "中信银行", "中国光大银行", "中国民生银行", "上海浦东发展银行", "平安银行", "华夏银行", "广发银行"):
        assert b in banks
    assert all(r["card_type"] in ("debit", "credit") and r["bin"].isdigit() for r in rows)
    # every bank in the BIN table has a canonical alias entry
    assert all(bank_card.canonical_bank(b) == b for b in banks)


@pytest.mark.parametrize("raw, expected", [
    ("汉", "汉"), ("汉族", "汉"), ("维吾尔族", "维吾尔"), ("土 家", "土家"), ("柯尔克孜", "柯尔克孜"),
])
def test_ethnicity_exact(raw, expected):
    assert ethnicity.validate(raw) == expected
    assert ethnicity.match(raw) == (expected, 1.0, True)


def test_ethnicity_56():
    assert len(ethnicity.ETHNICITIES) == 56 == len(set(ethnicity.ETHNICITIES))


@pytest.mark.parametrize("raw, expected", [("维吾示", "维吾尔"), ("柯尔克孖", "柯尔克孜"), ("鄂伦舂", "鄂伦春")])
def test_ethnicity_fuzzy(raw, expected):
    name, score, exact = ethnicity.match(raw)
    assert (name, exact) == (expected, False) and score < 1


def test_ethnicity_unknown():
    with pytest.raises(UnknownValue):
        ethnicity.validate("火星")
    assert ethnicity.match("X")[0] is None


@pytest.mark.parametrize("a, b, same", [
    ("王建国", "王 建国", True), ("李峯", "李峰", True), ("张喆", "张哲", False), ("王建国", "王建图", False),
    ("买买提·艾力", "买买提•艾力", True), ("", "", False), ("王建国", "王建国国", False),
])
def test_same_name(a, b, same):
    assert names.same_name(a, b) is same


@pytest.mark.parametrize("name, ok", [
    ("王建国", True), ("欧阳小红", True), ("司马相如", True), ("王", False), ("王建国123", False),
    ("阿卜杜热合曼·买买提", True), ("ZHANG SAN", False), ("中国工商银行", False),
])
def test_plausible_names(name, ok):
    assert names.is_plausible_name(name) is ok


@pytest.mark.parametrize("code, address, same", [
    (ID, "北京市朝阳区建国路88号", True), (ID, "广东省广州市", False), ("150102198001010000", "内蒙古自治区呼和浩特市", True),
    ("450102198001010000", "广西壮族自治区南宁市", True), ("440305199001010026", "深圳市南山区", True),
    (ID, "朝阳区建国路", None),
])
def test_regions(code, address, same):
    assert regions.same_province(code, address) is same


@pytest.mark.parametrize("frm, until, birth, ok", [
    ("2010-01-01", "2015-01-01", "2000-01-01", True),   # 10 at issue → 5 years
    ("2016-01-01", "2026-01-01", "2000-01-01", True),   # 16 → 10
    ("2025-01-01", "2035-01-01", "2000-01-01", True),   # 25 → 10
    ("2026-01-01", "2046-01-01", "2000-01-01", True),   # 26 → 20
    ("2045-01-01", "2065-01-01", "2000-01-01", True),   # 45 → 20
    ("2046-01-01", "长期", "2000-01-01", True),          # 46 → long term
    ("2046-01-01", "2066-01-01", "2000-01-01", False),
    ("2016-01-01", "2036-01-01", "2000-01-01", False),
    ("bad", "2036-01-01", "2000-01-01", False),
])
def test_validity(frm, until, birth, ok):
    assert id_validity.validity_ok(frm, until, birth) is ok


# ------------------------------------------------------------------ junk robustness

JUNK = [None, "", " ", "🙂", "\x00", object(), 12, 3.5, b"bytes", ["list"], "null", "X" * 1000]


@pytest.mark.parametrize("module", [id_number, bank_card, dates, money, names, ethnicity])
@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_junk(module, junk):
    assert module.is_valid(junk) in (False, True)
    try:
        module.validate(junk)
    except NormalizeError:
        pass


@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_correct_junk(junk):
    c = id_number.correct(junk)
    assert c.needs_review and not c.corrected


def test_error_tree():
    for e in (InvalidFormat, InvalidLength, InvalidChecksum, InvalidComponent, UnknownValue):
        assert issubclass(e, NormalizeError) and issubclass(e, ValueError)
        assert e().code and e().message


# ------------------------------------------------------------------ Hypothesis

# valid for every birth year drawn below (stdnum checks the county existed in that year)
REGION_CODES = ["110105", "110101", "310104", "340121", "150222"]
birth_dates = st.dates(min_value=datetime.date(1940, 1, 1), max_value=datetime.date(2015, 12, 31))


@st.composite
def id_numbers(draw):
    region = draw(st.sampled_from(REGION_CODES))
    birth = draw(birth_dates)
    seq = draw(st.integers(0, 999))
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


@given(id_numbers())
def test_generated_ids_validate(n):
    assert id_number.validate(n) == n
    assert id_number.validate(" ".join([n[:6], n[6:14], n[14:]])) == n
    assert id_number.sex(n) == ("男" if int(n[16]) % 2 else "女")
    assert id_number.birth_date(n) == f"{n[6:10]}-{n[10:12]}-{n[12:14]}"


@given(birth_dates, st.sampled_from(["{y}年{m}月{d}日", "{y}.{m:02d}.{d:02d}", "{y}-{m:02d}-{d:02d}",
                                     "{y}{m:02d}{d:02d}", "{y} 年 {m} 月 {d} 日", "{y}/{m}/{d}"]))
def test_dates_roundtrip(d, fmt):
    assert dates.validate(fmt.format(y=d.year, m=d.month, d=d.day)) == d.isoformat()


@given(st.text(max_size=30))
def test_dates_never_crash(s):
    try:
        v = dates.validate(s)
    except NormalizeError:
        return
    assert v == "长期" or datetime.date.fromisoformat(v)


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_money_roundtrip(v):
    s = f"{v:.2f}"
    assert money.validate(s) == s
    assert money.validate(f"人民币{v:,.2f}元") == s
    assert money.validate(f"￥{v:,.2f}") == s


@given(st.integers(0, 99_999_999))
def test_money_capital_roundtrip(n):
    import cn2an
    capital = cn2an.an2cn(n, "up")
    assert money.validate(capital + "元整") == f"{n}.00"


@given(st.text(max_size=30))
def test_money_never_crash(s):
    try:
        v = money.validate(s)
    except NormalizeError:
        return
    assert Decimal(v) >= 0


@given(st.text(alphabet="0123456789", min_size=15, max_size=18))
def test_cards_luhn(body):
    n = body + luhn.calc_check_digit(body)
    assert bank_card.validate(" ".join(n[i:i + 4] for i in range(0, len(n), 4))) == n
    bad = n[:-1] + str((int(n[-1]) + 1) % 10)
    with pytest.raises(InvalidChecksum):
        bank_card.validate(bad)


# --- the correction logic -------------------------------------------------

CONFUSE = {"0": "O", "1": "I", "8": "B", "5": "S", "2": "Z", "6": "G"}


@st.composite
def misreads(draw):
    """A valid number, its printed birth date and sex, and an OCR misreading of it."""
    n = draw(id_numbers())
    kind = draw(st.sampled_from(["letter", "digit", "any_digit", "drop", "none"]))
    s = list(n)
    if kind == "letter":
        pos = draw(st.sampled_from([i for i, c in enumerate(n[:17]) if c in CONFUSE] or [0]))
        if n[pos] in CONFUSE:
            s[pos] = CONFUSE[n[pos]]
    elif kind in ("digit", "any_digit"):
        pos = draw(st.integers(0, 17))
        alts = id_number.DIGIT_CONFUSIONS.get(n[pos], "") if kind == "digit" else "0123456789"
        alts = [a for a in alts if a != n[pos]] or ["0" if n[pos] != "0" else "1"]
        s[pos] = draw(st.sampled_from(alts))
    elif kind == "drop":
        del s[draw(st.integers(0, 17))]
    printed_birth = id_number.birth_date(n)
    if draw(st.booleans()):  # sometimes the printed date itself differs (misprinted / misread)
        printed_birth = (datetime.date.fromisoformat(printed_birth) + datetime.timedelta(
            days=draw(st.integers(1, 400)))).isoformat()
    printed_sex = draw(st.sampled_from([id_number.sex(n), "男", "女", None]))
    return n, "".join(s), printed_birth, printed_sex, draw(st.booleans())


@settings(max_examples=300, deadline=None)
@given(misreads())
def test_correction_properties(case):
    truth, read, printed_birth, printed_sex, any_digit = case
    c = id_number.correct(read, printed_birth, printed_sex, allow_any_digit=any_digit)
    # 1. a corrected value always validates and agrees with the printed birth date and sex
    if c.corrected:
        assert id_number.is_valid(c.value)
        assert id_number.birth_date(c.value) == printed_birth
        assert printed_sex is None or id_number.sex(c.value) == printed_sex
    # 2. never padded: a wrong-length reading is returned as read
    if len(id_number.compact(read)) != 18:
        assert c.value == id_number.compact(read) and not c.corrected and c.needs_review
    # 3. a value that is not valid and consistent is always flagged
    consistent = id_number.is_valid(c.value) and id_number.birth_date(c.value) == printed_birth and (
        printed_sex is None or id_number.sex(c.value) == printed_sex)
    if not consistent:
        assert c.needs_review
    # 4. without review the value is exactly the truth, or a consistent valid number
    #    reached only by replacing letters (never a digit-for-digit guess)
    if not c.needs_review:
        assert consistent
        assert c.method in ("none", "letters")
        if c.method == "letters":
            assert c.value == truth or all(not ch.isdigit() for ch in
                                           (r for r, v in zip(id_number.compact(read), c.value) if r != v))


@given(id_numbers(), st.integers(0, 16))
def test_correction_without_printed_data_never_changes_value(n, pos):
    read = n[:pos] + "O" + n[pos + 1:] if n[pos] == "0" else n[:pos] + "Z" + n[pos + 1:]
    c = id_number.correct(read)
    assert not c.corrected and c.needs_review and c.value == id_number.compact(read)


@given(id_numbers())
def test_valid_number_passes_correction_unchanged(n):
    c = id_number.correct(n, id_number.birth_date(n), id_number.sex(n))
    assert (c.value, c.corrected, c.needs_review) == (n, False, False)
    assert (c.reason, c.valid, c.candidates, c.conflicts) == ("valid", True, (n,), ())
