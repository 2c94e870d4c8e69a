"""Documents of one case against each other (risk warnings, each with its evidence).

``check_cross_document``: every person a document shows (an ID card, a household register
page, an income proof, either side of a marriage or divorce certificate) is a *mention*
(name, ID number, birth date). Mentions with the same ID number must agree on the name and
the birth date; mentions with the same name and both an ID number must agree on it.
Each disagreement is one ``cross_document_mismatch`` naming both documents, with the box
of the value that disagrees. ID cards are the reference where they take part.

``check_relationship_documents`` (beneficiary changes):

- ``relationship_mismatch``: household register pages of a new beneficiary and of the
  policyholder/insured (the same register: one file, or pages whose addresses agree) give
  their relationship through "relationship to the head" (户主, 妻, 子, 父 …); when it is
  known and differs from the declared one for every anchor;
- ``spouse_mismatch``: a new beneficiary declared as spouse, and a marriage certificate
  pairing the policyholder/insured with someone else;
- ``spouse_divorced``: a divorce certificate between the policyholder/insured and a
  beneficiary the request still names as spouse.

>>> relation_to_head("长子"), relation_to_head("户主"), relation_to_head("之妻"), relation_to_head("邻居")
('child', 'head', 'spouse', None)
>>> derived("head", "child"), derived("child", "head"), derived("spouse", "child"), derived("child", "child")
('child', 'parent', 'child', 'sibling')
>>> declared("配偶"), declared("Daughter"), declared("friend")
('spouse', 'child', None)
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from extractors.types import Field
from verify.checks._base import warn
from verify.context import Context, Doc, PartyRef
from verify.masking import compact_number
from verify.types import Discrepancy

__all__ = ["check_cross_document", "check_relationship_documents", "relation_to_head", "derived", "declared"]

#: (name field, ID field, birth-date field) of each person a kind shows
PERSONS: dict[str, tuple[tuple[str, str, str | None], ...]] = {
    "id_card_front": (("name", "id_number", "birth_date"),),
    "household_register": (("name", "id_number", "birth_date"),),
    "income_proof": (("name", "id_number", None),),
    "marriage_certificate": (("holder_name", "holder_id_number", None), ("spouse_name", "spouse_id_number", None)),
    "divorce_certificate": (("holder_name", "holder_id_number", None), ("spouse_name", "spouse_id_number", None)),
}


@dataclass
class Mention:
    doc: Doc
    name: str | None
    id_number: str | None
    birth_date: str | None
    fields: tuple[str, str, str | None]

    def source(self, which: int) -> Field | None:
        name = self.fields[which]
        return self.doc.field(name) if name else None

    @property
    def rank(self) -> int:
        return 0 if self.doc.kind == "id_card_front" else 1


def mentions(ctx: Context) -> list[Mention]:
    out = []
    for d in ctx.docs:
        if not d.usable:
            continue
        for nf, idf, bf in PERSONS.get(d.kind, ()):
            name, idn = d.value(nf), d.value(idf)
            if not name and not idn:
                continue
            out.append(Mention(d, str(name) if name else None, compact_number(str(idn)) if idn else None,
                               str(d.value(bf)) if bf and d.value(bf) else None, (nf, idf, bf)))
    return sorted(out, key=lambda m: m.rank)


def _other(a: Mention, b: Mention) -> bool:
    return a.doc is not b.doc


def check_cross_document(ctx: Context) -> list[Discrepancy]:
    """``cross_document_mismatch`` for each pair of documents that disagree about one person."""
    ms = mentions(ctx)
    out: list[Discrepancy] = []
    seen: set[tuple[str, str, str]] = set()

    def report(field: str, which: int, ref: Mention, m: Mention, expected: Any, found: Any, what: str,
               mask_as: str | None = None) -> None:
        key = (field, ref.doc.label, m.doc.label)
        if key in seen or (field, m.doc.label, ref.doc.label) in seen:
            return
        seen.add(key)
        out.append(warn("cross_document_mismatch", f"documents.{field}",
                        f"{what}：{ref.doc.label} 上为 {expected}，{m.doc.label} 上为 {found}",
                        expected=expected, found=found, document=m.doc.file,
                        source=m.source(which) or ref.source(which), mask_as=mask_as))

    for i, ref in enumerate(ms):
        for m in ms[i + 1:]:
            if not _other(ref, m):
                continue
            if ref.id_number and ref.id_number == m.id_number:
                if ref.name and m.name and not ctx.same(ref.name, m.name):
                    report("name", 0, ref, m, ref.name, m.name, "同一身份证号在两份文件上的姓名不同")
                if ref.birth_date and m.birth_date and ref.birth_date != m.birth_date:
                    report("birth_date", 2, ref, m, ref.birth_date, m.birth_date, "同一人在两份文件上的出生日期不同")
            elif ref.id_number and m.id_number and ref.name and m.name and ctx.same(ref.name, m.name):
                report("id_number", 1, ref, m, ref.id_number, m.id_number, "同名者在两份文件上的身份证号不同",
                       mask_as="id_number")
    return out


# --------------------------------------------------------------------------- relationships

_TO_HEAD = {
    "head": ("户主", "本人"),
    "spouse": ("妻", "夫", "配偶", "妻子", "丈夫", "之妻", "之夫"),
    "child": ("子", "女", "长子", "次子", "三子", "四子", "长女", "次女", "三女", "四女", "儿子", "女儿", "养子",
              "养女", "继子", "继女", "之子", "之女", "独生子", "独生女"),
    "parent": ("父", "母", "父亲", "母亲", "之父", "之母"),
    "sibling": ("兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹", "胞兄", "胞弟", "胞姐", "胞妹"),
    "grandchild": ("孙子", "孙女", "外孙子", "外孙女"),
}
_DECLARED = {
    "spouse": ("spouse", "wife", "husband", "配偶", "妻子", "丈夫", "妻", "夫"),
    "child": ("child", "son", "daughter", "子女", "儿子", "女儿", "子", "女"),
    "parent": ("parent", "father", "mother", "父母", "父亲", "母亲"),
    "sibling": ("sibling", "brother", "sister", "兄弟姐妹", "兄弟", "姐妹"),
    "grandchild": ("grandchild", "孙子女", "孙子", "孙女"),
}
#: the relationship of B to A, from A's and B's relationship to the head of the register
_DERIVED = {
    ("head", "spouse"): "spouse", ("head", "child"): "child", ("head", "parent"): "parent",
    ("head", "sibling"): "sibling", ("head", "grandchild"): "grandchild",
    ("spouse", "head"): "spouse", ("child", "head"): "parent", ("parent", "head"): "child",
    ("sibling", "head"): "sibling", ("grandchild", "head"): "grandparent",
    ("spouse", "child"): "child", ("child", "spouse"): "parent", ("child", "child"): "sibling",
    ("parent", "child"): "grandchild", ("child", "parent"): "grandparent",
}


def _norm(s: Any) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", str(s or "")).lower() if not ch.isspace())


def relation_to_head(value: Any) -> str | None:
    v = _norm(value)
    return next((rel for rel, words in _TO_HEAD.items() if v in words), None)


def declared(value: Any) -> str | None:
    v = _norm(value)
    return next((rel for rel, words in _DECLARED.items() if v in words), None)


def derived(a_to_head: str | None, b_to_head: str | None) -> str | None:
    """B's relationship to A, from both relationships to the head (None when it cannot be told)."""
    return _DERIVED.get((a_to_head, b_to_head)) if a_to_head and b_to_head else None


