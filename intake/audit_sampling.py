"""Auditors' work: seeded stratified samples of decided cases, blind re-checks, agreement.

A sample is reproducible: the population is every case decided (approved, returned,
rejected — by a clerk or by ``system``) in the date range, ordered by id; it is split into
strata (endorsement type and/or deciding clerk); each stratum is shuffled by its own
``random.Random`` seeded from the sample seed and the stratum's name, and its first
``max(min_per_stratum, ceil(rate × size))`` cases are taken (auto-approved and overridden
cases may have a higher rate of their own). The same seed, range and rates therefore give
the same cases, whatever was drawn before.

Risk-weighted: with ``top_risk`` = n the n cases of the population with the highest risk
score (``Case.risk_score``, ties by id) are always taken, and so is every case scoring at
least ``risk_threshold`` when one is given; the seeded stratified draw above then runs on
the rest, so the riskiest cases are certain and the ordinary ones still have their chance.

A review is blind: until the auditor records a verdict, the view shows the documents and
the machine's readings only, never the clerk's corrections or decision.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from intake import audit
from intake.auth import Principal
from intake.audit import SYSTEM
from intake.errors import CaseError, CaseNotFound
from intake.db.models import DECIDED_STATES, AuditReview, AuditSample, Case, Document, FieldCorrection
from intake.lifecycle import ACTIONS
from intake.text import clean_text

__all__ = ["SampleRequest", "SampleError", "AlreadyReviewed", "draw_sample", "get_sample", "blind_view", "riskiest",
           "record_review", "sampled_case", "statistics", "statistics_csv", "wilson_interval", "STRATA"]

STRATA = ("type", "clerk")
Z95 = 1.959963984540054  # the normal quantile of a two-sided 95 % interval


class SampleError(CaseError):
    """Sample parameters that cannot be used (HTTP 422)."""


class AlreadyReviewed(CaseError):
    """This case of this sample has its verdict already (HTTP 409)."""


@dataclass
class SampleRequest:
    seed: int
    rate: float
    date_from: date
    date_to: date
    strata: tuple[str, ...] = ("type", "clerk")
    min_per_stratum: int = 1
    auto_rate: float | None = None  # rate for auto-approved cases (default: ``rate``)
    override_rate: float | None = None  # rate for cases approved over an open error
    top_risk: int = 0  # the highest-risk cases always taken
    risk_threshold: float | None = None  # every case scoring at least this is taken

    def check(self) -> None:
        for name, r in (("rate", self.rate), ("auto_rate", self.auto_rate), ("override_rate", self.override_rate)):
            if r is not None and not (0.0 <= r <= 1.0):
                raise SampleError(f"{name} must be between 0 and 1")
        if self.min_per_stratum < 0:
            raise SampleError("min_per_stratum must be ≥ 0")
        if self.top_risk < 0:
            raise SampleError("top_risk must be ≥ 0")
        if self.risk_threshold is not None and not (0.0 <= self.risk_threshold <= 100.0):
            raise SampleError("risk_threshold must be between 0 and 100")
        if self.date_to < self.date_from:
            raise SampleError("'to' is before 'from'")
        unknown = [s for s in self.strata if s not in STRATA]
        if unknown:
            raise SampleError(f"unknown strata {unknown}; use {list(STRATA)}")

    def params(self) -> dict[str, Any]:
        return {"seed": self.seed, "rate": self.rate, "from": self.date_from.isoformat(),
                "to": self.date_to.isoformat(), "strata": list(self.strata), "min_per_stratum": self.min_per_stratum,
                "auto_rate": self.auto_rate, "override_rate": self.override_rate,
                "top_risk": self.top_risk, "risk_threshold": self.risk_threshold}


def _group(case: Case) -> str:
    """Which rate applies: auto-approved, overridden, or the ordinary one."""
    if case.decided_by == SYSTEM:
        return "auto"
    if case.override_reason:
        return "override"
    return "ordinary"


def _take(rng: random.Random, ids: list[int], rate: float, minimum: int) -> list[int]:
    ids = sorted(ids)
    rng.shuffle(ids)
    n = min(len(ids), max(minimum, math.ceil(rate * len(ids))))
    return ids[:n]


def population(session: Session, date_from: date, date_to: date) -> list[Case]:
    start = datetime.combine(date_from, time.min)
    end = datetime.combine(date_to + timedelta(days=1), time.min)
    return list(session.execute(
        select(Case).where(Case.state.in_(DECIDED_STATES), Case.decided_at >= start, Case.decided_at < end)
        .order_by(Case.id)).scalars())


def riskiest(cases: Iterable[Case], req: SampleRequest) -> list[int]:
    """The cases a risk-weighted sample always takes: the ``top_risk`` highest scores (ties by
    id) and every score at least ``risk_threshold``; unscored cases never."""
    scored = sorted((c for c in cases if c.risk_score is not None), key=lambda c: (-c.risk_score, c.id))
    out = {c.id for c in scored[:req.top_risk]}
    if req.risk_threshold is not None:
        out |= {c.id for c in scored if c.risk_score >= req.risk_threshold}
    return sorted(out)


def choose(cases: Iterable[Case], req: SampleRequest) -> list[int]:
    """The sampled case ids (sorted) — a pure function of the cases and the request."""
    cases = list(cases)
    certain = riskiest(cases, req)
    if certain:
        taken = set(certain)
        return sorted(certain + _stratified([c for c in cases if c.id not in taken], req))
    return _stratified(cases, req)


def _stratified(cases: list[Case], req: SampleRequest) -> list[int]:
    strata: dict[tuple[str, ...], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for c in cases:
        key = tuple(c.type if s == "type" else (c.decided_by or "") for s in req.strata)
        strata[key][_group(c)].append(c.id)
    rates = {"ordinary": req.rate, "auto": req.auto_rate if req.auto_rate is not None else req.rate,
             "override": req.override_rate if req.override_rate is not None else req.rate}
    chosen: list[int] = []
    for key in sorted(strata):
        groups = strata[key]
        name = "|".join(key)
        digest = hashlib.sha256(f"{req.seed}:{name}".encode()).digest()
        rng = random.Random(int.from_bytes(digest[:8], "big"))
        picked: list[int] = []
        for g in ("auto", "override", "ordinary"):
            if groups.get(g):
                picked += _take(rng, groups[g], rates[g], 0)
        if len(picked) < req.min_per_stratum:  # top the stratum up from what was not drawn
            rest = sorted(set(i for ids in groups.values() for i in ids) - set(picked))
            rng.shuffle(rest)
            picked += rest[:req.min_per_stratum - len(picked)]
        chosen += picked
    return sorted(chosen)


def draw_sample(session: Session, user: Principal, req: SampleRequest) -> AuditSample:
    req.check()
    cases = population(session, req.date_from, req.date_to)
    ids = choose(cases, req)
    params = {**req.params(), "certain": riskiest(cases, req)}  # the cases taken for their risk
    sample = AuditSample(params=params, case_ids=ids, created_by=user.name)
    session.add(sample)
    session.flush()
    audit.record(session, user.actor, "audit.sample", "audit_sample", sample.id, cases=len(ids), **req.params())
    session.commit()
    return sample


def get_sample(session: Session, sample_id: int) -> AuditSample:
    sample = session.get(AuditSample, sample_id)
    if sample is None:
        raise CaseNotFound(f"sample {sample_id} not found")
    return sample


def sampled_case(session: Session, sample: AuditSample, case_id: int) -> Case:
    if case_id not in (sample.case_ids or []):
        raise CaseNotFound(f"case {case_id} is not in sample {sample.id}")
    return session.execute(select(Case).where(Case.id == case_id).options(
        selectinload(Case.documents).selectinload(Document.extraction))).scalar_one()


def _review(session: Session, sample_id: int, case_id: int) -> AuditReview | None:
    return session.execute(select(AuditReview).where(
        AuditReview.sample_id == sample_id, AuditReview.case_id == case_id)).scalar_one_or_none()


def _clerk_side(session: Session, case: Case) -> dict[str, Any]:
    corrections = session.execute(select(FieldCorrection).where(FieldCorrection.case_id == case.id)).scalars()
    return {"state": case.state, "decision": case.decision, "reason": case.decision_reason,
            "override_reason": case.override_reason, "decided_by": case.decided_by,
            "decided_at": case.decided_at.replace(tzinfo=timezone.utc).isoformat() if case.decided_at else None,
            "auto_approved": case.decided_by == SYSTEM,
            "corrections": {f"{c.document_id}.{c.field}" if not c.part else f"{c.document_id}.{c.part}.{c.field}":
                            c.value for c in corrections}}


def blind_view(session: Session, user: Principal, sample_id: int, case_id: int) -> dict[str, Any]:
    """Documents and machine readings; the clerk's side only once this sample has its verdict."""
    from intake.views import document_view

    sample = get_sample(session, sample_id)
    case = sampled_case(session, sample, case_id)
    review = _review(session, sample_id, case_id)
    view: dict[str, Any] = {
        "sample_id": sample.id, "case_id": case.id, "type": case.type, "policy_no": case.policy_no,
        "requested": case.requested or {},
        "documents": [document_view(d, user) for d in case.documents],
        "machine_discrepancies": (case.machine_verification or {}).get("discrepancies", []),
        "reviewed": review is not None,
    }
    if review is not None:
        view["review"] = {"verdict": review.verdict, "fields": review.fields, "reviewed_by": review.reviewed_by}
        view["clerk"] = _clerk_side(session, case)
    audit.record(session, user.actor, "audit.blind_view", "case", case.id, sample=sample.id,
                 revealed=review is not None)
    session.commit()
    return view


