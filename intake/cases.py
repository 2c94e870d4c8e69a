"""Cases: policy import, create, read, list, and uploads (file, row, then enqueue).

    Case:     draft ──upload──▶ processing ──all documents done/failed──▶ ready_for_review
                                     ▲                                         │
                                     └──────────── another upload ─────────────┘

What happens to a document once enqueued is ``intake.processing``'s (the job body and the
document state machine); the cross-check is ``intake.verification``'s.
Every state change commits together with its audit event.
Domain errors are ``intake.errors``' exceptions; only the edge maps them to HTTP.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from intake import audit
from intake.auth import Principal
from intake.errors import CaseNotFound, DocumentBusy, DocumentNotFound, IllegalTransition, InvalidCaseType, PolicyNotFound
from intake.processing import finish_if_complete
from intake.transitions import transition
from intake.db.models import Case, Document, Policy
from intake.storage import FileStore, StorageError, sha256_hex
from intake.uploads import check_pixels, detect_type, sanitize_filename
from verify.types import ENDORSEMENT_TYPES

__all__ = [
    "import_policies", "create_case", "get_case", "list_cases",
    "add_documents", "withdraw_document", "Upload",
]

log = logging.getLogger(__name__)

READ_ALL_ROLES = ("clerk", "admin")  # auditors see cases only through their samples (blind)


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

    A draft case starts processing at once (its documents are read while the agent is still
    at the table); a returned case stays returned until the agent resubmits; a decided case
    takes no documents (``IllegalTransition``).
    Raises ``intake.uploads.UploadRejected`` before anything is stored if any file is
    refused (type from magic bytes; pixel count from the header when ``max_pixels``), and
    ``intake.storage.StorageFull`` / ``StorageUnavailable`` with no row written if the store
    is full or does not answer: every file is stored before any row is flushed, and the
    files this upload wrote are removed again if any later step fails.
    If enqueueing fails (Redis down) the documents stay ``queued`` and the reconciler
    enqueues them later; the upload itself has succeeded.
    """
    if case.state in ("approved", "rejected"):
        raise IllegalTransition(case.state, "a decided case takes no more documents")
    typed = [(u, detect_type(u.data)) for u in uploads]
    if max_pixels:
        for u, mime in typed:
            check_pixels(u.data, mime, max_pixels)
    docs: list[Document] = []
    written: list[str] = []  # files this upload wrote (content-addressed: others may exist already)
    try:
        for u, mime in typed:
            fresh = not store.exists(sha256_hex(u.data))
            key = store.put(u.data)
            if fresh:
                written.append(key)
            doc = Document(case_id=case.id, filename=sanitize_filename(u.filename, mime), sha256=key,
                           size=len(u.data), content_type=mime, state="queued", attempts=0)
            session.add(doc)
            docs.append(doc)
        session.flush()
        audit.record(session, user.actor, "document.upload", "case", case.id,
                     documents=[d.id for d in docs], sha256=[d.sha256[:16] for d in docs])
        if case.state in ("draft", "ready_for_review"):  # a returned case waits for the agent's submit
            transition(session, case, "processing", user.actor, "documents uploaded")
        session.commit()
    except Exception:
        # no file without its row: a later file, the database or the store refused, so the bytes go too
        session.rollback()
        for key in written:
            try:
                store.delete(key)
            except StorageError:  # the store went away too: an unreferenced file is harmless; the cause is raised
                log.exception("could not remove stored file %s… after a failed upload", key[:12])
        raise
    if enqueue is not None:
        for doc in docs:
            try:
                enqueue(doc.id)
            except Exception:
                log.exception("could not enqueue document %s; the reconciler will retry", doc.id)
    return docs


def withdraw_document(session: Session, user: Principal, case: Case, document_id: int) -> Document:
    """The agent takes back a photo (a retake replaces it) while the case is theirs to change.

    Only in a draft or returned case, and only once the document has been read (a document
    still queued or being read raises ``DocumentBusy``). The row and the file stay, for the
    audit trail; the document is no longer part of the case's verification.
    """
    if case.state not in ("draft", "returned", "processing"):
        raise IllegalTransition(case.state, "documents can be withdrawn only before the clerk decides")
    doc = session.get(Document, document_id)
    if doc is None or doc.case_id != case.id or doc.state == "withdrawn":
        raise DocumentNotFound(f"document {document_id} is not part of case {case.id}")
    if doc.state not in ("done", "failed"):
        raise DocumentBusy(f"document {document_id} is still being read; withdraw it once it is")
    before = doc.state
    doc.state = "withdrawn"
    audit.record(session, user.actor, "document.withdrawn", "document", doc.id, case=case.id, was=before)
    session.flush()
    if case.state == "processing":
        finish_if_complete(session, case.id)  # the withdrawn one may have been the last unread
    session.commit()
    return doc