def _is(ctx: Context, d: Doc, p: PartyRef, name_field: str = "name", id_field: str = "id_number") -> bool:
    if not ctx.same(d.value(name_field), p.name):
        return False
    idn = d.value(id_field)
    return not (idn and p.id_number) or compact_number(str(idn)) == p.id_number


def _addr(s: Any) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", str(s or "")) if not ch.isspace())


def _same_register(a: Doc, b: Doc) -> bool:
    if a.file == b.file:
        return True
    aa, ab = _addr(a.value("address")), _addr(b.value("address"))
    return not aa or not ab or aa == ab


def _anchors(ctx: Context) -> list[PartyRef]:
    return [ctx.parties[k] for k in ("policyholder", "insured") if k in ctx.parties]


def _register_conflict(ctx: Context, bene: PartyRef, want: str) -> tuple[str, Doc, Doc] | None:
    """The relationship the register gives (and the two pages) when it is known and differs
    from ``want`` for every anchor; None when it agrees for one, or cannot be told."""
    regs = ctx.by_kind("household_register")
    found: list[tuple[str, Doc, Doc]] = []
    for a in _anchors(ctx):
        for pa in (d for d in regs if _is(ctx, d, a)):
            for pb in (d for d in regs if d is not pa and _is(ctx, d, bene) and _same_register(pa, d)):
                rel = derived(relation_to_head(pa.value("relationship_to_head")),
                              relation_to_head(pb.value("relationship_to_head")))
                if rel == want:
                    return None
                if rel is not None:
                    found.append((rel, pa, pb))
    return found[0] if found else None


