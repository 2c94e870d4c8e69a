"""Build planted cases: a clean case per endorsement type, then zero or more faults.

Each fault is a function ``fault(pc, rng) -> set[str] | None`` that changes the case (the
printed document values, the request, the policy record) and returns the discrepancy codes
the verifier must now report, or ``None`` when it does not apply to this case. Faults refuse
targets another fault already touched, so two faults never hide each other.

People, cards, employers and courts come from ``samples.generate.identities``; the printed
values of each document are kept in ``DocSpec.fields`` (the ground truth the Extraction-level
suite runs on) and in ``DocSpec.render`` (keyword overrides for
``samples.generate.render.render_document``, used when images are written).
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Any, Callable

from samples.generate import identities as ids
from stdnum.cn import ric
from verify.checks.income import add_months, age_on
from verify.codes import DISCREPANCY_CODES
from verify.names import same_name
from verify.requirements import Rules, default_rules
from verify.types import ENDORSEMENT_TYPES

__all__ = ["DocSpec", "PlantedCase", "FAULTS", "build_case", "build_suite", "CODES"]

#: every code the suite plants: all of verify's discrepancy codes
CODES = DISCREPANCY_CODES

PRODUCTS = ("鑫享人生终身寿险", "福满堂两全保险（分红型）", "金玉满堂年金保险", "安康宝重大疾病保险",
            "如意人生终身寿险（万能型）", "岁岁添金年金保险")


@dataclass
class DocSpec:
    key: str                 # ph_front, ph_back, ins_front, card, income, bene0_front, proof_*, extra_*
    kind: str
    party: str | None        # policyholder | insured | new_beneficiary[i] | None
    fields: dict[str, Any]
    person: ids.Identity | None = None
    render: dict[str, Any] = field(default_factory=dict)
    quality: str = "ok"      # "ok" or a quality issue code with severity error
    corrupt: bool = False
    file: str = ""           # case-relative path; documents sharing a file form a "multiple" file
    required: bool = True
    other: Any = None        # second person (spouse on a certificate, other party of a judgment)

    def truth(self) -> dict[str, Any]:
        if self.corrupt:
            return {"kind": "unreadable", "fields": {}, "quality": "corrupt_file"}
        return {"kind": self.kind, "fields": dict(self.fields), "quality": self.quality}


@dataclass
class PlantedCase:
    case_id: str
    type: str
    application_date: dt.date
    policy: dict[str, Any]
    requested: dict[str, Any]
    docs: list[DocSpec]
    faults: list[str] = field(default_factory=list)
    expected: set[str] = field(default_factory=set)
    touched: set[str] = field(default_factory=set)
    pinned: set[str] = field(default_factory=set)   # documents a planted fault relies on
    truth_only: set[str] = field(default_factory=set)  # codes the rendered images cannot show
    ph: ids.Identity | None = None
    insured: ids.Identity | None = None          # None: the policyholder is the insured
    main_front: str = "ph_front"
    main_back: str = "ph_back"
    divorce: bool = False
    expected_prefill: dict[str, Any] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.faults

    def doc(self, key: str) -> DocSpec | None:
        return next((d for d in self.docs if d.key == key), None)

    def files(self) -> list[tuple[str, list[DocSpec]]]:
        out: dict[str, list[DocSpec]] = {}
        for d in self.docs:
            out.setdefault(d.file, []).append(d)
        return list(out.items())

    def truth_documents(self) -> dict[str, Any]:
        t = {}
        for f, specs in self.files():
            if len(specs) == 1:
                t[f] = specs[0].truth()
            else:
                t[f] = {"kind": "multiple", "fields": {}, "parts": [s.truth() for s in specs]}
        return t

    def case_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "type": self.type,
            "application_date": self.application_date.isoformat(),
            "policy": self.policy,
            "requested": self.requested,
            "documents": [f for f, _ in self.files()],
            "expected_discrepancies": [{"code": c} for c in sorted(self.expected)],
            "planted_faults": list(self.faults),
            "truth_only_codes": sorted(self.truth_only),
            "expected_prefill": self.expected_prefill,
            "truth_documents": self.truth_documents(),
        }

    def extractions(self):
        from extractors.truth import extraction_from_truth

        return [extraction_from_truth(f, t) for f, t in self.truth_documents().items()]


# --------------------------------------------------------------------------- documents


def _id_front(key: str, p: ids.Identity, party: str) -> DocSpec:
    return DocSpec(key, "id_card_front", party, {
        "name": p.name, "sex": p.sex, "ethnicity": p.ethnicity, "birth_date": p.birth_date.isoformat(),
        "address": p.address, "id_number": p.id_number}, person=p)


def _id_back(key: str, p: ids.Identity, party: str) -> DocSpec:
    return DocSpec(key, "id_card_back", party, {
        "issuing_authority": p.issuing_authority, "valid_from": p.issue_date.isoformat(),
        "valid_until": p.valid_until_str()}, person=p)


def _bank_card(rng: random.Random, key: str, p: ids.Identity, party: str,
               card: ids.BankCard | None = None) -> DocSpec:
    card = card or ids.make_bank_card(rng, card_type="debit")
    fields = {"card_number": card.number, "bank_name": card.bank_name, "card_type": card.card_type}
    render: dict[str, Any] = {"card": card, "print_holder": rng.random() < 0.55}
    if render["print_holder"]:
        style = rng.choice(("pinyin", "chinese"))
        render["holder_style"] = style
        fields["holder_name"] = ids.name_pinyin(p.name) if style == "pinyin" else p.name
        render["holder_name"] = fields["holder_name"]
    return DocSpec(key, "bank_card", party, fields, person=p, render=render)


def _income(rng: random.Random, key: str, p: ids.Identity, party: str, issue: dt.date) -> DocSpec:
    monthly, annual = ids.make_income(rng)
    dept, pos = ids.make_position(rng)
    fields = {"name": p.name, "id_number": p.id_number, "employer": ids.make_employer(rng, p.region),
              "position": pos, "monthly_income": monthly, "annual_income": annual,
              "issue_date": issue.isoformat(), "has_seal": "true"}
    render = {"employer": fields["employer"], "position": pos, "monthly_income": monthly,
              "annual_income": annual, "issue_date": issue, "has_seal": True}
    return DocSpec(key, "income_proof", party, fields, person=p, render=render)


def _certificate(rng: random.Random, key: str, holder: ids.Identity, spouse: ids.Identity,
                 divorce: bool, app: dt.date) -> DocSpec:
    youngest = max(holder.birth_date, spouse.birth_date)
    start = max(_years(youngest, 22), dt.date(2005, 1, 1))
    reg = ids.random_date(rng, start, app - dt.timedelta(days=30)) if start < app else app - dt.timedelta(days=30)
    kind = "divorce_certificate" if divorce else "marriage_certificate"
    fields = {"holder_name": holder.name, "holder_id_number": holder.id_number,
              "spouse_name": spouse.name, "spouse_id_number": spouse.id_number,
              "registration_date": reg.isoformat(),
              "certificate_number": ids.make_certificate_number(rng, holder.region, reg.year, divorce)}
    return DocSpec(key, kind, None, fields, person=holder, other=spouse, required=True,
                   render={"spouse": spouse, "registration_date": reg,
                           "certificate_number": fields["certificate_number"], "holder_is_first": True})


def _household(key: str, p: ids.Identity, rel: str) -> DocSpec:
    return DocSpec(key, "household_register", None, {
        "name": p.name, "relationship_to_head": rel, "sex": p.sex, "ethnicity": p.ethnicity,
        "birth_date": p.birth_date.isoformat(), "id_number": p.id_number, "address": p.address},
        person=p, render={"relationship_to_head": rel})


def _court(rng: random.Random, key: str, a: ids.Identity, b: ids.Identity, policy_no: str,
           app: dt.date) -> DocSpec:
    court, region = ids.make_court(rng, a.region)
    jd = ids.random_date(rng, dt.date(2021, 1, 1), app - dt.timedelta(days=20))
    fields = {"court": court, "case_number": ids.make_case_number(rng, region, jd.year),
              "parties": [a.name, b.name], "judgment_date": jd.isoformat(),
              "mentions_policy_numbers": [policy_no], "has_seal": "true"}
    return DocSpec(key, "court_judgment", None, fields, person=a, other=b,
                   render={"other_party": b, "court": court, "case_number": fields["case_number"],
                           "judgment_date": jd, "policy_numbers": [policy_no], "mediation": False})


def _filename(d: DocSpec) -> str:
    return f"docs/{d.key}.pdf" if d.kind == "court_judgment" else f"docs/{d.key}.jpg"


def _other(key: str) -> DocSpec:
    return DocSpec(key, "other", None, {}, required=False)


# --------------------------------------------------------------------------- clean cases


def _years(d: dt.date, n: int) -> dt.date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


def _money(v: Decimal | int | float) -> str:
    return f"{Decimal(v):.2f}"


def _round_up(v: Decimal, step: int = 10000) -> Decimal:
    return (v / step).to_integral_value(rounding=ROUND_CEILING) * step


def _spouse_of(rng: random.Random, p: ids.Identity, app: dt.date, **kw) -> ids.Identity:
    sex = "女" if p.sex == "男" else "男"
    bd = ids.random_date(rng, p.birth_date - dt.timedelta(days=2500), p.birth_date + dt.timedelta(days=2500))
    bd = min(bd, _years(app, -22))
    return ids.make_identity(rng, sex=sex, birth_date=bd, **kw)


def _bank_requested(rng: random.Random, pc: PlantedCase, card: DocSpec) -> None:
    for target, src in (("bank_name", "bank_name"), ("account_number", "card_number"),
                        ("account_holder", None)):
        if rng.random() < 0.7:
            if src is None:
                holder = pc.insured if (pc.type == "annuity_claim" and pc.insured) else pc.ph
                pc.requested[target] = holder.name  # type: ignore[union-attr]
            else:
                pc.requested[target] = card.fields[src]
        else:
            pc.requested[target] = ""


def build_clean(rng: random.Random, case_id: str, etype: str, rules: Rules) -> PlantedCase:
    """A case that should verify with no discrepancy at all."""
    app = ids.REF_DATE - dt.timedelta(days=rng.randint(0, 12))
    tr = rules.types[etype]
    ph_age = (25, 62) if etype != "annuity_claim" else (45, 68)
    ph_kw: dict[str, Any] = {"age": ph_age, "ref_date": app + dt.timedelta(days=1)}
    if etype == "id_renewal":
        ph_kw["issue_date"] = app - dt.timedelta(days=rng.randint(3, 60))
    ph = ids.make_identity(rng, **ph_kw)
    needs_insured = any(r.party == "insured" for r in tr.documents) or etype == "annuity_claim"
    insured = None
    if needs_insured and rng.random() < 0.35:
        if etype == "annuity_claim":
            insured = _spouse_of(rng, ph, app, ref_date=app + dt.timedelta(days=1))
        else:
            insured = _spouse_of(rng, ph, app, ref_date=app + dt.timedelta(days=1))
    policy_no = ids.make_policy_number(rng)
    status = "lapsed" if etype == "reinstatement" else rng.choice(
        [s for s in ("in_force", "in_force", "in_force", "paid_up") if s in tr.allowed_status] or ["in_force"])
    old_card = ids.make_bank_card(rng, card_type="debit")
    sum_insured = Decimal(rng.choice((100000, 200000, 300000, 500000, 800000)))
    policy: dict[str, Any] = {
        "policy_no": policy_no, "status": status, "product": rng.choice(PRODUCTS),
        "policyholder": ph.record(),
        "insured": insured.record() if insured else (ph.record() if rng.random() < 0.3 else None),
        "beneficiaries": [],
        "payment": {"bank_name": old_card.bank_name, "account_number": old_card.number,
                    "account_holder": ph.name, "frequency": rng.choice(("annual", "monthly")),
                    "method": "bank_transfer"},
        "sum_insured": _money(sum_insured),
        "annual_premium": _money(sum_insured / 40),
    }
    pc = PlantedCase(case_id, etype, app, policy, {}, [], ph=ph, insured=insured)

    # ID cards of the person the endorsement is for.
    main, main_party = ph, "policyholder"
    if etype == "annuity_claim" and insured is not None:
        main, main_party = insured, "insured"
        pc.main_front, pc.main_back = "ins_front", "ins_back"
    docs = pc.docs
    if etype == "annuity_claim" and insured is not None:
        docs += [_id_front("ins_front", insured, "insured"), _id_back("ins_back", insured, "insured")]
    else:
        docs += [_id_front("ph_front", ph, "policyholder"), _id_back("ph_back", ph, "policyholder")]
    if insured is not None and any(r.party == "insured" and r.kinds == ("id_card_front",) for r in tr.documents) \
            and etype != "annuity_claim":
        docs.append(_id_front("ins_front", insured, "insured"))

    if any("bank_card" in r.kinds for r in tr.documents):
        card = _bank_card(rng, "card", main, main_party)
        docs.append(card)
        _bank_requested(rng, pc, card)

    if etype == "contact_change":
        pc.requested.update({"phone": ids.make_phone(rng),
                             "address": "" if rng.random() < 0.5 else ph.address})
    elif etype == "id_renewal":
        fill = rng.random() < 0.4
        pc.requested.update({"valid_from": ph.issue_date.isoformat() if fill else "",
                             "valid_until": ph.valid_until_str() if fill else ""})
    elif etype == "payment_method_change":
        pc.requested.update({"method": "bank_transfer", "frequency": rng.choice(("annual", "monthly"))})
    elif etype in ("policy_loan", "partial_withdrawal"):
        pc.requested["amount"] = _money(rng.randint(5, 80) * 1000)
    elif etype == "add_rider":
        pc.requested.update({"rider": rng.choice(("ADD-01", "HOSP-02", "CI-03")),
                             "rider_sum_insured": _money(rng.choice((50000, 100000, 200000)))})
    elif etype == "policy_conversion":
        pc.requested["new_product"] = rng.choice(PRODUCTS)
    elif etype == "sum_insured_decrease":
        pc.requested["sum_insured"] = _money(sum_insured / 2)
    elif etype == "sum_insured_increase":
        who = insured or ph
        issue = app - dt.timedelta(days=rng.randint(5, 150))
        inc = _income(rng, "income", who, "insured" if insured else "policyholder", issue)
        docs.append(inc)
        annual = Decimal(inc.fields["annual_income"])
        multiple = rules.multiple_for_age(age_on(who.birth_date, app))
        cap = annual * multiple
        target = (cap * Decimal(str(rng.uniform(0.4, 0.95))) / 10000).to_integral_value() * 10000
        target = max(target, Decimal(20000))
        if target > cap:
            target = (cap / 10000).to_integral_value(rounding="ROUND_FLOOR") * 10000
        pc.requested["sum_insured"] = _money(target)
        policy["sum_insured"] = _money(max(Decimal(10000), (target / 2 / 10000).to_integral_value() * 10000))
    elif etype == "beneficiary_change":
        _build_beneficiary(rng, pc, rules)

    # Both ID sides photocopied on one sheet now and then.
    front, back = pc.doc(pc.main_front), pc.doc(pc.main_back)
    for d in docs:
        d.file = _filename(d)
    if front and back and rng.random() < 0.3:
        front.file = back.file = "docs/id_both_sides.jpg"
    head, member = pc.doc("proof_house_head"), pc.doc("proof_house_member")
    if head and member and rng.random() < 0.4:  # both register pages on one scan
        head.file = member.file = "docs/household_register.jpg"
    # Readings that differ from the record only in form must still match: a full-width space
    # inside a two-character name, a true variant character (峯 for 峰).
    if front is not None and len(front.fields["name"]) == 2 and rng.random() < 0.05:
        n = front.fields["name"]
        front.fields["name"] = n[0] + "\u3000" + n[1]
    if front is not None and "峰" in front.fields["name"] and rng.random() < 0.5:
        front.fields["name"] = front.fields["name"].replace("峰", "峯")
        front.render["name"] = front.fields["name"]
    return pc


def _build_beneficiary(rng: random.Random, pc: PlantedCase, rules: Rules) -> None:
    app, ph = pc.application_date, pc.ph
    assert ph is not None
    anchor = pc.insured if (pc.insured is not None and rng.random() < 0.5) else ph
    age = age_on(anchor.birth_date, app) or 40
    choices = ["spouse", "parent"] + (["child", "child"] if age >= 40 else [])
    divorce = rng.random() < 0.25
    if divorce:
        choices = [c for c in choices if c != "spouse"]
    rel = rng.choice(choices)
    kw = {"ref_date": app + dt.timedelta(days=1)}
    if rel == "spouse":
        bene = _spouse_of(rng, anchor, app, **kw)
    elif rel == "child":
        bd = ids.random_date(rng, _years(anchor.birth_date, 22),
                             min(_years(app, -16), _years(anchor.birth_date, 36)))
        bene = ids.make_identity(rng, birth_date=bd, address=anchor.address,
                                 region_code=anchor.region.code if rng.random() < 0.5 else None, **kw)
    else:
        bd = ids.random_date(rng, _years(anchor.birth_date, -32),
                             _years(anchor.birth_date, -21))
        bene = ids.make_identity(rng, birth_date=bd, address=anchor.address, **kw)
    share = 100
    req_b = {"name": bene.name, "id_number": "" if rng.random() < 0.4 else bene.id_number,
             "relationship": rel, "share": share}
    pc.requested["beneficiaries"] = [req_b]
    pc.docs.append(_id_front("bene0_front", bene, "new_beneficiary[0]"))
    if rel == "spouse":
        holder, spouse = (anchor, bene) if rng.random() < 0.5 else (bene, anchor)
        pc.docs.append(_certificate(rng, "proof_marriage", holder, spouse, False, app))
    else:
        head, member = (anchor, bene) if rel == "child" else (bene, anchor)
        member_rel = ("子" if member.sex == "男" else "女") if rel == "child" else ("子" if member.sex == "男" else "女")
        pc.docs.append(_household("proof_house_head", head, "户主"))
        pc.docs.append(_household("proof_house_member", member, member_rel))
    if divorce:
        ex = _spouse_of(rng, anchor, app, **kw)
        pc.policy["beneficiaries"] = [{"name": ex.name, "id_number": ex.id_number,
                                       "relationship": "spouse", "share": 100}]
        pc.requested["reason"] = "divorce"
        pc.divorce = True
        if rng.random() < 0.5:
            pc.docs.append(_certificate(rng, "proof_divorce", anchor, ex, True, app))
        else:
            pc.docs.append(_court(rng, "proof_court", anchor, ex, pc.policy["policy_no"], app))
    elif rng.random() < 0.5:
        old = ids.make_identity(rng, age=(50, 85), ref_date=app)
        pc.policy["beneficiaries"] = [{"name": old.name, "id_number": old.id_number,
                                       "relationship": "parent", "share": 100}]


# --------------------------------------------------------------------------- faults


def _other_name(rng: random.Random, name: str, sex: str) -> str:
    for _ in range(100):
        n = ids.make_name(rng, sex, length=len(name))
        if not same_name(n, name):
            return n
    return name + "明"


def _target(pc: PlantedCase, key: str, *, need_ok: bool = True) -> DocSpec | None:
    d = pc.doc(key)
    if d is None or key in pc.touched or d.corrupt or (need_ok and d.quality != "ok"):
        return None
    return d


def f_name(pc: PlantedCase, rng: random.Random):
    d = _target(pc, pc.main_front)
    if d is None:
        return None
    d.fields["name"] = _other_name(rng, d.fields["name"].replace("\u3000", ""), d.fields["sex"])
    d.render["name"] = d.fields["name"]
    pc.touched.add(d.key)
    return {"name_mismatch"}


def _reid(num: str, pos: int, rng: random.Random) -> str:
    digit = rng.choice([c for c in "0123456789" if c != num[pos]])
    body = num[:pos] + digit + num[pos + 1:17]
    return body + ric.calc_check_digit(body + "0")


def f_id_mismatch(pc: PlantedCase, rng: random.Random):
    d = _target(pc, pc.main_front)
    if d is None:
        return None
    d.fields["id_number"] = _reid(d.fields["id_number"], rng.choice((14, 15)), rng)
    d.render["id_number"] = d.fields["id_number"]
    pc.touched.add(d.key)
    return {"id_number_mismatch"}


def f_id_invalid(pc: PlantedCase, rng: random.Random):
    d = _target(pc, pc.main_front)
    if d is None:
        return None
    num = d.fields["id_number"]
    d.fields["id_number"] = num[:-1] + rng.choice([c for c in "0123456789X" if c != num[-1]])
    d.render["id_number"] = d.fields["id_number"]
    pc.touched.add(d.key)
    return {"id_number_invalid", "id_number_mismatch"}


def f_birth(pc: PlantedCase, rng: random.Random):
    d = _target(pc, pc.main_front)
    if d is None:
        return None
    bd = dt.date.fromisoformat(d.fields["birth_date"]) + dt.timedelta(days=rng.choice((-400, -31, -1, 1, 30, 365)))
    d.fields["birth_date"] = bd.isoformat()
    d.render["birth_date"] = bd
    pc.touched.add(d.key)
    return {"birth_date_mismatch"}


def f_sex(pc: PlantedCase, rng: random.Random):
    d = _target(pc, pc.main_front)
    if d is None:
        return None
    d.fields["sex"] = "女" if d.fields["sex"] == "男" else "男"
    d.render["sex"] = d.fields["sex"]
    pc.touched.add(d.key)
    return {"sex_mismatch"}


def f_expired(pc: PlantedCase, rng: random.Random):
    d = _target(pc, pc.main_back)
    if d is None:
        return None
    until = pc.application_date - dt.timedelta(days=rng.randint(1, 900))
    start = _years(until, -rng.choice((10, 20)))
    d.fields["valid_until"], d.fields["valid_from"] = until.isoformat(), start.isoformat()
    d.render.update(valid_until=until, valid_from=start)
    pc.touched.add(d.key)
    if pc.type == "id_renewal" and pc.requested.get("valid_until"):
        pc.requested["valid_until"], pc.requested["valid_from"] = until.isoformat(), start.isoformat()
    return {"id_expired"}


_REMOVABLE = ("ph_front", "ph_back", "ins_front", "ins_back", "card", "income", "bene0_front",
              "proof_marriage", "proof_house_member", "proof_divorce", "proof_court")


def f_missing(pc: PlantedCase, rng: random.Random):
    cands = [d for d in pc.docs if d.key in _REMOVABLE and d.key not in pc.touched | pc.pinned and d.required]
    if not cands:
        return None
    d = rng.choice(cands)
    pc.docs.remove(d)
    pc.touched.add(d.key)
    codes = {"document_missing"}
    if d.key.startswith("proof"):
        codes.add("relationship_unproven")
        if d.key == "proof_house_member":
            head = pc.doc("proof_house_head")
            if head is not None:
                pc.docs.remove(head)
                pc.touched.add(head.key)
    return codes


def f_unreadable(pc: PlantedCase, rng: random.Random):
    cands = [d for d in pc.docs if d.key in ("ph_front", "ph_back", "ins_front", "ins_back", "card", "income",
                                              "bene0_front") and d.key not in pc.touched | pc.pinned
             and sum(1 for x in pc.docs if x.file == d.file) == 1]
    if not cands:
        return None
    d = rng.choice(cands)
    pc.touched.add(d.key)
    if rng.random() < 0.3:
        d.corrupt = True
        return {"document_unreadable", "document_missing"}
    d.quality = rng.choice(("blur", "glare", "too_dark", "document_cropped", "occluded"))
    return {"document_unreadable"}


def f_unexpected(pc: PlantedCase, rng: random.Random, rules: Rules | None = None):
    rules = rules or default_rules()
    used = rules.types[pc.type].used_kinds()
    choices = [k for k in ("other", "marriage_certificate", "income_proof", "court_judgment") if k not in used]
    kind = rng.choice(choices)
    ph = pc.ph
    assert ph is not None
    app = pc.application_date
    if kind == "other":
        d = _other("extra_other")
    elif kind == "marriage_certificate":
        d = _certificate(rng, "extra_cert", ph, _spouse_of(rng, ph, app, ref_date=app), False, app)
    elif kind == "income_proof":
        d = _income(rng, "extra_income", ph, "policyholder", app - dt.timedelta(days=30))
    else:
        d = _court(rng, "extra_court", ph, _spouse_of(rng, ph, app, ref_date=app), pc.policy["policy_no"], app)
    d.required = False
    d.file = _filename(d)
    pc.docs.append(d)
    pc.touched.add(d.key)
    return {"document_kind_unexpected"}


def f_card_invalid(pc: PlantedCase, rng: random.Random):
    d = _target(pc, "card")
    if d is None or "requested.account_number" in pc.touched:
        return None
    num = d.fields["card_number"]
    if rng.random() < 0.75:
        bad = num[:-1] + str((int(num[-1]) + rng.randint(1, 9)) % 10)
    else:
        bad = num[:12]
    d.fields["card_number"] = bad
    d.render["card"] = ids.BankCard(bad, d.fields["bank_name"], d.fields["card_type"], bad[:6])
    if pc.requested.get("account_number"):
        pc.requested["account_number"] = bad
    pc.touched.update({d.key, "requested.account_number"})
    return {"bank_card_invalid"}


def f_bank_name(pc: PlantedCase, rng: random.Random):
    d = _target(pc, "card")
    if d is None or "requested.bank_name" in pc.touched:
        return None
    pc.requested["bank_name"] = rng.choice([b for b in ids.BANKS if b != d.fields["bank_name"]])
    pc.touched.add("requested.bank_name")
    pc.pinned.add(d.key)
    return {"bank_name_mismatch"}


def f_account(pc: PlantedCase, rng: random.Random):
    d = _target(pc, "card")
    if d is None or "requested.account_number" in pc.touched:
        return None
    other = ids.make_bank_card(rng, bank_name=d.fields["bank_name"], card_type="debit")
    pc.requested["account_number"] = other.number
    pc.touched.add("requested.account_number")
    pc.pinned.add(d.key)
    return {"account_mismatch"}


def f_holder(pc: PlantedCase, rng: random.Random):
    d = _target(pc, "card")
    if d is None or "requested.account_holder" in pc.touched:
        return None
    owner = pc.insured if pc.main_front == "ins_front" else pc.ph
    assert owner is not None
    other = _other_name(rng, owner.name, owner.sex)
    if rng.random() < 0.5:
        d.fields["holder_name"] = other
        d.render.update(print_holder=True, holder_style="chinese", holder_name=other)
        pc.touched.add(d.key)
    else:
        pc.requested["account_holder"] = other
    pc.touched.add("requested.account_holder")
    pc.pinned.add(d.key)
    return {"account_holder_mismatch"}


def f_income_low(pc: PlantedCase, rng: random.Random, rules: Rules | None = None):
    rules = rules or default_rules()
    d = _target(pc, "income")
    if d is None or "requested.sum_insured" in pc.touched:
        return None
    who = pc.insured or pc.ph
    multiple = rules.multiple_for_age(age_on(who.birth_date, pc.application_date))  # type: ignore[union-attr]
    cap = Decimal(d.fields["annual_income"]) * multiple
    pc.requested["sum_insured"] = _money(_round_up(cap * Decimal(str(rng.uniform(1.1, 2.5)))))
    pc.touched.add("requested.sum_insured")
    pc.pinned.add(d.key)
    return {"income_insufficient"}


def f_stale(pc: PlantedCase, rng: random.Random):
    d = _target(pc, "income")
    if d is None:
        return None
    issued = add_months(pc.application_date, -rng.randint(7, 18)) - dt.timedelta(days=rng.randint(1, 20))
    d.fields["issue_date"] = issued.isoformat()
    d.render["issue_date"] = issued
    pc.touched.add(d.key)
    return {"income_proof_stale"}


def f_seal(pc: PlantedCase, rng: random.Random):
    for key in ("income", "proof_court"):
        d = _target(pc, key)
        if d is not None:
            d.fields["has_seal"] = "false"
            d.render["has_seal"] = False
            pc.touched.add(d.key)
            if key == "proof_court":  # the judgment renderer always stamps its last page
                pc.truth_only.add("seal_missing")
            return {"seal_missing"}
    return None


def f_relationship(pc: PlantedCase, rng: random.Random):
    if pc.type != "beneficiary_change":
        return None
    app = pc.application_date
    if pc.divorce:
        for key in ("proof_divorce", "proof_court"):
            d = _target(pc, key)
            if d is None:
                continue
            stranger = _spouse_of(rng, pc.ph, app, ref_date=app)  # type: ignore[arg-type]
            if key == "proof_divorce":
                d.fields["spouse_name"], d.fields["spouse_id_number"] = stranger.name, stranger.id_number
                d.render["spouse"] = stranger
            else:
                d.fields["parties"] = [d.fields["parties"][0], stranger.name]
                d.render["other_party"] = stranger
            d.other = stranger
            pc.touched.add(key)
            return {"relationship_unproven"}
    cert = _target(pc, "proof_marriage")
    if cert is not None:
        anchor_is_holder = not same_name(cert.fields["holder_name"], pc.requested["beneficiaries"][0]["name"])
        anchor = cert.person if anchor_is_holder else cert.other
        stranger = _spouse_of(rng, anchor, app, ref_date=app)
        slot = "spouse" if anchor_is_holder else "holder"
        cert.fields[f"{slot}_name"], cert.fields[f"{slot}_id_number"] = stranger.name, stranger.id_number
        if anchor_is_holder:
            cert.render["spouse"] = stranger
            cert.other = stranger
        else:
            cert.person = stranger
        pc.touched.add(cert.key)
        return {"relationship_unproven"}
    member = _target(pc, "proof_house_member")
    head = _target(pc, "proof_house_head")
    if member is not None and head is not None:
        # The pages come from two different households (different files, different addresses).
        elsewhere = ids.make_address(rng, ids.pick_region(rng))
        member.fields["address"] = elsewhere
        member.render["address"] = elsewhere
        member.file = _filename(member)
        head.file = _filename(head)
        pc.touched.update({member.key, head.key})
        return {"relationship_unproven"}
    return None


def f_status(pc: PlantedCase, rng: random.Random, rules: Rules | None = None):
    rules = rules or default_rules()
    if "policy.status" in pc.touched:
        return None
    allowed = rules.types[pc.type].allowed_status
    bad = [s for s in ("lapsed", "terminated", "suspended", "in_force") if s not in allowed]
    pc.policy["status"] = rng.choice(bad)
    pc.touched.add("policy.status")
    return {"policy_status_invalid"}


FaultFn = Callable[..., "set[str] | None"]

#: name → (function, the endorsement types it applies to (None: all), group)
FAULTS: dict[str, tuple[FaultFn, tuple[str, ...] | None, str]] = {
    "name_on_id": (f_name, None, "front"),
    "id_number_off_by_digit": (f_id_mismatch, None, "front"),
    "id_number_bad_check_digit": (f_id_invalid, None, "front"),
    "birth_date_on_id": (f_birth, None, "front"),
    "sex_on_id": (f_sex, None, "front"),
    "id_expired": (f_expired, None, "back"),
    "document_missing": (f_missing, None, "docs"),
    "document_unreadable": (f_unreadable, None, "docs"),
    "document_unexpected": (f_unexpected, None, "extra"),
    "bank_card_invalid": (f_card_invalid, ("bank_account_change", "payment_method_change", "policy_loan",
                                           "partial_withdrawal", "annuity_claim", "surrender"), "bank"),
    "bank_of_other_bank": (f_bank_name, ("bank_account_change", "payment_method_change", "policy_loan",
                                         "partial_withdrawal", "annuity_claim", "surrender"), "bank"),
    "account_number_differs": (f_account, ("bank_account_change", "payment_method_change", "policy_loan",
                                           "partial_withdrawal", "annuity_claim", "surrender"), "bank"),
    "account_holder_other": (f_holder, ("bank_account_change", "payment_method_change", "policy_loan",
                                        "partial_withdrawal", "annuity_claim", "surrender"), "bank"),
    "income_too_low": (f_income_low, ("sum_insured_increase",), "income"),
    "income_proof_old": (f_stale, ("sum_insured_increase",), "income"),
    "seal_missing": (f_seal, ("sum_insured_increase", "beneficiary_change"), "seal"),
    "relationship_unproven": (f_relationship, ("beneficiary_change",), "relationship"),
    "policy_status": (f_status, None, "status"),
}


def _apply(pc: PlantedCase, name: str, rng: random.Random, rules: Rules) -> bool:
    fn, types, _ = FAULTS[name]
    if types is not None and pc.type not in types:
        return False
    kwargs = {"rules": rules} if fn in (f_unexpected, f_income_low, f_status) else {}
    codes = fn(pc, rng, **kwargs)
    if not codes:
        return False
    if not codes <= set(CODES):
        raise ValueError(f"fault {name} plants unknown codes {sorted(codes - set(CODES))} (verify/codes.py)")
    pc.faults.append(name)
    pc.expected |= codes
    return True


def _expected_prefill(pc: PlantedCase, rules: Rules) -> dict[str, Any]:
    tr = rules.types[pc.type]
    out: dict[str, Any] = {}

    def party_key(p: str) -> str:
        if p == "payee":
            p = tr.payee
        if p == "insured" and pc.insured is None:
            p = "policyholder"
        return p

    def source(party: str, kind: str) -> DocSpec | None:
        for d in pc.docs:
            if d.kind == kind and d.party == party and not d.corrupt and d.quality == "ok":
                return d
        return None

    for target, src in tr.prefill.items():
        if target.startswith("beneficiaries[]."):
            leaf = target.split(".", 1)[1]
            for i, b in enumerate(pc.requested.get("beneficiaries") or []):
                if b.get(leaf):
                    continue
                d = source(f"new_beneficiary[{i}]", src.kind)
                if d is not None and d.fields.get(src.field):
                    out[f"requested.beneficiaries[{i}].{leaf}"] = d.fields[src.field]
            continue
        if pc.requested.get(target):
            continue
        d = source(party_key(src.party), src.kind)
        if d is not None and d.fields.get(src.field):
            out[f"requested.{target}"] = d.fields[src.field]
    return out


def _finalize(pc: PlantedCase, rules: Rules) -> PlantedCase:
    for d in pc.docs:
        if not d.file:
            d.file = _filename(d)
    pc.expected_prefill = _expected_prefill(pc, rules)
    return pc


def build_case(rng: random.Random, case_id: str, etype: str, faults: list[str] | tuple[str, ...] = (),
               rules: Rules | None = None) -> PlantedCase:
    """A clean case of ``etype`` with ``faults`` planted (those that do not apply are skipped)."""
    rules = rules or default_rules()
    pc = build_clean(rng, case_id, etype, rules)
    for name in faults:
        _apply(pc, name, rng, rules)
    return _finalize(pc, rules)


def applicable_faults(etype: str) -> list[str]:
    return [name for name, (_, types, _) in FAULTS.items() if types is None or etype in types]


#: Types whose own faults are more numerous get twice the cases.
_SLOTS = ENDORSEMENT_TYPES + ("beneficiary_change", "sum_insured_increase")


def build_suite(n: int = 336, seed: int = 20261125, rules: Rules | None = None) -> list[PlantedCase]:
    """``n`` cases over the 14 endorsement types (beneficiary_change and sum_insured_increase
    twice as many), every other case of a type clean.

    A faulted case plants a fault specific to its type two times in three (cycling through
    them), else one of the generic faults (cycling too), so every fault and every discrepancy
    code is planted many times; about a third carry a second fault from another group.
    """
    rules = rules or default_rules()
    rng = random.Random(seed)
    out: list[PlantedCase] = []
    per_type: dict[str, int] = {t: 0 for t in ENDORSEMENT_TYPES}
    for i in range(n):
        etype = _SLOTS[i % len(_SLOTS)]
        j = per_type[etype]
        per_type[etype] += 1
        case_id = f"PL-{i + 1:04d}"
        crng = random.Random(rng.randrange(2 ** 32))
        pc = build_clean(crng, case_id, etype, rules)
        if j % 2 == 1:
            k = j // 2
            applicable = applicable_faults(etype)
            specific = [f for f in applicable if FAULTS[f][1] is not None]
            generic = [f for f in applicable if FAULTS[f][1] is None]
            if specific and k % 3 != 2:
                pool, idx = specific, k - k // 3
            else:
                pool, idx = generic, (k // 3 if specific else k) + ENDORSEMENT_TYPES.index(etype)
            start = idx % len(pool)
            order = pool[start:] + pool[:start] + [f for f in applicable if f not in pool]
            for name in order:
                if _apply(pc, name, crng, rules):
                    break
            if pc.faults and crng.random() < 0.33:
                group = FAULTS[pc.faults[0]][2]
                others = [f for f in applicable if FAULTS[f][2] != group]
                crng.shuffle(others)
                for name in others:
                    if _apply(pc, name, crng, rules):
                        break
        out.append(_finalize(pc, rules))
    return out


def clone(pc: PlantedCase) -> PlantedCase:
    return copy.deepcopy(pc)
