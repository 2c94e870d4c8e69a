"""The people's moves on a case: the agent's submit, the clerk's corrections and decisions.

The states and their legal moves are ``intake.transitions``'; every move here goes through
``transition`` (one audit event each, in the same commit), and an illegal one raises
``IllegalTransition`` (HTTP 409 naming the current state). A clerk's correction is stored beside the machine's
reading (``FieldCorrection``; the extraction row is never changed) and the case is verified
again at once with the corrected values.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import audit
from intake.auth import Principal
from intake.db.models import Case, Discrepancy, Document, FieldCorrection, utcnow
from intake.errors import ApprovalBlocked, DocumentNotFound, IllegalTransition, InvalidCorrection, InvalidDecision
from intake.processing import finish_if_complete
from intake.text import clean_text
from intake.transitions import transition
from intake.verification import run_verification
from verify.masking import mask_value

__all__ = ["submit", "decide", "correct_field", "corrections_for", "ACTIONS", "DECISION_STATE"]

ACTIONS = ("approve", "return", "reject")
DECISION_STATE = {"approve": "approved", "return": "returned", "reject": "rejected"}


# --------------------------------------------------------------------------- agent


def submit(session: Session, user: Principal, case: Case) -> Case:
    """The agent hands the case in: its documents go to processing (a returned case comes back).

    A case whose upload already started processing is marked submitted and stays where it is;
    an approved or rejected case, or one without documents, cannot be submitted.
    """
    if case.state in ("approved", "rejected"):
        raise IllegalTransition(case.state, "a decided case cannot be submitted")
    docs = list(session.execute(select(Document.id).where(Document.case_id == case.id,
                                                          Document.state != "withdrawn")).scalars())
    if not docs:
        raise IllegalTransition(case.state, "a case without documents cannot be submitted")
    case.submitted_at = utcnow()
    if case.state in ("draft", "returned"):
        transition(session, case, "processing", user.actor, "submitted by the agent")
        finish_if_complete(session, case.id)  # every document already read: verify now
    else:
        audit.record(session, user.actor, "case.submitted", "case", case.id, state=case.state)
    session.commit()
    return case


# --------------------------------------------------------------------------- clerk


def corrections_for(session: Session, case_id: int) -> list[FieldCorrection]:
    return list(session.execute(
        select(FieldCorrection).where(FieldCorrection.case_id == case_id).order_by(FieldCorrection.id)).scalars())


def _machine_fields(doc: Document, part: int) -> dict[str, Any] | None:
    """The field dict of the document (part 0) or of its ``part``-th part (1-based); None if absent."""
    if doc.extraction is None:
        return None
    if part == 0:
        return doc.extraction.fields or {}
    parts = doc.extraction.parts or []
    return (parts[part - 1].get("fields") or {}) if 0 < part <= len(parts) else None


def _kind_of(doc: Document, part: int) -> str | None:
    if doc.extraction is None:
        return None
    if part == 0:
        return doc.extraction.kind
    parts = doc.extraction.parts or []
    return parts[part - 1].get("kind") if 0 < part <= len(parts) else None


def correct_field(session: Session, user: Principal, case: Case, document_id: int, field: str,
                  value: Any, part: int | None = None) -> FieldCorrection:
    """Store the clerk's value beside the machine's and verify the case again — one commit."""
    from extractors.kinds import FIELDS

    if case.state != "ready_for_review":
        raise IllegalTransition(case.state, "fields can be corrected only while the case is in review")
    doc = session.get(Document, document_id)
    if doc is None or doc.case_id != case.id:
        raise DocumentNotFound(f"document {document_id} is not part of case {case.id}")
    part = int(part or 0)
    machine = _machine_fields(doc, part)
    if machine is None:
        raise InvalidCorrection(f"document {document_id} has no reading{f' part {part}' if part else ''} to correct")
    known = set(machine) | set(FIELDS.get(_kind_of(doc, part) or "", ()))
    if field not in known:
        raise InvalidCorrection(f"document {document_id} has no field {field[:64]!r}")
    text = clean_text(value if isinstance(value, str) else ("" if value is None else str(value)))
    if not text:
        raise InvalidCorrection("a corrected value cannot be empty")
    row = session.execute(select(FieldCorrection).where(
        FieldCorrection.document_id == doc.id, FieldCorrection.part == part, FieldCorrection.field == field)
    ).scalar_one_or_none()
    if row is None:
        row = FieldCorrection(case_id=case.id, document_id=doc.id, part=part, field=field,
                              machine_value=(machine.get(field) or {}).get("value"), corrected_by=user.name)
        session.add(row)
    row.value = text
    row.corrected_by = user.name
    row.updated_at = utcnow()
    session.flush()
    audit.record(session, user.actor, "case.field_corrected", "case", case.id, document=doc.id, part=part,
                 field=field, value=mask_value(field, text))
    run_verification(session, case)
    session.commit()
    return row


def _open_errors(session: Session, case: Case) -> list[str]:
    return list(session.execute(select(Discrepancy.code).where(
        Discrepancy.case_id == case.id, Discrepancy.severity == "error")).scalars())


def decide(session: Session, user: Principal, case: Case, action: str, reason: str | None = None,
           override_reason: str | None = None) -> Case:
    """Approve, return (to the agent) or reject a case in review, with its reason — one commit.

    Approve is refused while an error-level discrepancy is open unless ``override_reason``
    says why; the override is recorded on the case and in the audit event, for auditors.
    """
    if action not in ACTIONS:
        raise InvalidDecision(f"action must be one of {', '.join(ACTIONS)}")
    if case.state != "ready_for_review":
        raise IllegalTransition(case.state, "only a case in review can be decided")
    reason, override = clean_text(reason), clean_text(override_reason)
    if action in ("return", "reject") and not reason:
        raise InvalidDecision(f"{action} needs a reason")
    if action == "approve":
        errors = _open_errors(session, case)
        if errors and not override:
            raise ApprovalBlocked(case.state, "open error-level discrepancies ("
                                  + ", ".join(sorted(set(errors))) + "): approve needs an override_reason")
        if not errors:
            override = ""
    case.decision = action
    case.decision_reason = reason or None
    case.override_reason = override or None
    case.decided_by = user.name
    case.decided_at = utcnow()
    transition(session, case, DECISION_STATE[action], user.actor, reason or None,
               override_reason=override or None)
    session.commit()
    return case
