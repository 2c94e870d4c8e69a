"""The case lifecycle after upload: submit, clerk corrections and decisions, straight-through.

    draft ──upload──▶ processing ──documents read──▶ ready_for_review ──▶ approved
                          ▲                             │   │   └──────▶ rejected
                          │                             │   └─ upload ─▶ processing
                          └──── agent resubmits ◀── returned ◀┘

Every transition is one audit event (``case.<new state>``: who, from, to, reason) written
in the same transaction as the change, and an illegal one raises ``IllegalTransition``
(HTTP 409 naming the current state). A clerk's correction is stored beside the machine's
reading (``FieldCorrection``; the extraction row is never changed) and the case is verified
again at once with the corrected values.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import audit
from intake.auth import Principal
from intake.cases import SYSTEM, CaseError, DocumentNotFound
from intake.db.models import Case, Discrepancy, Document, FieldCorrection, utcnow
from verify.masking import mask_value

__all__ = ["TRANSITIONS", "IllegalTransition", "ApprovalBlocked", "InvalidDecision", "InvalidCorrection",
           "transition", "submit", "decide", "correct_field", "ACTIONS", "DECISION_STATE", "maybe_auto_approve",
           "corrections_for"]

TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"processing"}),
    "processing": frozenset({"ready_for_review"}),
    "ready_for_review": frozenset({"approved", "returned", "rejected", "processing"}),
    "returned": frozenset({"processing"}),
    "approved": frozenset(),
    "rejected": frozenset(),
}
ACTIONS = ("approve", "return", "reject")
DECISION_STATE = {"approve": "approved", "return": "returned", "reject": "rejected"}
MAX_TEXT = 2000  # characters kept of a reason or a corrected value


class IllegalTransition(CaseError):
    """The case's state does not allow this; ``state`` is the current one (HTTP 409)."""

    def __init__(self, state: str, message: str):
        super().__init__(f"{message} (case is {state})")
        self.state = state


class ApprovalBlocked(IllegalTransition):
    """Approve with an open error-level discrepancy and no override reason (HTTP 409)."""


class InvalidDecision(CaseError):
    """An unknown action, or a return/reject without a reason (HTTP 422)."""


class InvalidCorrection(CaseError):
    """A field the document does not have, or an unusable value (HTTP 422)."""


def _clean(text: str | None) -> str:
    """Text as stored: control characters dropped (bidi marks too), trimmed, bounded."""
    text = "".join(c for c in (text or "") if unicodedata.category(c) not in ("Cc", "Cf") or c in "\n\t")
    return text.strip()[:MAX_TEXT]


def transition(session: Session, case: Case, to: str, actor: str, reason: str | None = None,
               **details: Any) -> None:
    """Move ``case`` to ``to`` with its audit event (the caller commits), or raise."""
    if to not in TRANSITIONS.get(case.state, frozenset()):
        raise IllegalTransition(case.state, f"cannot move a case from {case.state} to {to}")
    before = case.state
    case.state = to
    audit.record(session, actor, f"case.{to}", "case", case.id, **{"from": before, "to": to, "reason": reason},
                 **details)


# --------------------------------------------------------------------------- agent


def submit(session: Session, user: Principal, case: Case) -> Case:
    """The agent hands the case in: its documents go to processing (a returned case comes back).

    A case whose upload already started processing is marked submitted and stays where it is;
    an approved or rejected case, or one without documents, cannot be submitted.
    """
    from intake.processing import finish_if_complete

    if case.state in ("approved", "rejected"):
        raise IllegalTransition(case.state, "a decided case cannot be submitted")
    docs = list(session.execute(select(Document.id).where(Document.case_id == case.id)).scalars())
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
    from intake.verification import run_verification

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
    text = _clean(value if isinstance(value, str) else ("" if value is None else str(value)))
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
    reason, override = _clean(reason), _clean(override_reason)
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


# --------------------------------------------------------------------------- straight-through


def maybe_auto_approve(session: Session, case: Case) -> bool:
    """Approve as ``system`` when the type allows it and nothing at all is open.

    Every required document present (no ``document_missing``), no discrepancy of any
    severity, no failed document, and no field (of a document or of its parts) needing
    review. Runs inside the caller's transaction, right after the case reached review.
    """
    from verify.requirements import default_rules

    rules = default_rules().types.get(case.type)
    if rules is None or not rules.auto_approve or case.state != "ready_for_review":
        return False
    v = case.verification or {}
    if not v or v.get("discrepancies") or v.get("missing_documents"):
        return False
    docs = list(session.execute(select(Document).where(Document.case_id == case.id)).scalars())
    for d in docs:
        if d.state != "done" or d.extraction is None:
            return False
        units = [d.extraction.fields or {}] + [p.get("fields") or {} for p in (d.extraction.parts or [])]
        if any(f.get("needs_review") for fields in units for f in fields.values()):
            return False
    case.decision = "approve"
    case.decision_reason = "straight-through: every document present, nothing to review"
    case.decided_by = SYSTEM
    case.decided_at = utcnow()
    transition(session, case, "approved", SYSTEM, case.decision_reason, auto_approved=True)
    return True
