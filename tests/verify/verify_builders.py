"""Cases and Extractions built in code for the verify tests (no OCR, no files)."""

from __future__ import annotations

import copy
from typing import Any

from stdnum import luhn
from stdnum.cn import ric

from extractors.types import Extraction
from extractors.truth import make_extraction
from verify.types import Case, parse_case

APP = "2026-11-20"


def mkid(region: str, birth: str, seq: str) -> str:
    body = region + birth + seq
    return body + ric.calc_check_digit(body + "0")


def mkcard(prefix: str, length: int = 19) -> str:
    body = (prefix + "1234567890123456789")[: length - 1]
    return body + luhn.calc_check_digit(body)


PH = {"name": "王建国", "id_number": mkid("110105", "19800514", "123"), "birth_date": "1980-05-14",
      "sex": "男", "phone": "13800001111", "address": "北京市朝阳区建国路88号"}
SPOUSE = {"name": "李秀英", "id_number": mkid("110105", "19820820", "124"), "birth_date": "1982-08-20",
          "sex": "女", "address": "北京市朝阳区建国路88号"}
CHILD = {"name": "王小明", "id_number": mkid("110105", "20080301", "135"), "birth_date": "2008-03-01",
         "sex": "男", "address": "北京市朝阳区建国路88号"}
OTHER = {"name": "赵敏", "id_number": mkid("310104", "19850101", "026"), "birth_date": "1985-01-01",
         "sex": "女", "address": "上海市徐汇区漕溪路1号"}
ICBC_CARD = mkcard("622202")
CCB_CARD = mkcard("621700")
for _n in (PH["id_number"], SPOUSE["id_number"], CHILD["id_number"], OTHER["id_number"]):
    assert ric.is_valid(_n), _n
assert luhn.is_valid(ICBC_CARD) and luhn.is_valid(CCB_CARD)

BANK_TYPES = ("bank_account_change", "payment_method_change", "policy_loan", "partial_withdrawal",
              "annuity_claim", "surrender")


def front(p: dict[str, Any], file: str = "docs/id_front.jpg", needs_review=frozenset(), **over) -> Extraction:
    fields = {"name": p["name"], "sex": p["sex"], "ethnicity": "汉", "birth_date": p["birth_date"],
              "address": p.get("address", "北京市东城区1号"), "id_number": p["id_number"]}
    fields.update(over)
    return make_extraction(file, "id_card_front", fields, needs_review=needs_review)


def back(file: str = "docs/id_back.jpg", **over) -> Extraction:
    fields = {"issuing_authority": "北京市公安局朝阳分局", "valid_from": "2016-05-01", "valid_until": "2036-05-01"}
    fields.update(over)
    return make_extraction(file, "id_card_back", fields)


def card(number: str = ICBC_CARD, bank: str = "中国工商银行", holder: str | None = None,
         file: str = "docs/bank.jpg", needs_review=frozenset()) -> Extraction:
    fields = {"card_number": number, "bank_name": bank, "card_type": "debit"}
    if holder is not None:
        fields["holder_name"] = holder
    return make_extraction(file, "bank_card", fields, needs_review=needs_review)


def income(p: dict[str, Any] = PH, annual: str = "240000.00", issue: str = "2026-09-01",
           seal: str = "true", file: str = "docs/income.jpg") -> Extraction:
    return make_extraction(file, "income_proof", {
        "name": p["name"], "id_number": p["id_number"], "employer": "北京华信科技有限公司",
        "position": "工程师", "monthly_income": "20000.00", "annual_income": annual,
        "issue_date": issue, "has_seal": seal})


def certificate(a: dict[str, Any], b: dict[str, Any], kind: str = "marriage_certificate",
                file: str = "docs/marriage.jpg") -> Extraction:
    return make_extraction(file, kind, {
        "holder_name": a["name"], "holder_id_number": a["id_number"], "spouse_name": b["name"],
        "spouse_id_number": b["id_number"], "registration_date": "2008-10-01",
        "certificate_number": "J110105-2008-000123"})


