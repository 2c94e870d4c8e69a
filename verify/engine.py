"""``verify(case, extractions, rules)``: the one entry point of the package. Pure.

The result's ``status`` is always ``ready_for_review`` once the documents have been
processed: discrepancies inform the clerk, they do not block the case.
"""

from __future__ import annotations

from extractors.types import Extraction
from verify.checks import CHECKS, Check
from verify.context import build_context
from verify.prefill import compute_prefill
from verify.requirements import Rules, default_rules
from verify.types import Case, Discrepancy, Verification

__all__ = ["verify", "READY_FOR_REVIEW"]

READY_FOR_REVIEW = "ready_for_review"


def verify(case: Case, extractions: list[Extraction], rules: Rules | None = None,
           checks: tuple[Check, ...] = CHECKS) -> Verification:
    """Cross-check ``extractions`` (one per case document, in order) against ``case``.

    Each extraction's ``file`` is reported as the document path; callers set it to the
    path as written in the case file.
    """
    rules = rules or default_rules()
    ctx = build_context(case, extractions, rules)
    found: list[Discrepancy] = []
    seen: set[tuple] = set()
    for check in checks:
        for d in check(ctx):
            key = (d.code, d.field, d.document, d.expected, d.found)
            if key not in seen:
                seen.add(key)
                found.append(d)
    missing: list[str] = []
    for req in ctx.requirements:
        if not req.satisfied:
            label = "|".join(req.kinds)
            if label not in missing:
                missing.append(label)
    return Verification(
        case_id=case.case_id,
        status=READY_FOR_REVIEW,
        documents=[ex.to_dict(with_lines=False) for ex in extractions],
        prefill=compute_prefill(ctx),
        missing_documents=missing,
        discrepancies=found,
        rules_version=rules.version,
        type=case.type,
    )
