"""What every check sees: the case, its policy, the rules, and the documents sorted out.

``build_context(case, extractions, rules)`` flattens multi-document files into ``Doc``s,
resolves the parties the endorsement type involves (``PartyRef``), works out which
requirements apply, and assigns each supplied document to the requirement it serves:

- personal documents (ID card sides, bank card, income proof) are assigned exclusively,
  best match first: an ID front scores by ID number, then name, then birth date; an ID back
  goes with the front photographed in the same file; a bank card scores by printed holder and
  by the requested account number. A lone document that matches nobody is still assigned (to
  the first requirement in the rules' order), so a wrong name is reported as a mismatch and
  not as a missing document.
- relationship and legal documents (marriage/divorce certificates, household register pages,
  court judgments) are shared: they satisfy a requirement whenever one is present, and the
  relationship check decides whether they prove anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from extractors.kinds import MULTIPLE, UNREADABLE
from extractors.normalize.id_number import decode_birth_date, decode_sex
from extractors.types import Extraction, Field
from verify.masking import compact_number
from verify.names import same_name
from verify.requirements import DocRequirement, Rules, TypeRules
from verify.types import Beneficiary, Case, Party, Policy

__all__ = ["Doc", "PartyRef", "Requirement", "Context", "build_context", "EXCLUSIVE_KINDS",
           "is_empty", "norm_sex", "party_ref"]

EXCLUSIVE_KINDS = frozenset({"id_card_front", "id_card_back", "bank_card", "income_proof"})



_SEX = {"男": "男", "m": "男", "male": "男", "女": "女", "f": "女", "female": "女"}


def norm_sex(v: Any) -> str | None:
    """``男``/``女`` from the usual spellings; None when empty or unknown.

    >>> norm_sex("M"), norm_sex(" 女 "), norm_sex("?")
    ('男', '女', None)
    """
    if v is None:
        return None
    return _SEX.get(str(v).strip().lower())


def is_empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, (list, dict)) and not v)


@dataclass
class Doc:
    """One document: a whole file, or one part of a multi-document file."""

    file: str
    index: int  # position of the file in the case
    part: int | None
    extraction: Extraction

    @property
    def kind(self) -> str:
        return self.extraction.kind

    @property
    def usable(self) -> bool:
        """Quality good enough to trust field values."""
        return self.kind != UNREADABLE and self.extraction.quality.ok

    def field(self, name: str) -> Field | None:
        f = self.extraction.fields.get(name)
        if f is None or is_empty(f.value):
            return None
        return f

    def value(self, name: str) -> Any:
        f = self.field(name)
        return None if f is None else f.value

    @property
    def label(self) -> str:
        return self.file if self.part is None else f"{self.file}#{self.part + 1}"


@dataclass
class PartyRef:
    """A person the endorsement involves, with the record values documents must match."""

    key: str    # policyholder | insured | new_beneficiary[i]
    path: str   # field path prefix in discrepancies: policyholder, insured, requested.beneficiaries[i]
    label: str  # for clerk messages
    name: str | None
    id_number: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    index: int | None = None  # requested beneficiary index

    @property
    def record_birth_date(self) -> date | None:
        return self.birth_date or (decode_birth_date(compact_number(self.id_number)) if self.id_number else None)

    @property
    def record_sex(self) -> str | None:
        return norm_sex(self.sex) or (decode_sex(compact_number(self.id_number)) if self.id_number else None)


@dataclass
class Requirement:
    """A rules requirement that applies to this case, for one concrete party."""

    party: PartyRef
    rule: DocRequirement
    docs: list[Doc] = field(default_factory=list)

    @property
    def kinds(self) -> tuple[str, ...]:
        return self.rule.kinds

    @property
    def satisfied(self) -> bool:
        return bool(self.docs)

    @property
    def doc(self) -> Doc | None:
        return self.docs[0] if self.docs else None


@dataclass
class Context:
    case: Case
    policy: Policy
    rules: Rules
    type_rules: TypeRules
    docs: list[Doc]
    parties: dict[str, PartyRef]
    requirements: list[Requirement]
    new_beneficiaries: list[tuple[int, dict[str, Any]]]
    removed_beneficiaries: list[tuple[int, Beneficiary]]
    #: the case's files as read, in order (a file's own metadata lives on these, not on its parts)
    extractions: list[Extraction] = field(default_factory=list)

    @property
    def application_date(self) -> date:
        return self.case.application_date

    @property
    def requested(self) -> dict[str, Any]:
        return self.case.requested

    def by_kind(self, *kinds: str, usable_only: bool = True) -> list[Doc]:
        return [d for d in self.docs if d.kind in kinds and (d.usable or not usable_only)]

    def assigned(self, party_key: str, kind: str) -> Doc | None:
        """The document of ``kind`` assigned to ``party_key`` (``payee`` resolved), if any."""
        key = self.resolve(party_key)
        for req in self.requirements:
            if req.party.key == key and kind in req.kinds:
                for d in req.docs:
                    if d.kind == kind:
                        return d
        return None

    def resolve(self, party_key: str) -> str:
        if party_key == "payee":
            party_key = self.type_rules.payee
        if party_key == "insured" and "insured" not in self.parties:
            return "policyholder"
        return party_key

    def party(self, party_key: str) -> PartyRef:
        return self.parties[self.resolve(party_key)]

    def same(self, a: str | None, b: str | None) -> bool:
        return same_name(a, b, self.rules.name_match)


def party_ref(key: str, path: str, label: str, p: Party | Beneficiary | dict[str, Any],
               index: int | None = None) -> PartyRef:
    if isinstance(p, dict):
        get = p.get
    else:
        def get(k: str, default: Any = None) -> Any:
            return getattr(p, k, default)
    bd = get("birth_date")
    if isinstance(bd, str):
        try:
            bd = date.fromisoformat(bd)
        except ValueError:
            bd = None
    idn = get("id_number")
    return PartyRef(key=key, path=path, label=label, name=get("name"),
                    id_number=compact_number(idn) if idn else None,
                    birth_date=bd, sex=get("sex"), index=index)


def _insured_differs(policy: Policy) -> bool:
    ins = policy.insured
    if ins is None:
        return False
    ph = policy.policyholder
    if ins.id_number and ph.id_number:
        return compact_number(ins.id_number) != compact_number(ph.id_number)
    return not same_name(ins.name, ph.name)


def _beneficiary_changes(policy: Policy, requested: dict[str, Any]
                         ) -> tuple[list[tuple[int, dict[str, Any]]], list[tuple[int, Beneficiary]]]:
    req = requested.get("beneficiaries") or []
    if not isinstance(req, list):
        req = []
    req = [b for b in req if isinstance(b, dict)]

    def matches(b: dict[str, Any], old: Beneficiary) -> bool:
        idn = b.get("id_number")
        if idn and old.id_number:
            return compact_number(str(idn)) == compact_number(old.id_number)
        return same_name(b.get("name"), old.name)

    new = [(i, b) for i, b in enumerate(req) if not any(matches(b, o) for o in policy.beneficiaries)]
    removed = [(j, o) for j, o in enumerate(policy.beneficiaries) if not any(matches(b, o) for b in req)]
    return new, removed


def condition_holds(when: str | None, ctx_policy: Policy, requested: dict[str, Any]) -> bool:
    """Whether a document rule's ``when`` applies to this policy and request (None: always)."""
    if when is None:
        return True
    if when == "insured_is_not_policyholder":
        return _insured_differs(ctx_policy)
    if when == "reason_divorce":
        return str(requested.get("reason") or "").strip().lower() == "divorce"
    if when == "method_bank_transfer":
        m = str(requested.get("method") or "bank_transfer").strip().lower()
        return m == "bank_transfer"
    raise ValueError(f"unknown condition {when!r}")  # rules validation prevents this


