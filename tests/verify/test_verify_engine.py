"""The engine end to end on Extractions built in code: prefill, needs_review, evidence."""

from __future__ import annotations

import json

import pytest

from verify.checks import CHECKS
from verify.engine import verify
from verify.requirements import load_rules, parse_rules, DEFAULT_RULES_PATH
from tests.verify.verify_builders import (
    CHILD, ICBC_CARD, PH, SPOUSE, back, card, certificate, clean, front, household, replace,
    with_policy, with_requested,
)


def test_checks_are_an_explicit_ordered_list():
    names = [c.__name__ for c in CHECKS]
    assert names[0] == "check_policy_status"
    assert len(names) == len(set(names)) and all(n.startswith("check_") for n in names)


@pytest.mark.parametrize("requested,expected", [
    ({"bank_name": "", "account_number": "", "account_holder": ""},
     {"requested.bank_name": "中国工商银行", "requested.account_number": ICBC_CARD,
      "requested.account_holder": PH["name"]}),
    ({"bank_name": "工行", "account_number": "", "account_holder": PH["name"]},
     {"requested.account_number": ICBC_CARD}),
    ({"bank_name": "工行", "account_number": ICBC_CARD, "account_holder": PH["name"]}, {}),
])
def test_bank_prefill(requested, expected):
    c, d = clean("bank_account_change")
    v = verify(with_requested(c, **requested), d)
    assert {k: p.value for k, p in v.prefill.items()} == expected
    assert all(p.source == "docs/bank.jpg" and not p.needs_review for p in v.prefill.values())
    assert v.discrepancies == []


def test_prefill_carries_needs_review_and_source():
    c, d = clean("bank_account_change")
    d = replace(d, "bank_card", card(holder=PH["name"], needs_review={"card_number"}))
    v = verify(with_requested(c, account_number=""), d)
    item = v.prefill["requested.account_number"]
    assert (item.value, item.source, item.needs_review) == (ICBC_CARD, "docs/bank.jpg", True)


def test_prefill_address_and_id_validity():
    c, d = clean("contact_change")
    v = verify(with_requested(c, address=""), d)
    assert v.prefill["requested.address"].value == PH["address"]
    assert v.prefill["requested.address"].source == "docs/id_front.jpg"
    c, d = clean("id_renewal")
    v = verify(with_requested(c, valid_from="", valid_until=""), replace(d, "id_card_back", back(valid_until="长期")))
    assert v.prefill["requested.valid_until"].value == "长期"
    assert v.prefill["requested.valid_from"].value == "2016-05-01"
    assert v.discrepancies == []


def test_prefill_new_beneficiary_id_number_from_their_id_card():
    c, d = clean("beneficiary_change")
    c = with_requested(c, beneficiaries=[{"name": SPOUSE["name"], "id_number": "", "relationship": "spouse",
                                          "share": 100}])
    v = verify(c, d)
    assert v.prefill["requested.beneficiaries[0].id_number"].value == SPOUSE["id_number"]
    assert v.prefill["requested.beneficiaries[0].id_number"].source == "docs/bene_front.jpg"
    assert v.discrepancies == []


def test_no_prefill_from_a_document_failing_the_quality_gate():
    from extractors.types import Quality, QualityIssue

    c, d = clean("bank_account_change")
    d[2].quality = Quality([QualityIssue("blur", "error", "blurred")])
    v = verify(with_requested(c, account_number=""), d)
    assert "requested.account_number" not in v.prefill
    assert v.codes() == ["document_unreadable"]


def test_uncertain_reading_lowers_severity_but_still_reports():
    c, d = clean("bank_account_change")
    d = replace(d, "id_card_front", front(PH, name="王建军", needs_review={"name"}))
    [x] = verify(c, d).discrepancies
    assert (x.code, x.severity, x.uncertain) == ("name_mismatch", "warning", True)
    assert x.message.endswith("（识别结果不确定，请核对原件）")
    rules = parse_rules(DEFAULT_RULES_PATH.read_text(encoding="utf-8").replace(
        'uncertain_severity = "warning"', 'uncertain_severity = "error"'))
    [y] = verify(c, d, rules).discrepancies
    assert y.severity == "error" and y.uncertain


def test_documents_are_matched_to_parties_by_identity_not_order():
    c, d = clean("beneficiary_change")
    d = [front(SPOUSE, file="docs/a.jpg"), back(), front(PH, file="docs/b.jpg"), certificate(PH, SPOUSE)]
    v = verify(c, d)
    assert v.discrepancies == [], [x.to_dict() for x in v.discrepancies]


def test_new_beneficiary_id_mismatch_points_at_requested_path():
    c, d = clean("beneficiary_change")
    d = replace(d, "id_card_front", front(PH))  # the first front is the policyholder's
    d = [x for x in d if x.file != "docs/bene_front.jpg"] + [front(SPOUSE, file="docs/bene_front.jpg", sex="男")]
    v = verify(c, d)
    assert [(x.code, x.field) for x in v.discrepancies] == [("sex_mismatch", "requested.beneficiaries[0].sex")]


def test_household_register_proof_for_a_child():
    c, d = clean("beneficiary_change")
    c = with_requested(c, beneficiaries=[{"name": CHILD["name"], "id_number": CHILD["id_number"],
                                          "relationship": "child", "share": 100}])
    d = [front(PH), back(), front(CHILD, file="docs/child.jpg"),
         household(PH, "户主", "docs/hh1.jpg"), household(CHILD, "子", "docs/hh2.jpg")]
    assert verify(c, d).discrepancies == []


