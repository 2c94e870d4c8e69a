"""The checks, in the order they run. Each is ``check_…(ctx: Context) -> list[Discrepancy]``,
pure, reading only the context (verify.context) and the rules it carries.

Topic modules: ``status``, ``documents``, ``identity``, ``bank``, ``income``,
``relationship``, ``seal``; then the risk warnings a case file shows: ``consistency``
(documents against each other) and ``metadata`` (what each file says of itself). Add a
check by writing the function and listing it here.
"""

from __future__ import annotations

from collections.abc import Callable

from verify.checks.bank import check_bank_card, check_requested_holder
from verify.checks.consistency import check_cross_document, check_relationship_documents
from verify.checks.documents import (
    check_documents_missing,
    check_documents_unexpected,
    check_documents_unreadable,
)
from verify.checks.identity import check_id_expiry, check_identity
from verify.checks.income import check_income
from verify.checks.metadata import check_file_metadata
from verify.checks.relationship import check_divorce, check_relationship
from verify.checks.seal import check_seals
from verify.checks.status import check_policy_status
from verify.context import Context
from verify.types import Discrepancy

__all__ = ["CHECKS", "Check"]

Check = Callable[[Context], list[Discrepancy]]

CHECKS: tuple[Check, ...] = (
    check_policy_status,
    check_documents_missing,
    check_documents_unreadable,
    check_documents_unexpected,
    check_identity,
    check_id_expiry,
    check_bank_card,
    check_requested_holder,
    check_income,
    check_seals,
    check_relationship,
    check_divorce,
    check_cross_document,
    check_relationship_documents,
    check_file_metadata,
)
