"""Domain errors of the case work, raised by ``intake``'s modules and turned into HTTP only
at the edge (``intake.app.ERROR_STATUS``).

    CaseError
    ├── PolicyNotFound       the case names a policy that is not on record      404
    ├── CaseNotFound         no such case, or not visible to this user           404
    ├── DocumentNotFound                                                         404
    ├── InvalidCaseType      not one of the 14 endorsement types                 422
    ├── InvalidDecision      unknown action, or return/reject without a reason    422
    ├── InvalidCorrection    a field the document lacks, or an empty value        422
    ├── DocumentBusy         a document still being read cannot be withdrawn     409
    └── IllegalTransition    the case's state does not allow it (names it)       409
        └── ApprovalBlocked  approve over an open error without an override     409
"""

from __future__ import annotations

__all__ = ["CaseError", "PolicyNotFound", "CaseNotFound", "DocumentNotFound", "InvalidCaseType",
           "InvalidDecision", "InvalidCorrection", "IllegalTransition", "ApprovalBlocked", "DocumentBusy"]


class CaseError(Exception):
    pass


class PolicyNotFound(CaseError):
    pass


class CaseNotFound(CaseError):
    pass


class DocumentNotFound(CaseError):
    pass


class InvalidCaseType(CaseError):
    pass


class InvalidDecision(CaseError):
    """An unknown action, or a return/reject without a reason."""


class InvalidCorrection(CaseError):
    """A field the document does not have, or an unusable value."""


class DocumentBusy(CaseError):
    """The document is still queued or being read."""


class IllegalTransition(CaseError):
    """The case's state does not allow this; ``state`` is the current one."""

    def __init__(self, state: str, message: str):
        super().__init__(f"{message} (case is {state})")
        self.state = state


class ApprovalBlocked(IllegalTransition):
    """Approve with an open error-level discrepancy and no override reason."""
