from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from intake import audit, cases
from intake.api.deps import CurrentUser, SessionDep, require_roles
from intake.api.schemas import CaseCreate, CasePublic, CasesPublic
from intake.views import case_detail, case_summary, unmasked_roles

router = APIRouter(prefix="/cases", tags=["cases"])


@router.post("", response_model=CasePublic, status_code=status.HTTP_201_CREATED,
             dependencies=[require_roles("agent", "clerk", "admin")])
def create_case(body: CaseCreate, session: SessionDep, user: CurrentUser) -> dict:
    try:
        case = cases.create_case(session, user, body.policy_no, body.type, body.requested,
                                 body.application_date.isoformat() if body.application_date else None)
    except cases.PolicyNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    session.commit()
    return case_detail(cases.get_case(session, user, case.id), user)


@router.get("", response_model=CasesPublic)
def list_cases(session: SessionDep, user: CurrentUser, state: str | None = None, limit: int = 100,
               offset: int = 0) -> dict:
    rows = cases.list_cases(session, user, state, min(max(limit, 1), 500), max(offset, 0))
    return {"data": [case_summary(c) for c in rows], "count": len(rows)}


@router.get("/{case_id}", response_model=CasePublic)
def read_case(case_id: int, session: SessionDep, user: CurrentUser) -> dict:
    try:
        case = cases.get_case(session, user, case_id)
    except cases.CaseNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    if unmasked_roles(user):
        audit.record(session, user.actor, "case.view_unmasked", "case", case.id)
        session.commit()
    return case_detail(case, user)
