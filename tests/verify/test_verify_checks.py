"""Each rule: a case that passes it and a case that trips it (table-driven)."""

from __future__ import annotations

import pytest

from extractors.types import Quality, QualityIssue
from extractors.truth import make_extraction
from verify.engine import verify
from verify.types import ENDORSEMENT_TYPES
from tests.verify.verify_builders import (
    CCB_CARD, CHILD, ICBC_CARD, OTHER, PH, SPOUSE, back, card, certificate, clean, court, front,
    household, income, mkcard, mkid, replace, with_policy, with_requested,
)


def codes(c, docs) -> set[str]:
    return set(verify(c, docs).codes())


@pytest.mark.parametrize("etype", ENDORSEMENT_TYPES)
def test_clean_case_of_every_type_has_no_discrepancy(etype):
    c, docs = clean(etype)
    v = verify(c, docs)
    assert v.discrepancies == [], [d.to_dict() for d in v.discrepancies]
    assert v.status == "ready_for_review"
    assert v.missing_documents == []


# --------------------------------------------------------------------------- scenarios
# Each returns (case, extractions). Names say what they vary.

def s_clean(etype):
    return lambda: clean(etype)


def s_status(etype, status):
    def f():
        c, d = clean(etype)
        return with_policy(c, status=status), d
    return f


def s_drop(etype, kind):
    def f():
        c, d = clean(etype)
        return c, replace(d, kind, None)
    return f


def s_front(etype="bank_account_change", person=PH, **over):
    def f():
        c, d = clean(etype)
        return c, replace(d, "id_card_front", front(person, **over))
    return f


def s_back(etype="bank_account_change", **over):
    def f():
        c, d = clean(etype)
        return c, replace(d, "id_card_back", back(**over))
    return f


def s_card(etype="bank_account_change", **kw):
    def f():
        c, d = clean(etype)
        return c, replace(d, "bank_card", card(**kw))
    return f


def s_req(etype, **req):
    def f():
        c, d = clean(etype)
        return with_requested(c, **req), d
    return f


def s_income(**kw):
    def f():
        c, d = clean("sum_insured_increase")
        return c, replace(d, "income_proof", income(**kw))
    return f


def s_income_req(sum_insured, **kw):
    def f():
        c, d = clean("sum_insured_increase")
        return with_requested(c, sum_insured=sum_insured), replace(d, "income_proof", income(**kw))
    return f


def s_quality(kind, code="blur", severity="error"):
    def f():
        c, d = clean("bank_account_change")
        for x in d:
            if x.kind == kind:
                x.quality = Quality([QualityIssue(code, severity, "quality issue")])
        return c, d
    return f


def s_corrupt():
    def f():
        c, d = clean("bank_account_change")
        return c, replace(d, "bank_card", make_extraction("docs/bank.jpg", "unreadable"))
    return f


def s_missing_field(kind, field):
    def f():
        c, d = clean("bank_account_change")
        for x in d:
            if x.kind == kind:
                x.fields.pop(field)
        return c, d
    return f


def s_extra(kind):
    def f():
        c, d = clean("surrender")
        if kind == "other":
            d.append(make_extraction("docs/selfie.jpg", "other", {}))
        else:
            d.append(certificate(PH, SPOUSE))
        return c, d
    return f


def s_bene(proof=None, bene=SPOUSE, rel="spouse"):
    """beneficiary_change with ``proof`` (list of extractions) in place of the marriage certificate."""
    def f():
        c, d = clean("beneficiary_change")
        c = with_requested(c, beneficiaries=[{"name": bene["name"], "id_number": bene["id_number"],
                                              "relationship": rel, "share": 100}])
        d = [x for x in d if x.kind not in ("marriage_certificate", "id_card_front")]
        d = [front(PH)] + d + [front(bene, file="docs/bene_front.jpg")] + list(proof or [])
        return c, d
    return f


def s_divorce(proof):
    def f():
        c, d = s_bene([household(PH, "户主", "docs/hh.jpg"), household(CHILD, "子", "docs/hh.jpg")],
                      bene=CHILD, rel="child")()
        c = with_policy(c, beneficiaries=[{"name": SPOUSE["name"], "id_number": SPOUSE["id_number"],
                                           "relationship": "spouse", "share": 100}])
        c = with_requested(c, reason="divorce")
        return c, d + list(proof)
    return f


def s_renewal_back(valid_until):
    def f():
        c, d = clean("id_renewal")
        return c, replace(d, "id_card_back", back(valid_until=valid_until))
    return f