def household(p: dict[str, Any], rel: str, file: str, address: str | None = None) -> Extraction:
    return make_extraction(file, "household_register", {
        "name": p["name"], "relationship_to_head": rel, "sex": p["sex"], "ethnicity": "汉",
        "birth_date": p["birth_date"], "id_number": p["id_number"], "address": address or p["address"]})


def court(parties: list[str], seal: str = "true", file: str = "docs/judgment.pdf") -> Extraction:
    return make_extraction(file, "court_judgment", {
        "court": "北京市朝阳区人民法院", "case_number": "（2025）京0105民初123号", "parties": parties,
        "judgment_date": "2025-06-01", "mentions_policy_numbers": ["P2019000123"], "has_seal": seal})


def policy(**over) -> dict[str, Any]:
    p = {"policy_no": "P2019000123", "status": "in_force", "product": "鑫享人生终身寿险",
         "policyholder": dict(PH), "insured": None, "beneficiaries": [],
         "payment": {"bank_name": "中国建设银行", "account_number": CCB_CARD, "account_holder": PH["name"],
                     "frequency": "annual"},
         "sum_insured": "300000.00", "annual_premium": "12000.00"}
    p.update(over)
    return p


def case(type_: str, requested: dict[str, Any] | None = None, documents: list[str] | None = None,
         **policy_over) -> Case:
    return parse_case({"case_id": "T-1", "type": type_, "application_date": APP,
                       "policy": policy(**policy_over), "requested": requested or {},
                       "documents": documents or []})


def clean(type_: str) -> tuple[Case, list[Extraction]]:
    """A case of ``type_`` whose documents agree with everything: no discrepancy expected."""
    docs = [front(PH), back()]
    req: dict[str, Any] = {}
    over: dict[str, Any] = {}
    if type_ in BANK_TYPES:
        docs.append(card(holder=PH["name"]))
        req.update(bank_name="中国工商银行", account_number=ICBC_CARD, account_holder=PH["name"])
    if type_ == "payment_method_change":
        req.update(method="bank_transfer", frequency="monthly")
    elif type_ == "contact_change":
        req.update(phone="13900002222", address="北京市海淀区学府路1号")
    elif type_ == "id_renewal":
        req.update(valid_from="2016-05-01", valid_until="2036-05-01")
    elif type_ == "sum_insured_increase":
        docs.append(income())
        req.update(sum_insured="1000000.00")  # 240000 × 10 (age 46 → 8) = 1.92M ≥ 1M
    elif type_ == "sum_insured_decrease":
        req.update(sum_insured="100000.00")
    elif type_ == "beneficiary_change":
        req.update(beneficiaries=[{"name": SPOUSE["name"], "id_number": SPOUSE["id_number"],
                                   "relationship": "spouse", "share": 100}])
        docs += [front(SPOUSE, file="docs/bene_front.jpg"), certificate(PH, SPOUSE)]
    elif type_ == "reinstatement":
        over["status"] = "lapsed"
    elif type_ == "policy_loan" or type_ == "partial_withdrawal":
        req["amount"] = "20000.00"
    elif type_ == "add_rider":
        req.update(rider="ADD-01", rider_sum_insured="100000.00")
    elif type_ == "policy_conversion":
        req["new_product"] = "岁岁添金年金保险"
    c = case(type_, req, [d.file for d in docs], **over)
    return c, docs


def with_requested(c: Case, **req) -> Case:
    d = c.model_dump(mode="json")
    d["requested"] = {**d["requested"], **req}
    return parse_case(d)


def with_policy(c: Case, **over) -> Case:
    d = c.model_dump(mode="json")
    d["policy"] = {**d["policy"], **over}
    return parse_case(d)


def replace(docs: list[Extraction], kind: str, new: Extraction | None) -> list[Extraction]:
    """``docs`` with the first document of ``kind`` replaced by ``new`` (dropped when None)."""
    out, done = [], False
    for d in docs:
        if d.kind == kind and not done:
            done = True
            if new is not None:
                out.append(new)
        else:
            out.append(d)
    assert done, f"no {kind} in docs"
    return out


def copy_docs(docs):
    return copy.deepcopy(docs)
