"""The case state machine: which moves are legal, and the one audit event each move writes.

    draft ──upload──▶ processing ──documents read──▶ ready_for_review ──▶ approved
                          ▲                             │   │   └──────▶ rejected
                          │                             │   └─ upload ─▶ processing
                          └──── agent resubmits ◀── returned ◀┘

Every transition is one audit event (``case.<new state>``: who, from, to, reason) in the
caller's transaction; an illegal one raises ``IllegalTransition`` naming the current state.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from intake import audit
from intake.db.models import Case
from intake.errors import IllegalTransition

__all__ = ["TRANSITIONS", "transition"]

TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"processing"}),
    "processing": frozenset({"ready_for_review"}),
    "ready_for_review": frozenset({"approved", "returned", "rejected", "processing"}),
    "returned": frozenset({"processing"}),
    "approved": frozenset(),
    "rejected": frozenset(),
}


def transition(session: Session, case: Case, to: str, actor: str, reason: str | None = None,
               **details: Any) -> None:
    """Move ``case`` to ``to`` with its audit event (the caller commits), or raise."""
    if to not in TRANSITIONS.get(case.state, frozenset()):
        raise IllegalTransition(case.state, f"cannot move a case from {case.state} to {to}")
    before = case.state
    case.state = to
    audit.record(session, actor, f"case.{to}", "case", case.id, **{"from": before, "to": to, "reason": reason},
                 **details)
