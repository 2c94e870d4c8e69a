"""Auditors: seeded samples of decided cases, blind re-checks, agreement statistics."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response, status

from intake import audit_sampling
from intake.api.deps import PathId, CurrentUser, SessionDep, require_roles
from intake.api.schemas import ReviewIn, SampleIn, SamplePublic

router = APIRouter(prefix="/audit", tags=["audit"])

AUDITORS = require_roles("auditor", "admin")


def _public(sample) -> dict:
    return {"id": sample.id, "cases": list(sample.case_ids), "params": sample.params,
            "created_by": sample.created_by, "created_at": sample.created_at}


@router.post("/samples", response_model=SamplePublic, status_code=status.HTTP_201_CREATED, dependencies=[AUDITORS])
def draw_sample(body: SampleIn, session: SessionDep, user: CurrentUser) -> dict:
    """Draw a seeded, stratified sample of cases decided between ``from`` and ``to``
    (inclusive days); the same seed, range and rates give the same cases. ``top_risk`` /
    ``risk_threshold``: the riskiest cases are always taken, the draw runs on the rest."""
    req = audit_sampling.SampleRequest(seed=body.seed, rate=body.rate, date_from=body.date_from,
                                       date_to=body.date_to, strata=tuple(body.strata),
                                       min_per_stratum=body.min_per_stratum, auto_rate=body.auto_rate,
                                       override_rate=body.override_rate, top_risk=body.top_risk,
                                       risk_threshold=body.risk_threshold)
    return _public(audit_sampling.draw_sample(session, user, req))


@router.get("/samples/{sample_id}", response_model=SamplePublic, dependencies=[AUDITORS])
def read_sample(sample_id: PathId, session: SessionDep) -> dict:
    return _public(audit_sampling.get_sample(session, sample_id))


@router.get("/samples/{sample_id}/cases/{case_id}", dependencies=[AUDITORS])
def blind_view(sample_id: PathId, case_id: PathId, session: SessionDep, user: CurrentUser) -> dict:
    """The documents and the machine's readings; the clerk's corrections and decision only
    after this sample's verdict on the case is recorded."""
    return audit_sampling.blind_view(session, user, sample_id, case_id)


@router.post("/samples/{sample_id}/reviews", status_code=status.HTTP_201_CREATED, dependencies=[AUDITORS])
def record_review(sample_id: PathId, body: ReviewIn, session: SessionDep, user: CurrentUser) -> dict:
    """Record the blind verdict (and any field values); the answer reveals the clerk's side."""
    return audit_sampling.record_review(session, user, sample_id, body.case_id, body.verdict, body.fields)


@router.get("/stats", dependencies=[AUDITORS])
def stats(session: SessionDep, format: str = "json", date_from: date | None = None,
          date_to: date | None = None):
    """Agreement (with its 95 % Wilson interval), machine field accuracy against final values,
    the auto-accepted share and how many of those changed, discrepancy precision; ``?format=csv``."""
    result = audit_sampling.statistics(session, date_from, date_to)
    if format == "csv":
        return Response(audit_sampling.statistics_csv(result), media_type="text/csv; charset=utf-8")
    return result
