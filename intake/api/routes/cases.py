from __future__ import annotations

from fastapi import APIRouter, Query, status

from intake import audit, cases, errors, lifecycle
from intake.api.deps import MAX_ID, PathId, CurrentUser, SessionDep, require_roles
from intake.api.schemas import CaseCreate, CasePublic, CasesPublic, DecisionIn, FieldCorrectionIn
from intake.views import case_detail, case_summary, unmasked_roles

router = APIRouter(prefix="/cases", tags=["cases"])


@router.post("", response_model=CasePublic, status_code=status.HTTP_201_CREATED,
             dependencies=[require_roles("agent", "clerk", "admin")])
def create_case(body: CaseCreate, session: SessionDep, user: CurrentUser) -> dict:
    case = cases.create_case(session, user, body.policy_no, body.type, body.requested,
                             body.application_date.isoformat() if body.application_date else None)
    session.commit()
    return _detail(session, cases.get_case(session, user, case.id), user)


def _detail(session, case, user) -> dict:
    session.refresh(case)
    return case_detail(cases.get_case(session, user, case.id), user, lifecycle.corrections_for(session, case.id))


@router.get("", response_model=CasesPublic)
def list_cases(session: SessionDep, user: CurrentUser, state: str | None = Query(None, max_length=24),
               limit: int = Query(100, ge=1, le=500), offset: int = Query(0, ge=0, le=MAX_ID)) -> dict:
    rows = cases.list_cases(session, user, state, limit, offset)
    return {"data": [case_summary(c) for c in rows], "count": len(rows)}


@router.get("/{case_id}", response_model=CasePublic)
def read_case(case_id: PathId, session: SessionDep, user: CurrentUser) -> dict:
    case = cases.get_case(session, user, case_id)
    if unmasked_roles(user):
        audit.record(session, user.actor, "case.view_unmasked", "case", case.id)
        session.commit()
    return case_detail(case, user, lifecycle.corrections_for(session, case.id))


@router.post("/{case_id}/submit", response_model=CasePublic, dependencies=[require_roles("agent", "admin")])
def submit_case(case_id: PathId, session: SessionDep, user: CurrentUser) -> dict:
    """The agent hands the case in: its documents go to processing; a returned case comes back.
    409 naming the state for a decided case or one without documents."""
    case = cases.get_case(session, user, case_id)
    if user.role == "agent" and case.created_by != user.id:
        raise errors.CaseNotFound(f"case {case_id} not found")
    lifecycle.submit(session, user, case)
    return _detail(session, case, user)


@router.patch("/{case_id}/fields", response_model=CasePublic, dependencies=[require_roles("clerk", "admin")])
def correct_field(case_id: PathId, body: FieldCorrectionIn, session: SessionDep, user: CurrentUser) -> dict:
    """Store the clerk's value beside the machine's reading and verify the case again at once."""
    case = cases.get_case(session, user, case_id)
    lifecycle.correct_field(session, user, case, body.document_id, body.field, body.value, body.part)
    return _detail(session, case, user)


@router.post("/{case_id}/decision", response_model=CasePublic, dependencies=[require_roles("clerk", "admin")])
def decide(case_id: PathId, body: DecisionIn, session: SessionDep, user: CurrentUser) -> dict:
    """Approve, return (to the agent, with the reason) or reject (with the reason). Approve
    with an open error-level discrepancy needs ``override_reason``, else 409."""
    case = cases.get_case(session, user, case_id)
    lifecycle.decide(session, user, case, body.action, body.reason, body.override_reason)
    return _detail(session, case, user)
