"""Risk across cases: the warnings only the store can see (``image_reused``,
``account_shared``, ``id_number_shared``), each naming the other case.

Every verification re-indexes its case — one ``ImageFingerprint`` row per read document and
per part of a sheet (the flattened document's perceptual hash from
``extractors.fingerprint``, split into four indexed 16-bit bands, and the identifying number
read on it, hashed), and one ``CaseIdentifier`` row per bank account or ID number the case
shows (requested, on the policy record, on the documents; hashed, with the name shown beside
an ID number) — then looks the case's own rows up among other cases' rows through indexes,
never by scanning:

- ``image_reused``: another case's document with the very same file (``documents.sha256``),
  or a perceptual hash at most ``image_max_distance`` bits away (candidates: any band equal,
  or within ``_radius`` bits of it, so every hash that close is found) whose identifying
  number does not differ, or at most ``image_max_distance_same_number`` bits away when both
  read the same identifying number (candidates: that number's digest) — and that other case
  belongs to another customer (policyholder) or came from another agent. A different number
  read on both rules a match out: two cards of one bank's design look alike to any hash of
  the whole picture (``bench/image_reuse.py`` measures both rules).
- ``account_shared``: the same account in another case created within ``shared_window_days``
  for a different customer.
- ``id_number_shared``: the same ID number shown with a different person's name in another
  case created within ``shared_window_days``.

Digests are SHA-256 of the kind and the compacted value: an index key, not a secret.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Iterable

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from extractors.fingerprint import bands, hamming
from extractors.types import Field
from intake.db.models import Case, CaseIdentifier, Document, ImageFingerprint, Policy
from verify.checks._base import warn
from verify.checks.consistency import PERSONS
from verify.masking import compact_number, mask_value
from verify.names import normalize_name, same_name
from verify.requirements import RiskRules
from verify.types import Discrepancy

__all__ = ["KEY_FIELDS", "Unit", "units", "customer_key", "index_case", "cross_case_warnings", "digest"]

#: the number that tells one document of a kind from another of the same design
KEY_FIELDS = {"bank_card": "card_number", "id_card_front": "id_number", "household_register": "id_number",
              "income_proof": "id_number", "marriage_certificate": "certificate_number",
              "divorce_certificate": "certificate_number", "court_judgment": "case_number"}


def digest(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def customer_key(policy: dict[str, Any] | None, policy_no: str) -> str:
    """Whose case it is: the policyholder's ID number, else name, else the policy."""
    holder = (policy or {}).get("policyholder") or {}
    idn = compact_number(str(holder.get("id_number") or ""))
    if idn:
        return digest("customer-id", idn)
    name = normalize_name(holder.get("name"), "variants")
    return digest("customer-name", name) if name else digest("customer-policy", policy_no)


@dataclass
class Unit:
    """One document of a file (the file itself, or one part of a sheet)."""

    doc: Document
    part: int  # 0: the file itself; n: its n-th part
    kind: str
    phash: str | None
    number: str | None  # the identifying number, read without doubt
    fields: dict[str, Any]

    @property
    def label(self) -> str:
        from intake.verification import document_label  # verification imports this module

        return document_label(self.doc) + (f"#{self.part}" if self.part else "")

    def field(self, name: str) -> Field | None:
        f = self.fields.get(name)
        return Field.from_dict(f) if isinstance(f, dict) and f.get("value") not in (None, "") else None


def _unit(doc: Document, part: int, d: dict[str, Any]) -> Unit:
    kind = d.get("kind") or "other"
    fields = d.get("fields") or {}
    phash = ((d.get("fingerprint") or {}).get("phash")) or None
    key = KEY_FIELDS.get(kind)
    f = fields.get(key) if key else None
    number = None
    if isinstance(f, dict) and f.get("value") and not f.get("needs_review"):
        number = compact_number(str(f["value"])) or None
    return Unit(doc, part, kind, phash, number, fields)


def units(doc: Document) -> list[Unit]:
    """The read documents of a stored file: its parts when it holds several, else itself."""
    if doc.state != "done" or doc.extraction is None:
        return []
    result = doc.extraction.result()
    parts = result.get("parts") or []
    if parts:
        return [_unit(doc, i, p) for i, p in enumerate(parts, 1)]
    return [_unit(doc, 0, result)]