def test_existing_beneficiary_needs_no_new_proof():
    c, d = clean("beneficiary_change")
    c = with_policy(c, beneficiaries=[{"name": SPOUSE["name"], "id_number": SPOUSE["id_number"],
                                       "relationship": "spouse", "share": 100}])
    d = [front(PH), back()]
    assert verify(c, d).discrepancies == []


def test_output_never_holds_an_unmasked_number_outside_documents_and_prefill():
    c, d = clean("policy_loan")
    d = replace(d, "id_card_front", front(PH, id_number=PH["id_number"][:-1] + "0", name="王建军"))
    out = verify(with_requested(c, account_number="6222020000000000000"), d).to_dict()
    text = json.dumps({"discrepancies": out["discrepancies"], "missing": out["missing_documents"]},
                      ensure_ascii=False)
    assert PH["id_number"] not in text and ICBC_CARD not in text and "6222020000000000000" not in text
    assert PH["id_number"][6:14] not in text


def test_engine_is_pure_and_repeatable():
    c, d = clean("sum_insured_increase")
    a = verify(c, d).to_dict()
    b = verify(c, d).to_dict()
    assert a == b


def test_custom_rules_threshold_changes_the_verdict(tmp_path):
    c, d = clean("sum_insured_increase")
    p = tmp_path / "r.toml"
    p.write_text(DEFAULT_RULES_PATH.read_text(encoding="utf-8").replace("multiple = 8", "multiple = 4"),
                 encoding="utf-8")
    assert "income_insufficient" in verify(c, d, load_rules(p)).codes()
    assert "income_insufficient" not in verify(c, d).codes()


EDGE = ("intake", "queues", "fastapi", "starlette", "sqlalchemy", "redis", "rq", "samples")


@pytest.mark.parametrize("modules, forbidden", [
    ("verify.engine, verify.masking, verify.requirements", EDGE + ("cv2",)),  # verify needs no image code either
    ("extractors.pipeline, extractors.quick_check, extractors.truth", EDGE),
], ids=["verify", "extractors"])
def test_pure_packages_import_no_service_code(modules, forbidden):
    """In a fresh interpreter: the pure packages load without the service, the queue or the generator."""
    import subprocess
    import sys

    code = (f"import sys, {modules};"
            f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {forbidden!r});"
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_failed_checksum_flag_does_not_soften_invalid_number():
    bad = PH["id_number"][:-1] + ("0" if PH["id_number"][-1] != "0" else "1")
    c, d = clean("bank_account_change")
    ex = front(PH, id_number=bad, needs_review={"id_number"})
    ex.fields["id_number"].reasons = ["checksum_failed"]
    v = verify(c, replace(d, "id_card_front", ex))
    sev = {x.code: x.severity for x in v.discrepancies}
    assert sev["id_number_invalid"] == "error"
    assert sev["id_number_mismatch"] == "warning"  # which digit is wrong is in doubt
    ex.fields["id_number"].reasons = ["checksum_failed", "low_confidence"]
    v = verify(c, replace(d, "id_card_front", ex))
    assert {x.code: x.severity for x in v.discrepancies}["id_number_invalid"] == "warning"


def _corrected_front(printed: str, corrected: str):
    ex = front(PH, id_number=corrected, needs_review={"id_number"})
    ex.fields["id_number"].reasons = ["digit_corrected"]
    ex.fields["id_number"].raw = printed
    return ex


def test_a_correction_that_misses_the_record_reports_the_printed_number_invalid():
    """The printed number fails its check digit; the extractor's one-digit correction is a
    valid number of someone else: the printed number may really be invalid."""
    from stdnum.cn import ric
    rec = PH["id_number"]
    printed = rec[:-1] + ("0" if rec[-1] != "0" else "1")  # check digit wrong
    assert not ric.is_valid(printed)
    body = rec[:15] + ("1" if rec[15] != "1" else "2") + rec[16]  # another person's number
    other = next(body + k for k in "0123456789X" if ric.is_valid(body + k))
    c, d = clean("bank_account_change")
    v = verify(c, replace(d, "id_card_front", _corrected_front(printed, other)))
    codes = v.codes()
    assert "id_number_invalid" in codes and "id_number_mismatch" in codes


def test_a_correction_that_lands_on_the_record_is_a_confirmed_misread():
    rec = PH["id_number"]
    printed = rec[:-1] + ("0" if rec[-1] != "0" else "1")
    c, d = clean("bank_account_change")
    v = verify(c, replace(d, "id_card_front", _corrected_front(printed, rec)))
    assert "id_number_invalid" not in v.codes() and "id_number_mismatch" not in v.codes()



@pytest.mark.parametrize("type_", ["bank_account_change", "beneficiary_change", "sum_insured_increase"])
def test_verification_round_trips_through_its_dict(type_):
    from verify.types import Verification

    c, d = clean(type_)
    bad = front(PH, name="王建图")  # a discrepancy with evidence, so the list is not empty
    v = verify(c, [bad] + d[1:])
    assert v.discrepancies
    back = Verification.from_dict(v.to_dict())
    assert back == v and back.to_dict() == v.to_dict()
