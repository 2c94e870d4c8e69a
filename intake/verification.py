"""The bridge to ``verify``: a case's rows → a case file → ``Verification`` → rows.

``verify`` is pure (typed values in, typed discrepancies out); this module is the only
place that turns database rows into its inputs and its result back into rows. The
discrepancy rows are written from the typed ``Verification``; the JSON kept on the case
is that same object's ``to_dict()`` (it round-trips through ``Verification.from_dict``).
"""

from __future__ import annotations

import logging
import traceback
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from extractors.types import Extraction as ExtractionT, Field, Quality, QualityIssue
from intake import risk, risk_links
from intake.db.models import Case, Discrepancy, Document, FieldCorrection, Policy
from verify.masking import scrub
from verify import engine as verify_engine
from verify.requirements import default_rules
from verify.types import Verification, parse_case

__all__ = ["document_label", "case_file", "run_verification"]

log = logging.getLogger(__name__)


def document_label(doc: Document) -> str:
    """How a stored document is named in the case file and in discrepancies."""
    return f"documents/{doc.id}/{doc.filename}"


def _documents(session: Session, case: Case) -> list[Document]:
    return list(session.execute(
        select(Document).where(Document.case_id == case.id, Document.state != "withdrawn").order_by(Document.id)
        .options(selectinload(Document.extraction))
    ).scalars())


def case_file(session: Session, case: Case, docs: list[Document] | None = None) -> dict[str, Any]:
    """The case in CONTRACT's case-file shape (documents named by their labels)."""
    docs = _documents(session, case) if docs is None else docs
    return {
        "case_id": case.external_ref or f"C-{case.id:04d}",
        "type": case.type,
        "application_date": case.application_date or date.today().isoformat(),
        "policy": session.get(Policy, case.policy_no).to_record(),
        "requested": case.requested or {},
        "documents": [document_label(d) for d in docs],
        "uploaded_at": {document_label(d): d.created_at.isoformat() for d in docs if d.created_at},
    }


def _apply(ex: ExtractionT, corrections: list[FieldCorrection]) -> None:
    """The clerk's values replace the machine's in what ``verify`` sees (the rows keep both)."""
    for c in corrections:
        unit = ex if c.part == 0 else (ex.parts[c.part - 1] if 0 < c.part <= len(ex.parts) else None)
        if unit is None:
            continue
        old = unit.fields.get(c.field)
        unit.fields[c.field] = Field(value=c.value, confidence=1.0, box=old.box if old else None,
                                     page=old.page if old else 1, needs_review=False,
                                     raw=old.raw if old else None, reasons=["corrected"])


def _extraction_for(doc: Document, corrections: list[FieldCorrection] = ()) -> ExtractionT:
    """The stored reading with the clerk's corrections, or an unreadable placeholder for a
    document that failed."""
    if doc.state == "done" and doc.extraction is not None:
        ex = ExtractionT.from_dict(doc.extraction.result())
        ex.file = document_label(doc)
        _apply(ex, [c for c in corrections if c.document_id == doc.id])
        return ex
    return ExtractionT(
        file=document_label(doc), sha256=doc.sha256, kind="unreadable", kind_confidence=0.0,
        quality=Quality([QualityIssue("corrupt_file", "error",
                                      f"processing failed: {doc.failure_reason or 'unknown'}")]),
    )


def _store(session: Session, case: Case, result: Verification, by_label: dict[str, int]) -> None:
    case.verification = result.to_dict()
    for d in result.discrepancies:
        session.add(Discrepancy(
            case_id=case.id, code=d.code, severity=d.severity, field=d.field,
            expected=None if d.expected is None else str(d.expected),
            found=None if d.found is None else str(d.found),
            document_id=by_label.get((d.document or "").split("#", 1)[0]), message=d.message,
            other_case_id=d.other_case if isinstance(d.other_case, int) else None,
        ))


def run_verification(session: Session, case: Case) -> Verification | None:
    """Cross-check the case with ``verify.engine.verify`` and store the verdict.

    A failure is logged with its traceback and stored on the case (scrubbed of personal
    data); the case still reaches review, where the clerk sees the error. Runs inside the
    caller's transaction.
    """
    case.verification = None
    case.verification_error = None
    case.risk_score = None
    case.risk_parts = None
    for d in list(case.discrepancies):
        session.delete(d)
    session.flush()
    docs = _documents(session, case)
    corrections = list(session.execute(
        select(FieldCorrection).where(FieldCorrection.case_id == case.id)).scalars())
    rules = default_rules()
    try:
        file = parse_case(case_file(session, case, docs))
        result = verify_engine.verify(file, [_extraction_for(d, corrections) for d in docs], rules)
        result.discrepancies += risk_links.cross_case_warnings(session, case, docs, rules.risk)
        risk.score_case(session, case, file, result, rules.risk)
    except Exception as exc:
        log.exception("case %s: verification failed", case.id)
        case.verification_error = scrub(f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=8)}")[:8000]
        return None
    _store(session, case, result, {document_label(d): d.id for d in docs})
    if not corrections:  # what the machine alone said: discrepancy precision is measured against it
        case.machine_verification = case.verification
    session.flush()
    session.expire(case, ["discrepancies"])
    return result