def _identifiers(case: Case, record: dict[str, Any], us: list[Unit]) -> set[tuple[str, str, str | None]]:
    """(kind, compact value, name shown with it) of every account and ID number the case shows."""
    out: set[tuple[str, str, str | None]] = set()

    def add(kind: str, value: Any, holder: Any = None) -> None:
        v = compact_number(str(value or ""))
        if len(v) >= 8:
            out.add((kind, v, normalize_name(holder, "variants") or None if holder else None))

    requested = case.requested or {}
    add("account", requested.get("account_number"))
    add("account", (record.get("payment") or {}).get("account_number"))
    for p in [record.get("policyholder"), record.get("insured")] + list(record.get("beneficiaries") or []) \
            + [b for b in (requested.get("beneficiaries") or []) if isinstance(b, dict)]:
        if isinstance(p, dict):
            add("id_number", p.get("id_number"), p.get("name"))
    for u in us:
        if u.kind == "bank_card":
            add("account", (u.fields.get("card_number") or {}).get("value"))
        for nf, idf, _ in PERSONS.get(u.kind, ()):
            add("id_number", (u.fields.get(idf) or {}).get("value"), (u.fields.get(nf) or {}).get("value"))
    return out


def index_case(session: Session, case: Case, us: list[Unit], customer: str, record: dict[str, Any]) -> None:
    """Replace the case's fingerprint and identifier rows with what it shows now."""
    session.execute(delete(ImageFingerprint).where(ImageFingerprint.case_id == case.id))
    session.execute(delete(CaseIdentifier).where(CaseIdentifier.case_id == case.id))
    for u in us:
        if not u.phash:
            continue
        b = bands(u.phash)
        session.add(ImageFingerprint(
            document_id=u.doc.id, case_id=case.id, part=u.part, kind=u.kind, phash=u.phash,
            band0=b[0], band1=b[1], band2=b[2], band3=b[3],
            number_digest=digest(u.kind, u.number) if u.number else None, customer=customer,
            agent_id=case.created_by))
    for kind, value, holder in sorted(_identifiers(case, record, us), key=lambda x: (x[0], x[1], x[2] or "")):
        session.add(CaseIdentifier(case_id=case.id, kind=kind, digest=digest(kind, value), holder=holder,
                                   customer=customer, case_created_at=case.created_at))
    session.flush()


# --------------------------------------------------------------------------- image reuse