_REL_ZH = {"spouse": "配偶", "child": "子女", "parent": "父母", "sibling": "兄弟姐妹", "grandchild": "孙子女",
           "grandparent": "祖父母"}


def _spouse_on(ctx: Context, d: Doc, a: PartyRef) -> tuple[str | None, str | None] | None:
    """The other side of a certificate that names ``a`` on one side (name, ID number)."""
    if _is(ctx, d, a, "holder_name", "holder_id_number"):
        return d.value("spouse_name"), d.value("spouse_id_number")
    if _is(ctx, d, a, "spouse_name", "spouse_id_number"):
        return d.value("holder_name"), d.value("holder_id_number")
    return None


def _same_person(ctx: Context, name: Any, idn: Any, person: dict[str, Any] | PartyRef) -> bool:
    get = person.get if isinstance(person, dict) else (lambda k: getattr(person, k, None))
    if idn and get("id_number"):
        return compact_number(str(idn)) == compact_number(str(get("id_number")))
    return ctx.same(name, get("name"))


def check_relationship_documents(ctx: Context) -> list[Discrepancy]:
    """``relationship_mismatch``, ``spouse_mismatch`` and ``spouse_divorced`` (module doc)."""
    out: list[Discrepancy] = []
    anchors = _anchors(ctx)
    if "relationship" in ctx.type_rules.checks:
        for i, b in ctx.new_beneficiaries:
            bene = ctx.parties[f"new_beneficiary[{i}]"]
            want = declared(b.get("relationship"))
            if want is None:
                continue
            conflict = _register_conflict(ctx, bene, want)
            if conflict is not None:
                rel, pa, pb = conflict
                out.append(warn("relationship_mismatch", f"{bene.path}.relationship",
                                f"户口本显示新受益人 {bene.name} 是{pa.value('name')}的{_REL_ZH.get(rel, rel)}，"
                                f"与申请所填关系（{_REL_ZH.get(want, want)}）不符",
                                expected=want, found=rel, document=pb.file, source=pb.field("relationship_to_head")))
            if want != "spouse":
                continue
            for d in ctx.by_kind("marriage_certificate"):
                for a in anchors:
                    other = _spouse_on(ctx, d, a)
                    if other is not None and other[0] and not _same_person(ctx, other[0], other[1], bene):
                        out.append(warn("spouse_mismatch", f"{bene.path}.name",
                                        f"结婚证上{a.label} {a.name} 的配偶是 {other[0]}，不是申请所填的配偶受益人 {bene.name}",
                                        expected=bene.name, found=other[0], document=d.file,
                                        source=d.field("spouse_name") or d.field("holder_name")))
    beneficiaries = ctx.requested.get("beneficiaries")
    if isinstance(beneficiaries, list):
        spouses = [(j, b) for j, b in enumerate(beneficiaries)
                   if isinstance(b, dict) and declared(b.get("relationship")) == "spouse"]
        for d in ctx.by_kind("divorce_certificate"):
            for a in anchors:
                other = _spouse_on(ctx, d, a)
                if other is None:
                    continue
                for j, b in spouses:
                    if _same_person(ctx, other[0], other[1], b):
                        out.append(warn("spouse_divorced", f"requested.beneficiaries[{j}].relationship",
                                        f"离婚证显示{a.label} {a.name} 已与 {b.get('name')} 离婚，"
                                        f"申请中仍以配偶身份列为受益人",
                                        expected="spouse", found="divorced", document=d.file,
                                        source=d.field("registration_date")))
    return out