def _flatten(extractions: list[Extraction]) -> list[Doc]:
    docs: list[Doc] = []
    for i, ex in enumerate(extractions):
        if ex.kind == MULTIPLE or ex.parts:
            for j, part in enumerate(ex.documents()):
                docs.append(Doc(file=ex.file, index=i, part=j, extraction=part))
        else:
            docs.append(Doc(file=ex.file, index=i, part=None, extraction=ex))
    return docs


def _score(ctx: Context, req: Requirement, doc: Doc, pairing: dict[int, str]) -> float:
    p = req.party
    kind = doc.kind
    score = 0.0
    if kind in ("id_card_front", "income_proof"):
        idn = doc.value("id_number")
        if idn and p.id_number and compact_number(str(idn)) == p.id_number:
            score += 3
        if ctx.same(doc.value("name"), p.name):
            score += 2
        bd = doc.value("birth_date")
        if bd and p.record_birth_date and str(bd) == p.record_birth_date.isoformat():
            score += 0.5
    elif kind == "id_card_back":
        if pairing.get(doc.index) == p.key:
            score += 3
    elif kind == "bank_card":
        if ctx.same(doc.value("holder_name"), p.name):
            score += 2
        acct = ctx.requested.get("account_number")
        card = doc.value("card_number")
        if acct and card and compact_number(str(acct)) == compact_number(str(card)):
            score += 2
    return score


