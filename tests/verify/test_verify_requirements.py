"""The rules file: the packaged default loads; every kind of mistake names its key and line."""

from __future__ import annotations

import pytest

from verify.errors import RulesError
from verify.requirements import DEFAULT_RULES_PATH, load_rules, parse_rules
from verify.types import ENDORSEMENT_TYPES

TEXT = DEFAULT_RULES_PATH.read_text(encoding="utf-8")


def test_default_rules_load_and_cover_every_type():
    r = load_rules()
    assert r.version == "2026-12-07.1"
    assert set(r.types) == set(ENDORSEMENT_TYPES)
    assert r.income_proof_max_age_months == 6
    assert r.multiple_for_age(30) == 10 and r.multiple_for_age(45) == 8 and r.multiple_for_age(60) == 5
    assert r.multiple_for_age(None) == 10
    assert r.types["reinstatement"].allowed_status == ("lapsed",)
    assert "lapsed" not in r.types["policy_loan"].allowed_status
    bc = r.types["beneficiary_change"]
    assert any(set(q.kinds) == {"marriage_certificate", "household_register"} for q in bc.documents)
    assert any(q.when == "reason_divorce" for q in bc.documents)


def test_override_path(tmp_path):
    p = tmp_path / "rules.toml"
    p.write_text(TEXT.replace('version = "2026-12-07.1"', 'version = "local.2"')
                 .replace("income_proof_max_age_months = 6", "income_proof_max_age_months = 3"), encoding="utf-8")
    r = load_rules(p)
    assert (r.version, r.income_proof_max_age_months) == ("local.2", 3)


def test_missing_override_file(tmp_path):
    with pytest.raises(RulesError, match="cannot read rules file"):
        load_rules(tmp_path / "nope.toml")


def _line(text: str, needle: str, nth: int = 1) -> int:
    count = 0
    for i, ln in enumerate(text.splitlines(), 1):
        if needle in ln:
            count += 1
            if count == nth:
                return i
    raise AssertionError(needle)


# (what to replace, replacement, key named in the message, text on the reported line)
BROKEN = [
    ("[types.surrender]", "[types.surender]", "types.surender", "[types.surender]"),
    ('{ party = "payee", kind = "bank_card" },\n]\n\n[types.bank_account_change.prefill]',
     '{ party = "payee", kind = "bank_crd" },\n]\n\n[types.bank_account_change.prefill]',
     "bank_crd", 'kind = "bank_crd"'),
    ('income_proof = ["name", "issue_date"]', 'income_proof = ["name", "issued_on"]', "issued_on",
     'income_proof = ["name", "issued_on"]'),
    ("income_proof_max_age_months = 6", 'income_proof_max_age_months = "6"', "income_proof_max_age_months",
     'income_proof_max_age_months = "6"'),
    ("max_age = 50", "max_age = 50.5", "max_age", "max_age = 50.5"),
    ("multiple = 8", "multiple = 0", "multiple", "multiple = 0"),
    ('allowed_status = ["lapsed"]', 'allowed_status = ["laps"]', "laps", 'allowed_status = ["laps"]'),
    ('{ party = "policyholder", kind = "id_card_back" },\n]\n\n[types.add_rider]',
     '{ party = "holder", kind = "id_card_back" },\n]\n\n[types.add_rider]',
     "holder", '{ party = "holder", kind = "id_card_back" }'),
    ('when = "reason_divorce"', 'when = "divorced"', "divorced", 'when = "divorced"'),
    ('account_number = "payee:bank_card.card_number"\naccount_holder = "payee:bank_card.holder_name"\n\n[types.payment_method_change]',
     'account_number = "payee:bank_card.card_no"\naccount_holder = "payee:bank_card.holder_name"\n\n[types.payment_method_change]',
     "card_no", 'account_number = "payee:bank_card.card_no"'),
    ('name_match = "variants"', 'name_match = "fuzzy"', "fuzzy", 'name_match = "fuzzy"'),
    ('title = "退保"', 'title = "退保"\ncolour = "red"', "colour", 'colour = "red"'),
    ('checks = ["income"]', 'checks = ["incomes"]', "incomes", 'checks = ["incomes"]'),
    ('address = "policyholder:id_card_front.address"\n\n[types.id_renewal]',
     'email = "policyholder:id_card_front.address"\n\n[types.id_renewal]', "email",
     'email = "policyholder:id_card_front.address"'),
]


@pytest.mark.parametrize("old,new,key,line_text", BROKEN, ids=[b[2] for b in BROKEN])
def test_bad_key_is_named_with_its_line(old, new, key, line_text):
    assert old in TEXT, old
    text = TEXT.replace(old, new, 1)
    with pytest.raises(RulesError) as ei:
        parse_rules(text)
    e = ei.value
    assert key in str(e)
    assert e.line is not None, str(e)
    assert line_text in text.splitlines()[e.line - 1], (e.line, str(e))
    assert f"line {e.line}" in str(e)


def test_broken_toml_names_the_line():
    text = TEXT.replace('title = "退保"', 'title = "退保', 1)
    with pytest.raises(RulesError) as ei:
        parse_rules(text)
    assert ei.value.line == _line(text, 'title = "退保')
    assert "not valid TOML" in str(ei.value)


def test_missing_type_is_reported():
    start = TEXT.index("[types.policy_conversion]")
    with pytest.raises(RulesError, match="policy_conversion.*has no rules"):
        parse_rules(TEXT[:start])


def test_both_kind_and_one_of_refused():
    text = TEXT.replace('{ party = "payee", kind = "bank_card", when = "method_bank_transfer" }',
                        '{ party = "payee", kind = "bank_card", one_of = ["bank_card"] }', 1)
    with pytest.raises(RulesError, match="exactly one of"):
        parse_rules(text)
