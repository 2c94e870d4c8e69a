"""Building discrepancies: masking, evidence (box/page) and the needs_review policy.

Severity policy (documented here because every check relies on it): a discrepancy that a
document field triggered is still reported when the extractor marked that field
``needs_review`` — an uncertain reading may still be a real problem — but its severity is
lowered to ``rules.uncertain_severity`` (``warning`` by default), it carries
``uncertain: true``, and its message ends with "（识别结果不确定，请核对原件）". Record-only
discrepancies (policy status, missing documents) are never lowered. Nor is a discrepancy
whose field needs review only *because of* what the discrepancy reports: an ID or card
number the extractor flagged for a failed check digit or impossible length
(``Field.reasons`` ⊆ ``VALIDATION_REASONS``) is ``id_number_invalid``/``bank_card_invalid``
at full severity — that reading is not in doubt, the number is.
"""

from __future__ import annotations

from typing import Any

from extractors.types import Field
from verify.codes import DISCREPANCIES, RISK_WARNINGS
from verify.context import Context, Doc
from verify.masking import mask_value, scrub
from verify.types import ERROR, WARNING, Discrepancy

__all__ = ["make", "warn", "UNCERTAIN_NOTE", "VALIDATION_REASONS", "show"]

#: Extractor reason codes that mean "the value read fails validation" (extractors.normalize).
VALIDATION_REASONS = frozenset({"checksum_failed", "wrong_length", "invalid_length", "invalid_format",
                                "invalid_component", "invalid"})

UNCERTAIN_NOTE = "（识别结果不确定，请核对原件）"


def show(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, (list, tuple)):
        return "、".join(str(x) for x in v)
    return str(v)


def make(ctx: Context, code: str, field: str, message: str, *, expected: Any = None,
         found: Any = None, doc: Doc | None = None, source: Field | None = None,
         severity: str = ERROR, mask_as: str | None = None,
         explained_by: frozenset[str] = frozenset()) -> Discrepancy:
    """A discrepancy with masked expected/found and the evidence of ``source`` in ``doc``.

    ``mask_as`` names the field whose masking applies (default: ``field`` itself), e.g.
    ``"id_number"`` when ``field`` is a party path. ``explained_by``: reason codes that, if
    they are all the source field's reasons, do not make the reading uncertain.
    ``code`` is one of ``verify.codes.DISCREPANCY_CODES``; any other is a programming error.
    """
    if code not in DISCREPANCIES:
        raise ValueError(f"unknown discrepancy code {code!r}: add it to verify/codes.py first")
    exp, fnd = _masked(mask_as or field, expected, found)
    uncertain = bool(source is not None and source.needs_review)
    if uncertain and explained_by and source is not None and source.reasons \
            and set(source.reasons) <= explained_by:
        uncertain = False
    if uncertain:
        severity = ctx.rules.uncertain_severity
        message = message + UNCERTAIN_NOTE
    return Discrepancy(
        code=code, severity=severity, field=field, message=scrub(message), expected=exp, found=fnd,
        document=doc.file if doc is not None else None,
        box=source.box if source is not None and source.box else None,
        page=source.page if source is not None else None,
        uncertain=uncertain,
    )


def _masked(key: str, expected: Any, found: Any) -> tuple[Any, Any]:
    """The evidence pair as shown: each side masked by the field it speaks of."""
    return (mask_value(key, show(expected)) if expected is not None else None,
            mask_value(key, show(found)) if found is not None else None)


def warn(code: str, field: str, message: str, *, expected: Any = None, found: Any = None,
         document: str | None = None, source: Field | None = None, mask_as: str | None = None,
         other_case: int | str | None = None) -> Discrepancy:
    """A risk warning (severity ``warning``, never an error): masked like ``make``'s evidence,
    ``uncertain`` when the reading behind it needs review, ``other_case`` where there is one.

    ``code`` is one of ``verify.codes.RISK_WARNING_CODES``; any other is a programming error.
    It needs no context, so the service's cross-case warnings are built the same way.
    """
    if code not in RISK_WARNINGS:
        raise ValueError(f"unknown risk warning {code!r}: add it to verify/codes.py first")
    exp, fnd = _masked(mask_as or field, expected, found)
    uncertain = bool(source is not None and source.needs_review)
    if uncertain:
        message = message + UNCERTAIN_NOTE
    return Discrepancy(
        code=code, severity=WARNING, field=field, message=scrub(message), expected=exp, found=fnd,
        document=document, box=source.box if source is not None and source.box else None,
        page=source.page if source is not None else None, uncertain=uncertain, other_case=other_case,
    )