def build_context(case: Case, extractions: list[Extraction], rules: Rules) -> Context:
    """Sort the case's documents out against the rules for its endorsement type."""
    policy = case.policy
    tr = rules.types[case.type]
    parties: dict[str, PartyRef] = {
        "policyholder": party_ref("policyholder", "policyholder", "投保人", policy.policyholder),
    }
    if _insured_differs(policy):
        parties["insured"] = party_ref("insured", "insured", "被保险人", policy.insured)  # type: ignore[arg-type]
    new, removed = _beneficiary_changes(policy, case.requested)
    for i, b in new:
        key = f"new_beneficiary[{i}]"
        parties[key] = party_ref(key, f"requested.beneficiaries[{i}]", f"新受益人{b.get('name') or ''}", b, i)

    ctx = Context(case=case, policy=policy, rules=rules, type_rules=tr, docs=_flatten(extractions),
                  parties=parties, requirements=[], new_beneficiaries=new, removed_beneficiaries=removed,
                  extractions=list(extractions))

    seen: set[tuple[str, tuple[str, ...]]] = set()
    for rule in tr.documents:
        if not condition_holds(rule.when, policy, case.requested):
            continue
        keys = [f"new_beneficiary[{i}]" for i, _ in new] if rule.party == "new_beneficiary" \
            else [ctx.resolve(rule.party)]
        for key in keys:
            if (key, rule.kinds) in seen:
                continue
            seen.add((key, rule.kinds))
            ctx.requirements.append(Requirement(party=parties[key], rule=rule))

    # Shared kinds: every present document of the kind satisfies the requirement.
    for req in ctx.requirements:
        if not set(req.kinds) & EXCLUSIVE_KINDS:
            req.docs = [d for d in ctx.docs if d.kind in req.kinds]

    # Exclusive kinds, fronts and other identity-bearing documents first, then ID backs
    # (paired with the front in the same file).
    taken: set[int] = set()
    pairing: dict[int, str] = {}
    for phase in (("id_card_front", "bank_card", "income_proof"), ("id_card_back",)):
        reqs = [(n, r) for n, r in enumerate(ctx.requirements)
                if len(r.kinds) == 1 and r.kinds[0] in phase]
        cands = []
        for n, req in reqs:
            for m, doc in enumerate(ctx.docs):
                if doc.kind == req.kinds[0]:
                    cands.append((-_score(ctx, req, doc, pairing), n, m))
        cands.sort()
        done: set[int] = set()
        for _, n, m in cands:
            if n in done or m in taken:
                continue
            req = ctx.requirements[n]
            req.docs = [ctx.docs[m]]
            done.add(n)
            taken.add(m)
            if ctx.docs[m].kind == "id_card_front" and ctx.docs[m].part is not None:
                pairing.setdefault(ctx.docs[m].index, req.party.key)
    return ctx