BAD_CHECK = PH["id_number"][:-1] + ("0" if PH["id_number"][-1] != "0" else "1")
OFF_BY_ONE = mkid("110105", "19800514", "133")  # a valid number that is not the policyholder's

# code, passing scenario, failing scenario
RULES = [
    ("policy_status_invalid", s_status("policy_loan", "paid_up"), s_status("policy_loan", "lapsed")),
    ("policy_status_invalid", s_status("reinstatement", "lapsed"), s_status("reinstatement", "in_force")),
    ("policy_status_invalid", s_status("surrender", "lapsed"), s_status("partial_withdrawal", "terminated")),
    ("document_missing", s_clean("bank_account_change"), s_drop("bank_account_change", "bank_card")),
    ("document_missing", s_clean("id_renewal"), s_drop("id_renewal", "id_card_back")),
    ("document_missing", s_clean("sum_insured_increase"), s_drop("sum_insured_increase", "income_proof")),
    ("document_missing", s_clean("beneficiary_change"), s_bene([])),
    ("document_unreadable", s_clean("bank_account_change"), s_quality("id_card_front")),
    ("document_unreadable", s_clean("bank_account_change"), s_corrupt()),
    ("document_unreadable", s_clean("bank_account_change"), s_missing_field("bank_card", "card_number")),
    ("document_unreadable", s_quality("id_card_front", "glare", "warning"), s_missing_field("id_card_front", "id_number")),
    ("document_kind_unexpected", s_clean("surrender"), s_extra("marriage_certificate")),
    ("document_kind_unexpected", s_clean("surrender"), s_extra("other")),
    ("name_mismatch", s_front(name="王 建国"), s_front(name="王建军")),
    ("name_mismatch", s_front(name="王　建国"), s_front(name="王建")),
    ("name_mismatch", s_front(name=" 王建国 "), s_front(name="汪建国")),
    ("id_number_mismatch", s_front(id_number=PH["id_number"].lower()), s_front(id_number=OFF_BY_ONE)),
    ("id_number_invalid", s_front(), s_front(id_number=BAD_CHECK)),
    ("id_number_invalid", s_front(), s_front(id_number=PH["id_number"][:17])),
    ("birth_date_mismatch", s_front(), s_front(birth_date="1980-05-15")),
    ("sex_mismatch", s_front(), s_front(sex="女")),
    ("id_expired", s_back(valid_until="长期"), s_back(valid_until="2026-11-19")),
    ("id_expired", s_back(valid_until="2026-11-20"), s_back(valid_until="2020-01-01")),
    ("id_expired", s_renewal_back("2046-11-01"), s_renewal_back("2026-10-31")),
    ("bank_card_invalid", s_card(), s_card(number=ICBC_CARD[:-1] + str((int(ICBC_CARD[-1]) + 1) % 10))),
    ("bank_card_invalid", s_card(), s_card(number="622202123456")),
    ("bank_name_mismatch", s_card(bank="工商银行"), s_card(bank="中国建设银行")),
    ("bank_name_mismatch", s_req("surrender", bank_name="中国工商银行北京分行"), s_req("surrender", bank_name="招商银行")),
    ("account_mismatch", s_req("policy_loan", account_number=" ".join([ICBC_CARD[:4], ICBC_CARD[4:]])),
     s_req("policy_loan", account_number=mkcard("622208"))),
    ("account_holder_mismatch", s_card(holder="WANG JIANGUO"), s_card(holder="王建军")),
    ("account_holder_mismatch", s_req("surrender", account_holder="王建国"), s_req("surrender", account_holder="李秀英")),
    ("income_insufficient", s_income_req("1920000.00"), s_income_req("1920001.00")),
    ("income_insufficient", s_income_req("100000.00", annual="50000.00"), s_income_req("500000.00", annual="50000.00")),
    ("income_proof_stale", s_income(issue="2026-05-20"), s_income(issue="2026-05-19")),
    ("seal_missing", s_income(seal="true"), s_income(seal="false")),
    ("seal_missing", s_divorce([court([PH["name"], SPOUSE["name"]])]),
     s_divorce([court([PH["name"], SPOUSE["name"]], seal="false")])),
    ("relationship_unproven", s_bene([certificate(SPOUSE, PH)]), s_bene([certificate(PH, OTHER)])),
    ("relationship_unproven",
     s_bene([household(PH, "户主", "docs/hh1.jpg"), household(CHILD, "子", "docs/hh2.jpg")], CHILD, "child"),
     s_bene([household(PH, "户主", "docs/hh1.jpg"),
             household(CHILD, "子", "docs/hh2.jpg", address="上海市浦东新区世纪大道1号")], CHILD, "child")),
    ("relationship_unproven",
     s_bene([household(PH, "户主", "docs/hh.jpg"), household(CHILD, "子", "docs/hh.jpg", address="x")], CHILD, "child"),
     s_bene([household(CHILD, "子", "docs/hh2.jpg")], CHILD, "child")),
    ("relationship_unproven", s_divorce([certificate(PH, SPOUSE, "divorce_certificate", "docs/divorce.jpg")]),
     s_divorce([certificate(PH, OTHER, "divorce_certificate", "docs/divorce.jpg")])),
    ("relationship_unproven", s_divorce([court([SPOUSE["name"], PH["name"], "某保险公司"])]),
     s_divorce([court([PH["name"], OTHER["name"]])])),
    ("relationship_unproven", s_clean("beneficiary_change"), s_bene([])),
]


