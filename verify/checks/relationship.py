"""Relationship: does a supplied document link each new beneficiary to the policyholder or
insured — and, on the divorce path, the policyholder to the removed ex-spouse?

Proof accepted:

- a marriage certificate naming the beneficiary and the policyholder/insured as holder and
  spouse (either way round; where the certificate and the record both carry ID numbers, they
  must agree too);
- household register pages of the beneficiary and of the policyholder/insured from the same
  register: the same file, or pages whose addresses agree (a page without an address does not
  contradict).

Divorce path (``requested.reason == "divorce"``): each beneficiary removed from the policy
must appear with the policyholder/insured on a divorce certificate or among a court
judgment's parties.
"""

from __future__ import annotations

import unicodedata

from extractors.types import Field
from verify.checks._base import make
from verify.context import Context, Doc, PartyRef, party_ref
from verify.masking import compact_number
from verify.types import Discrepancy

__all__ = ["check_relationship", "check_divorce"]


def _anchors(ctx: Context) -> list[PartyRef]:
    out = [ctx.parties["policyholder"]]
    if "insured" in ctx.parties:
        out.append(ctx.parties["insured"])
    return out


def _id_ok(doc_id, party_id) -> bool:
    if not doc_id or not party_id:
        return True
    return compact_number(str(doc_id)) == compact_number(str(party_id))


def _pair_on_certificate(ctx: Context, doc: Doc, a: PartyRef, b: PartyRef) -> bool:
    slots = [(doc.value("holder_name"), doc.value("holder_id_number")),
             (doc.value("spouse_name"), doc.value("spouse_id_number"))]

    def is_(slot, p: PartyRef) -> bool:
        return ctx.same(slot[0], p.name) and _id_ok(slot[1], p.id_number)

    return (is_(slots[0], a) and is_(slots[1], b)) or (is_(slots[1], a) and is_(slots[0], b))


def _addr(s) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", str(s or "")) if not ch.isspace())


def _on_register(ctx: Context, regs: list[Doc], a: PartyRef, b: PartyRef) -> bool:
    pages_a = [d for d in regs if ctx.same(d.value("name"), a.name) and _id_ok(d.value("id_number"), a.id_number)]
    pages_b = [d for d in regs if ctx.same(d.value("name"), b.name) and _id_ok(d.value("id_number"), b.id_number)]
    for pa in pages_a:
        for pb in pages_b:
            if pa is pb:
                continue
            if pa.file == pb.file:
                return True
            aa, ab = _addr(pa.value("address")), _addr(pb.value("address"))
            if not aa or not ab or aa == ab:
                return True
    return False


def _uncertain_source(docs: list[Doc], names: tuple[str, ...]) -> Field | None:
    for d in docs:
        for n in names:
            f = d.field(n)
            if f is not None and f.needs_review:
                return f
    return None


_NAME_FIELDS = ("holder_name", "spouse_name", "name", "holder_id_number", "spouse_id_number", "id_number")


def check_relationship(ctx: Context) -> list[Discrepancy]:
    """``relationship_unproven`` for each new beneficiary no document links to the policyholder/insured."""
    if "relationship" not in ctx.type_rules.checks:
        return []
    out: list[Discrepancy] = []
    certs = ctx.by_kind("marriage_certificate")
    regs = ctx.by_kind("household_register")
    anchors = _anchors(ctx)
    for i, b in ctx.new_beneficiaries:
        bene = ctx.parties[f"new_beneficiary[{i}]"]
        proven = any(_pair_on_certificate(ctx, d, a, bene) for d in certs for a in anchors) \
            or any(_on_register(ctx, regs, a, bene) for a in anchors)
        if proven:
            continue
        who = "、".join(f"{a.label} {a.name}" for a in anchors)
        docs = certs + regs
        if docs:
            found = sorted({str(d.value(n)) for d in docs for n in ("holder_name", "spouse_name", "name")
                            if d.value(n)})
            msg = f"所提供的结婚证/户口本不能证明新受益人 {bene.name} 与{who}的关系"
        else:
            found = None
            msg = f"未提供证明新受益人 {bene.name} 与{who}关系的结婚证或户口本"
        out.append(make(ctx, "relationship_unproven", f"{bene.path}.relationship", msg,
                        expected=b.get("relationship") or "spouse/child/parent", found=found,
                        doc=docs[0] if docs else None, source=_uncertain_source(docs, _NAME_FIELDS)))
    return out


def check_divorce(ctx: Context) -> list[Discrepancy]:
    """Divorce path: each removed beneficiary must be linked to the policyholder/insured by
    a divorce certificate or court judgment."""
    if str(ctx.requested.get("reason") or "").strip().lower() != "divorce":
        return []
    out: list[Discrepancy] = []
    certs = ctx.by_kind("divorce_certificate")
    judgments = ctx.by_kind("court_judgment")
    anchors = _anchors(ctx)
    for j, old in ctx.removed_beneficiaries:
        ex = party_ref(f"removed[{j}]", f"policy.beneficiaries[{j}]", f"原受益人{old.name}", old)
        proven = any(_pair_on_certificate(ctx, d, a, ex) for d in certs for a in anchors)
        if not proven:
            for d in judgments:
                parties = d.value("parties") or []
                if isinstance(parties, str):
                    parties = [p for p in parties.replace("，", ",").replace("、", ",").split(",")]
                if any(any(ctx.same(p, a.name) for p in parties) for a in anchors) and \
                        any(ctx.same(p, old.name) for p in parties):
                    proven = True
                    break
        if proven:
            continue
        docs = certs + judgments
        out.append(make(ctx, "relationship_unproven", f"policy.beneficiaries[{j}]",
                        f"以离婚为由变更受益人，但所提供的离婚证/判决书未能证明与原受益人 {old.name} 的离婚关系",
                        expected=old.name, found=None, doc=docs[0] if docs else None,
                        source=_uncertain_source(docs, _NAME_FIELDS + ("parties",))))
    return out