def _radius(max_distance: int) -> int:
    """Bits each band is probed within so that no hash ``max_distance`` away is missed:
    four bands within r bits each miss only hashes at least 4(r + 1) bits away."""
    return max(0, -(-(max_distance + 1) // 4) - 1)


def _probe(band: int, r: int) -> list[int]:
    """Every 16-bit value within ``r`` bits of ``band``."""
    out = {band}
    for _ in range(r):
        out |= {v ^ (1 << i) for v in out for i in range(16)}
    return sorted(out)


def _band_clause(phash: str, r: int):
    b = bands(phash)
    cols = (ImageFingerprint.band0, ImageFingerprint.band1, ImageFingerprint.band2, ImageFingerprint.band3)
    if r == 0:
        return or_(*(c == v for c, v in zip(cols, b)))
    return or_(*(c.in_(_probe(v, r)) for c, v in zip(cols, b)))


@dataclass
class _Hit:
    other_case: int
    distance: int  # -1: the same file
    how: str


def _same_file_hits(session: Session, case: Case, doc: Document, customer: str) -> list[_Hit]:
    """Other customers' or other agents' cases holding the very same file."""
    rows = session.execute(
        select(Document.case_id, Case.created_by, Case.policy_no, Policy.policyholder)
        .join(Case, Case.id == Document.case_id).join(Policy, Policy.policy_no == Case.policy_no)
        .where(Document.sha256 == doc.sha256, Document.case_id != case.id, Document.state != "withdrawn")).all()
    return [_Hit(other, -1, "same_file") for other, agent, policy_no, holder in rows
            if customer_key({"policyholder": holder}, policy_no) != customer or agent != case.created_by]


def _near_hits(session: Session, case: Case, u: Unit, customer: str, rules: RiskRules) -> list[_Hit]:
    """Other cases' documents whose perceptual hash (and number) say this is the same print."""
    if not u.phash:
        return []
    hits: list[_Hit] = []
    mine = digest(u.kind, u.number) if u.number else None
    near = or_(ImageFingerprint.phash == u.phash, _band_clause(u.phash, _radius(rules.image_max_distance)))
    if mine:
        near = or_(near, ImageFingerprint.number_digest == mine)
    for fp in session.execute(select(ImageFingerprint).where(ImageFingerprint.case_id != case.id, near)).scalars():
        if fp.customer == customer and fp.agent_id == case.created_by:
            continue
        d = hamming(u.phash, fp.phash)
        same_number = mine is not None and fp.number_digest == mine
        differs = mine is not None and fp.number_digest is not None and fp.number_digest != mine
        if (same_number and d <= rules.image_max_distance_same_number) or (not differs and d <= rules.image_max_distance):
            hits.append(_Hit(fp.case_id, d, "same_number" if same_number else "image"))
    return hits


def _reuse_warnings(session: Session, case: Case, us: list[Unit], customer: str,
                    rules: RiskRules) -> list[Discrepancy]:
    """One ``image_reused`` per document and other case, at its closest match: a sheet's
    parts share one file, which is looked up once and reported once."""
    out: list[Discrepancy] = []
    by_doc: dict[int, list[Unit]] = {}
    for u in us:
        by_doc.setdefault(u.doc.id, []).append(u)
    for units in by_doc.values():
        doc = units[0].doc
        best: dict[int, _Hit] = {}
        hits = _same_file_hits(session, case, doc, customer)
        for u in units:
            hits += _near_hits(session, case, u, customer, rules)
        for h in hits:
            if h.other_case not in best or h.distance < best[h.other_case].distance:
                best[h.other_case] = h
        for other, h in sorted(best.items()):
            how = "同一个文件" if h.distance < 0 else f"感知哈希相差 {h.distance} 位"
            out.append(warn("image_reused", "documents.image",
                            f"此图片与案件 {other} 中的图片相同（{how}），该案件属于其他客户或其他代理人",
                            expected=None, found=f"case {other}", document=units[0].label.split("#", 1)[0],
                            other_case=other))
    return out


# --------------------------------------------------------------------------- shared numbers


def _shared_warnings(session: Session, case: Case, idents: set[tuple[str, str, str | None]], customer: str,
                     rules: RiskRules) -> list[Discrepancy]:
    out: list[Discrepancy] = []
    since = case.created_at - timedelta(days=rules.shared_window_days)
    for kind, value, holder in sorted(idents, key=lambda x: (x[0], x[1], x[2] or "")):
        rows = session.execute(select(CaseIdentifier).where(
            CaseIdentifier.kind == kind, CaseIdentifier.digest == digest(kind, value),
            CaseIdentifier.case_created_at >= since, CaseIdentifier.case_id != case.id)
            .order_by(CaseIdentifier.case_id)).scalars()
        others: set[int] = set()
        for row in rows:
            if row.case_id in others:
                continue
            if kind == "account" and row.customer != customer:
                others.add(row.case_id)
                out.append(warn("account_shared", "requested.account_number",
                                f"账号 {mask_value('account_number', value)} 也出现在其他客户的案件 {row.case_id} 中",
                                found=value, other_case=row.case_id))
            elif kind == "id_number" and holder and row.holder and not same_name(holder, row.holder):
                others.add(row.case_id)
                out.append(warn("id_number_shared", "documents.id_number",
                                f"身份证号 {mask_value('id_number', value)} 在案件 {row.case_id} 中属于另一个人（{row.holder}），"
                                f"本案为 {holder}", expected=row.holder, found=holder, mask_as="name",
                                other_case=row.case_id))
    return out


def cross_case_warnings(session: Session, case: Case, docs: Iterable[Document], rules: RiskRules) -> list[Discrepancy]:
    """Index the case (its rows replace its earlier ones) and the warnings it raises against
    other cases (module doc). Runs inside the caller's transaction."""
    record = session.get(Policy, case.policy_no).to_record()
    customer = customer_key(record, case.policy_no)
    us = [u for d in docs for u in units(d)]
    idents = _identifiers(case, record, us)
    index_case(session, case, us, customer, record)
    return _reuse_warnings(session, case, us, customer, rules) + _shared_warnings(session, case, idents, customer,
                                                                                   rules)