def _id(row):
    return row[0]


@pytest.mark.parametrize("code,passing,failing", RULES, ids=[f"{r[0]}-{i}" for i, r in enumerate(RULES)])
def test_rule_passes(code, passing, failing):
    c, d = passing()
    got = verify(c, d)
    assert code not in got.codes(), [x.to_dict() for x in got.discrepancies]


@pytest.mark.parametrize("code,passing,failing", RULES, ids=[f"{r[0]}-{i}" for i, r in enumerate(RULES)])
def test_rule_fails(code, passing, failing):
    c, d = failing()
    got = verify(c, d)
    assert code in got.codes(), [x.to_dict() for x in got.discrepancies]
    for x in got.discrepancies:
        assert x.message and x.severity in ("error", "warning")


def test_name_mismatch_message_names_both():
    c, d = s_front(name="王建军")()
    [x] = [x for x in verify(c, d).discrepancies if x.code == "name_mismatch"]
    assert x.message == "身份证人像面姓名与投保人不一致：保单记录 王建国，证件 王建军"
    assert (x.expected, x.found, x.document, x.field) == ("王建国", "王建军", "docs/id_front.jpg", "policyholder.name")
    assert x.box is not None and x.page == 1


def test_id_mismatch_is_masked_and_hides_birth_date():
    c, d = s_front(id_number=OFF_BY_ONE)()
    [x] = [x for x in verify(c, d).discrepancies if x.code == "id_number_mismatch"]
    assert x.expected == PH["id_number"][:4] + "*" * 10 + PH["id_number"][-4:]
    assert x.found == OFF_BY_ONE[:4] + "*" * 10 + OFF_BY_ONE[-4:]
    assert "19800514" not in x.message + (x.expected or "") + (x.found or "")


def test_card_numbers_are_masked_in_discrepancies():
    other = mkcard("622208")
    c, d = s_req("policy_loan", account_number=other)()
    [x] = [x for x in verify(c, d).discrepancies if x.code == "account_mismatch"]
    assert x.expected == other[:6] + "*" * (len(other) - 10) + other[-4:]
    assert x.found == ICBC_CARD[:6] + "*" * (len(ICBC_CARD) - 10) + ICBC_CARD[-4:]


def test_bank_name_from_bin_when_card_name_not_read():
    def f():
        c, d = clean("bank_account_change")
        ex = card(number=CCB_CARD)
        ex.fields.pop("bank_name")
        return with_requested(c, account_number=CCB_CARD), replace(d, "bank_card", ex)
    c, d = f()
    [x] = [x for x in verify(c, d).discrepancies if x.code == "bank_name_mismatch"]
    assert "卡号BIN" in x.message and x.found == "中国建设银行"


def test_variant_character_names_match_but_different_names_do_not():
    from verify.names import same_name

    assert same_name("王峯", "王峰")
    assert not same_name("王喆", "王哲")  # 喆 is a standard name character of its own
    assert not same_name("王建国", "王建")


def test_insured_documents_required_when_insured_differs():
    c, d = clean("sum_insured_increase")
    c = with_policy(c, insured=dict(SPOUSE))
    v = verify(c, replace(d, "income_proof", income(SPOUSE, annual="300000.00")))
    assert "document_missing" in v.codes()
    assert v.missing_documents == ["id_card_front"]
    v2 = verify(c, replace(d, "income_proof", income(SPOUSE, annual="300000.00"))
                + [front(SPOUSE, file="docs/ins_front.jpg")])
    assert v2.discrepancies == [], [x.to_dict() for x in v2.discrepancies]


def test_income_proof_of_wrong_person():
    c, d = clean("sum_insured_increase")
    v = verify(c, replace(d, "income_proof", income(OTHER)))
    assert {"name_mismatch", "id_number_mismatch"} <= set(v.codes())
    assert all(x.document == "docs/income.jpg" for x in v.discrepancies)
