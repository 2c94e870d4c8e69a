"""Case lifecycle: create → upload (file, row, then enqueue) → documents read → verify → review.

    Case:     draft ──upload──▶ processing ──all documents done/failed──▶ ready_for_review
                                     ▲                                         │
                                     └──────────── another upload ─────────────┘
    Document: queued ─▶ processing ─▶ done
                  ▲          │
                  └─ retry ──┴──────▶ failed (after the last retry, with a reason)

Every state change commits together with its audit event (and its result, if any).
Domain errors are exceptions from this module; only ``intake.api`` maps them to HTTP.

    CaseError
    ├── PolicyNotFound       the case names a policy that is not on record
    ├── CaseNotFound         no such case, or not visible to this user
    ├── InvalidCaseType      not one of the 14 endorsement types
    └── DocumentNotFound
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from intake import audit
from intake.auth import Principal
from intake.db.models import Case, Discrepancy, Document, Extraction, Policy, utcnow
from intake.storage import FileStore
from intake.uploads import check_pixels, detect_type, sanitize_filename
from verify.types import ENDORSEMENT_TYPES

__all__ = [
    "CaseError", "PolicyNotFound", "CaseNotFound", "InvalidCaseType", "DocumentNotFound",
    "SYSTEM", "ENDORSEMENT_TYPES", "import_policies", "create_case", "get_case", "list_cases",
    "add_documents", "start_processing", "record_extraction", "record_failure", "finish_if_complete",
    "Upload",
]

log = logging.getLogger(__name__)

SYSTEM = "system"
READ_ALL_ROLES = ("clerk", "auditor", "admin")


class CaseError(Exception):
    pass


class PolicyNotFound(CaseError):
    pass


class CaseNotFound(CaseError):
    pass


class InvalidCaseType(CaseError):
    pass


class DocumentNotFound(CaseError):
    pass


# --------------------------------------------------------------------------- policies

_POLICY_COLUMNS = frozenset({"policy_no", "status", "product", "policyholder", "insured", "beneficiaries", "payment",
                             "sum_insured", "annual_premium"})


def import_policies(session: Session, records: Iterable[Any], actor: str) -> tuple[int, int]:
    """Insert or replace policy records (``verify.types.Policy`` objects); returns (created, updated)."""
    created = updated = 0
    for p in records:
        data = p.model_dump(mode="json")
        row = session.get(Policy, data["policy_no"])
        if row is None:
            row = Policy(policy_no=data["policy_no"])
            session.add(row)
            created += 1
        else:
            updated += 1
        row.status = data["status"]
        row.product = data.get("product")
        row.policyholder = data.get("policyholder") or {}
        row.insured = data.get("insured") or {}
        row.beneficiaries = data.get("beneficiaries") or []
        row.payment = data.get("payment") or {}
        row.sum_insured = data.get("sum_insured")
        row.annual_premium = data.get("annual_premium")
        row.extra = {k: v for k, v in data.items() if k not in _POLICY_COLUMNS}
    audit.record(session, actor, "policy.import", "policy", None, created=created, updated=updated)
    return created, updated


# --------------------------------------------------------------------------- cases


def create_case(session: Session, user: Principal, policy_no: str, type: str,
                requested: dict[str, Any] | None = None, application_date: str | None = None,
                external_ref: str | None = None) -> Case:
    if type not in ENDORSEMENT_TYPES:
        raise InvalidCaseType(f"unknown endorsement type {type!r}")
    if session.get(Policy, policy_no) is None:
        raise PolicyNotFound(f"policy {policy_no} is not on record; import it first")
    case = Case(policy_no=policy_no, type=type, requested=requested or {}, state="draft",
                created_by=user.id or None, external_ref=external_ref,
                application_date=application_date or date.today().isoformat())
    session.add(case)
    session.flush()
    audit.record(session, user.actor, "case.create", "case", case.id, policy_no=policy_no, type=type)
    return case


def _visible(user: Principal, case: Case) -> bool:
    return user.role in READ_ALL_ROLES or case.created_by == user.id


def get_case(session: Session, user: Principal, case_id: int) -> Case:
    """The case if ``user`` may see it; otherwise ``CaseNotFound`` (and, if it exists, an audit event)."""
    case = session.execute(
        select(Case).where(Case.id == case_id).options(
            selectinload(Case.documents).selectinload(Document.extraction),
            selectinload(Case.discrepancies),
        )
    ).scalar_one_or_none()
    if case is None:
        raise CaseNotFound(f"case {case_id} not found")
    if not _visible(user, case):
        audit.record(session, user.actor, "case.access_denied", "case", case_id)
        session.commit()
        raise CaseNotFound(f"case {case_id} not found")
    return case


def list_cases(session: Session, user: Principal, state: str | None = None, limit: int = 100,
               offset: int = 0) -> list[Case]:
    q = select(Case).options(selectinload(Case.policy), selectinload(Case.documents)).order_by(Case.id.desc())
    if user.role not in READ_ALL_ROLES:
        q = q.where(Case.created_by == user.id)
    if state:
        q = q.where(Case.state == state)
    return list(session.execute(q.limit(limit).offset(offset)).scalars())


# --------------------------------------------------------------------------- uploads


@dataclass
class Upload:
    filename: str | None
    data: bytes


def add_documents(session: Session, store: FileStore, user: Principal, case: Case, uploads: list[Upload],
                  enqueue: Callable[[int], Any] | None, max_pixels: int | None = None) -> list[Document]:
    """Validate every file, store it (fsync'd), commit the rows, and only then enqueue.

    Raises ``intake.uploads.UploadRejected`` before anything is stored if any file is
    refused (type from magic bytes; pixel count from the header when ``max_pixels``), and ``intake.storage.StorageFull`` with no row written if the disk is full.
    If enqueueing fails (Redis down) the documents stay ``queued`` and the reconciler
    enqueues them later; the upload itself has succeeded.
    """
    typed = [(u, detect_type(u.data)) for u in uploads]
    if max_pixels:
        for u, mime in typed:
            check_pixels(u.data, mime, max_pixels)
    docs: list[Document] = []
    for u, mime in typed:
        key = store.put(u.data)
        doc = Document(case_id=case.id, filename=sanitize_filename(u.filename, mime), sha256=key,
                       size=len(u.data), content_type=mime, state="queued", attempts=0)
        session.add(doc)
        docs.append(doc)
    session.flush()
    case.state = "processing"
    audit.record(session, user.actor, "document.upload", "case", case.id,
                 documents=[d.id for d in docs], sha256=[d.sha256[:16] for d in docs])
    session.commit()
    if enqueue is not None:
        for doc in docs:
            try:
                enqueue(doc.id)
            except Exception:
                log.exception("could not enqueue document %s; the reconciler will retry", doc.id)
    return docs


# --------------------------------------------------------------------------- processing


def _lock_document(session: Session, document_id: int) -> Document:
    doc = session.execute(select(Document).where(Document.id == document_id).with_for_update()).scalar_one_or_none()
    if doc is None:
        raise DocumentNotFound(f"document {document_id} not found")
    return doc


def start_processing(session: Session, document_id: int, max_attempts: int) -> Document | None:
    """Claim a document for one attempt. None when there is nothing to do: already done or
    failed, or attempts exhausted (then it is marked failed — a poison file does not loop)."""
    doc = _lock_document(session, document_id)
    if doc.state in ("done", "failed"):
        session.commit()
        return None
    if doc.attempts >= max_attempts:
        _fail(session, doc, f"gave up after {doc.attempts} attempts; the worker died while processing "
                            f"(last error: {doc.failure_reason or 'none recorded'})")
        finish_if_complete(session, doc.case_id)
        session.commit()
        return None
    doc.state = "processing"
    doc.attempts += 1
    session.commit()
    return doc


def record_extraction(session: Session, document_id: int, result: dict[str, Any],
                      verifier: Callable[[Session, Case], None] | None = None) -> Document:
    """Store the result (one row per document: a re-run replaces it), mark the document
    done, write the audit event and, if it was the case's last document, verify — one commit."""
    doc = _lock_document(session, document_id)
    late = doc.state == "failed"  # given up on (e.g. by the reconciler) while this attempt still ran
    ex = session.execute(select(Extraction).where(Extraction.document_id == doc.id)).scalar_one_or_none()
    if ex is None:
        ex = Extraction(document_id=doc.id)
        session.add(ex)
    ex.set_result(result)
    ex.created_at = utcnow()
    doc.state = "done"
    doc.failure_reason = None
    session.flush()
    audit.record(session, SYSTEM, "document.extracted", "document", doc.id, case=doc.case_id,
                 kind=ex.kind, quality_ok=bool(ex.quality.get("ok", False)), attempt=doc.attempts)
    finish_if_complete(session, doc.case_id, verifier, again=late)
    session.commit()
    return doc


def _fail(session: Session, doc: Document, reason: str) -> None:
    doc.state = "failed"
    doc.failure_reason = reason[:2000]
    audit.record(session, SYSTEM, "document.failed", "document", doc.id, case=doc.case_id,
                 reason=doc.failure_reason, attempts=doc.attempts)


def record_failure(session: Session, document_id: int, reason: str, final: bool,
                   verifier: Callable[[Session, Case], None] | None = None) -> Document:
    """An attempt failed. ``final``: mark the document failed and let the case move on;
    otherwise it goes back to ``queued`` with the reason, awaiting RQ's retry."""
    doc = _lock_document(session, document_id)
    if doc.state in ("done", "failed"):
        session.commit()
        return doc
    if final:
        _fail(session, doc, reason)
        finish_if_complete(session, doc.case_id, verifier)
    else:
        doc.state = "queued"
        doc.failure_reason = reason[:2000]
        audit.record(session, SYSTEM, "document.retry", "document", doc.id, case=doc.case_id,
                     reason=doc.failure_reason, attempts=doc.attempts)
    session.commit()
    return doc


def finish_if_complete(session: Session, case_id: int, verifier: Callable[[Session, Case], None] | None = None,
                       again: bool = False) -> bool:
    """If every document of the case is done or failed: verify and mark it ready_for_review.

    The case row is locked first, so two workers finishing its last two documents at
    once verify it once. ``again``: verify even if the case is already in review (a
    result arrived for a document given up on). Runs inside the caller's transaction.
    """
    case = session.execute(select(Case).where(Case.id == case_id).with_for_update()).scalar_one()
    docs = list(session.execute(select(Document).where(Document.case_id == case_id)).scalars())
    if not docs or any(d.state not in ("done", "failed") for d in docs):
        return False
    if case.state == "ready_for_review" and not again:
        return False
    (verifier or run_verification)(session, case)
    case.state = "ready_for_review"
    audit.record(session, SYSTEM, "case.ready_for_review", "case", case.id,
                 documents=len(docs), failed=sum(d.state == "failed" for d in docs),
                 discrepancies=len((case.verification or {}).get("discrepancies", [])),
                 verification="run" if case.verification else ("error" if case.verification_error else "not_run"))
    return True


# --------------------------------------------------------------------------- verification


def _label(doc: Document) -> str:
    return f"documents/{doc.id}/{doc.filename}"


def case_file(session: Session, case: Case) -> dict[str, Any]:
    """The case in CONTRACT's case-file shape (documents named by their labels)."""
    docs = list(session.execute(select(Document).where(Document.case_id == case.id).order_by(Document.id)).scalars())
    return {
        "case_id": case.external_ref or f"C-{case.id:04d}",
        "type": case.type,
        "application_date": case.application_date or date.today().isoformat(),
        "policy": session.get(Policy, case.policy_no).to_record(),
        "requested": case.requested or {},
        "documents": [_label(d) for d in docs],
    }


def _extraction_for(doc: Document):
    from extractors.types import Extraction as ExtractionT, Quality, QualityIssue

    if doc.state == "done" and doc.extraction is not None:
        ex = ExtractionT.from_dict(doc.extraction.result())
        ex.file = _label(doc)
        return ex
    return ExtractionT(
        file=_label(doc), sha256=doc.sha256, kind="unreadable", kind_confidence=0.0,
        quality=Quality([QualityIssue("corrupt_file", "error", f"processing failed: {doc.failure_reason or 'unknown'}")]),
    )


def run_verification(session: Session, case: Case) -> None:
    """Cross-check the case with ``verify.engine.verify`` and store the verdict.

    If the verify package has no engine yet, the case records that verification was not
    run. Any other failure is logged with its traceback and stored on the case; the case
    still reaches review (the clerk sees the error).
    """
    case.verification = None
    case.verification_error = None
    for d in list(case.discrepancies):
        session.delete(d)
    session.flush()
    try:
        from verify import engine as verify_engine
    except ModuleNotFoundError as exc:
        if exc.name not in ("verify.engine", "verify"):
            raise
        case.verification_error = "not run: the verify engine is not installed"
        log.warning("case %s: verification not run (verify.engine is missing)", case.id)
        return
    docs = list(session.execute(
        select(Document).where(Document.case_id == case.id).options(selectinload(Document.extraction))
    ).scalars())
    by_label = {_label(d): d.id for d in docs}
    try:
        from verify.types import parse_case

        vcase = parse_case(case_file(session, case))
        result = verify_engine.verify(vcase, [_extraction_for(d) for d in docs])
        out = result.to_dict()
    except Exception as exc:
        log.exception("case %s: verification failed", case.id)
        from intake.logs import scrub

        case.verification_error = scrub(f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=8)}")[:8000]
        return
    case.verification = out
    for d in out.get("discrepancies", []):
        session.add(Discrepancy(
            case_id=case.id, code=d.get("code", "unknown"), severity=d.get("severity", "warning"),
            field=d.get("field"), expected=_str(d.get("expected")), found=_str(d.get("found")),
            document_id=by_label.get(d.get("document") or ""), message=d.get("message"),
        ))
    session.flush()
    session.expire(case, ["discrepancies"])


def _str(v: Any) -> str | None:
    return None if v is None else str(v)