def record_review(session: Session, user: Principal, sample_id: int, case_id: int, verdict: str,
                  fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """Store the auditor's verdict and field values, then reveal the clerk's side."""
    if verdict not in ACTIONS:
        raise SampleError(f"verdict must be one of {', '.join(ACTIONS)}")
    sample = get_sample(session, sample_id)
    case = sampled_case(session, sample, case_id)
    if _review(session, sample_id, case_id) is not None:
        raise AlreadyReviewed(f"case {case_id} of sample {sample_id} has its verdict already")
    clean: dict[str, str] = {}
    doc_ids = {d.id for d in case.documents}
    for key, value in (fields or {}).items():
        head = str(key).split(".", 1)[0]
        if not head.isdigit() or int(head) not in doc_ids or "." not in str(key):
            raise SampleError(f"field key {str(key)[:64]!r} must be '<document_id>.<field>' of this case")
        text = clean_text(str(value))
        if text:
            clean[str(key)[:128]] = text
    review = AuditReview(sample_id=sample.id, case_id=case.id, verdict=verdict, fields=clean,
                         clerk_decision=case.decision, reviewed_by=user.name)
    session.add(review)
    session.flush()
    audit.record(session, user.actor, "audit.review", "case", case.id, sample=sample.id, verdict=verdict,
                 clerk_decision=case.decision, fields=sorted(clean))
    session.commit()
    return {"sample_id": sample.id, "case_id": case.id, "verdict": verdict, "fields": clean,
            "agrees": case.decision == verdict, "clerk": _clerk_side(session, case)}


# --------------------------------------------------------------------------- statistics


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval of a proportion k/n (None for n = 0).

    >>> [round(x, 3) for x in wilson_interval(9, 10)]
    [0.596, 0.982]
    >>> wilson_interval(0, 0) is None
    True
    """
    if n == 0:
        return None
    p = k / n
    d = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / d
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class _Tally:
    n: int = 0
    k: int = 0

    def add(self, ok: bool) -> None:
        self.n += 1
        self.k += bool(ok)

    def out(self, interval: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {"n": self.n, "agree" if interval else "k": self.k,
                             "rate": round(self.k / self.n, 4) if self.n else None}
        if interval:
            ci = wilson_interval(self.k, self.n)
            d["ci95"] = [round(ci[0], 4), round(ci[1], 4)] if ci else None
        return d


@dataclass
class _Stats:
    agreement: _Tally = field(default_factory=_Tally)
    by_clerk: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    by_type: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    by_day: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    field_acc: dict[tuple[str, str], _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    auto_accepted: int = 0
    fields_total: int = 0
    auto_changed: int = 0
    auto_changed_by_auditor: int = 0
    disc: _Tally = field(default_factory=_Tally)
    disc_by_clerk: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    disc_by_type: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))


def _units(doc: Document) -> Iterable[tuple[int, str, dict[str, Any]]]:
    ex = doc.extraction
    if ex is None:
        return []
    out = [(0, ex.kind, ex.fields or {})]
    out += [(i, p.get("kind", "other"), p.get("fields") or {}) for i, p in enumerate(ex.parts or [], 1)]
    return out


def statistics(session: Session, date_from: date | None = None, date_to: date | None = None) -> dict[str, Any]:
    """Agreement, machine field accuracy, automation and discrepancy precision (module doc)."""
    q = select(Case).where(Case.state.in_(DECIDED_STATES)).options(
        selectinload(Case.documents).selectinload(Document.extraction)).order_by(Case.id)
    if date_from:
        q = q.where(Case.decided_at >= datetime.combine(date_from, time.min))
    if date_to:
        q = q.where(Case.decided_at < datetime.combine(date_to + timedelta(days=1), time.min))
    cases = list(session.execute(q).scalars())
    ids = [c.id for c in cases]
    corrections: dict[tuple[int, int, str], str] = {}
    reviews: dict[int, AuditReview] = {}
    if ids:
        for c in session.execute(select(FieldCorrection).where(FieldCorrection.case_id.in_(ids))).scalars():
            corrections[(c.document_id, c.part, c.field)] = c.value
        for r in session.execute(select(AuditReview).where(AuditReview.case_id.in_(ids))
                                 .order_by(AuditReview.id)).scalars():
            reviews[r.case_id] = r  # the latest review of a case counts
    st = _Stats()
    for case in cases:
        clerk = case.decided_by or ""
        review = reviews.get(case.id)
        if review is not None and case.decision:
            ok = review.verdict == case.decision
            st.agreement.add(ok)
            st.by_clerk[clerk].add(ok)
            st.by_type[case.type].add(ok)
            st.by_day[review.created_at.date().isoformat()].add(ok)
        auditor_fields = review.fields if review is not None else {}
        for doc in case.documents:
            for part, kind, fields in _units(doc):
                for name, f in fields.items():
                    machine = f.get("value")
                    key = f"{doc.id}.{name}" if not part else f"{doc.id}.{part}.{name}"
                    final = auditor_fields.get(key, corrections.get((doc.id, part, name), machine))
                    same = str(final) == str(machine)
                    st.field_acc[(kind, name)].add(same)
                    st.fields_total += 1
                    if not f.get("needs_review"):
                        st.auto_accepted += 1
                        st.auto_changed += not same
                        st.auto_changed_by_auditor += key in auditor_fields and str(auditor_fields[key]) != str(machine)
        machine = {(d.get("code"), d.get("field"), d.get("document"))
                   for d in (case.machine_verification or {}).get("discrepancies", [])}
        final_v = {(d.get("code"), d.get("field"), d.get("document"))
                   for d in (case.verification or {}).get("discrepancies", [])}
        for d in machine:
            confirmed = d in final_v  # a discrepancy the clerk's corrections did not make go away
            st.disc.add(confirmed)
            st.disc_by_clerk[clerk].add(confirmed)
            st.disc_by_type[case.type].add(confirmed)
    return {
        "cases_decided": len(cases),
        "cases_reviewed": st.agreement.n,
        "decision_agreement": st.agreement.out(interval=True),
        "decision_agreement_by_clerk": {k: v.out(True) for k, v in sorted(st.by_clerk.items())},
        "decision_agreement_by_type": {k: v.out(True) for k, v in sorted(st.by_type.items())},
        "decision_agreement_by_day": {k: v.out(True) for k, v in sorted(st.by_day.items())},
        "field_accuracy": [{"kind": k, "field": f, "n": t.n, "exact": t.k, "rate": t.out()["rate"]}
                           for (k, f), t in sorted(st.field_acc.items())],
        "auto_accepted": {"fields": st.fields_total, "auto_accepted": st.auto_accepted,
                          "share": round(st.auto_accepted / st.fields_total, 4) if st.fields_total else None,
                          "changed": st.auto_changed, "changed_by_auditor": st.auto_changed_by_auditor},
        "discrepancy_precision": {**st.disc.out(), "confirmed": st.disc.k},
        "discrepancy_precision_by_clerk": {k: v.out() for k, v in sorted(st.disc_by_clerk.items())},
        "discrepancy_precision_by_type": {k: v.out() for k, v in sorted(st.disc_by_type.items())},
    }


def statistics_csv(stats: dict[str, Any]) -> str:
    """One row a figure: section, key, n, k, rate, ci_low, ci_high."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["section", "key", "n", "k", "rate", "ci_low", "ci_high"])

    def row(section: str, key: str, d: dict[str, Any]) -> None:
        ci = d.get("ci95") or [None, None]
        w.writerow([section, key, d.get("n"), d.get("agree", d.get("k", d.get("exact"))), d.get("rate"), *ci])

    row("decision_agreement", "all", stats["decision_agreement"])
    for section in ("decision_agreement_by_clerk", "decision_agreement_by_type", "decision_agreement_by_day",
                    "discrepancy_precision_by_clerk", "discrepancy_precision_by_type"):
        for k, d in stats[section].items():
            row(section, k, d)
    for d in stats["field_accuracy"]:
        row("field_accuracy", f"{d['kind']}.{d['field']}", d)
    a = stats["auto_accepted"]
    w.writerow(["auto_accepted", "share", a["fields"], a["auto_accepted"], a["share"], None, None])
    w.writerow(["auto_accepted", "changed", a["auto_accepted"], a["changed"], None, None, None])
    row("discrepancy_precision", "all", stats["discrepancy_precision"])
    return buf.getvalue()
