"""The document job: what RQ runs by name, the document state machine, the reconciler.

    Document: queued ─▶ processing ─▶ done
                  ▲          │
                  └─ retry ──┴──────▶ failed (after the last attempt, with a reason)

``queues`` only delivers ids; this module owns what a delivery means. Every state change
commits together with its audit event (and its result, if any). ``process_document`` is
idempotent: a document already ``done`` is skipped, and the result row is unique per
document, so running it twice — or killing it after its commit and running it again —
leaves one result. When a case's last document is done or failed the case is verified
(``intake.verification``) and moves to ``ready_for_review`` in the same commit.
"""

from __future__ import annotations

import io
import logging
import os
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

from redis.exceptions import LockError
from sqlalchemy import select
from sqlalchemy.orm import Session

from intake import audit, defaults
from intake.audit import SYSTEM
from intake.db.models import Case, Document, Extraction, utcnow
from intake.runtime import get_runtime
from intake.errors import DocumentNotFound
from intake.transitions import transition
from verify.masking import scrub
from intake.verification import run_verification
from queues.enqueue import LIVE_STATES, delete_job, document_id_for, enqueue_document, job_id_for, job_state
from verify.requirements import default_rules

__all__ = ["PROCESS_DOCUMENT", "process_document", "run_pipeline", "ProcessingFailed", "start_processing",
           "record_extraction", "record_failure", "finish_if_complete", "reconcile", "ReconcileReport",
           "warm_up_engine", "maybe_auto_approve", "recover_orphan"]

log = logging.getLogger(__name__)

#: The dotted name RQ imports in the work-horse (jobs carry this name and a document id);
#: ``intake.defaults.PROCESS_DOCUMENT`` spells it for the settings, a test holds them equal.
PROCESS_DOCUMENT = f"{__name__}.process_document"

Verifier = Callable[[Session, Case], Any]


class ProcessingFailed(Exception):
    """Raised to RQ so it retries; its text (stored in Redis) holds no personal data."""


# --------------------------------------------------------------------------- state machine


def _lock_document(session: Session, document_id: int) -> Document:
    doc = session.execute(select(Document).where(Document.id == document_id).with_for_update()).scalar_one_or_none()
    if doc is None:
        raise DocumentNotFound(f"document {document_id} not found")
    return doc


def start_processing(session: Session, document_id: int, max_attempts: int) -> Document | None:
    """Claim a document for one attempt. None when there is nothing to do: already done or
    failed, or attempts exhausted (then it is marked failed — a poison file does not loop)."""
    doc = _lock_document(session, document_id)
    if doc.state in ("done", "failed", "withdrawn"):
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
                      verifier: Verifier | None = None) -> Document:
    """Store the result (one row per document: a re-run replaces it), mark the document
    done, write the audit event and, if it was the case's last document, verify — one commit."""
    doc = _lock_document(session, document_id)
    if doc.state == "withdrawn":  # the agent took it back while this attempt ran: nothing to record
        session.commit()
        return doc
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
                   verifier: Verifier | None = None) -> Document:
    """An attempt failed. ``final``: mark the document failed and let the case move on;
    otherwise it goes back to ``queued`` with the reason, awaiting RQ's retry."""
    doc = _lock_document(session, document_id)
    if doc.state in ("done", "failed", "withdrawn"):
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


def finish_if_complete(session: Session, case_id: int, verifier: Verifier | None = None,
                       again: bool = False) -> bool:
    """If every document of a processing case is done or failed: verify it and move it to
    ready_for_review (and on to approved, where the type allows straight-through).

    The case row is locked first, so two workers finishing its last two documents at
    once verify it once. ``again``: verify even if the case is already in review (a
    result arrived for a document given up on). A draft, returned or decided case is left
    where it is: its documents are read, but only the agent's submit moves it on. Runs
    inside the caller's transaction.
    """
    case = session.execute(select(Case).where(Case.id == case_id).with_for_update()).scalar_one()
    docs = list(session.execute(select(Document).where(Document.case_id == case_id,
                                                       Document.state != "withdrawn")).scalars())
    if not docs or any(d.state not in ("done", "failed") for d in docs):
        return False
    if not (case.state == "processing" or (again and case.state == "ready_for_review")):
        return False
    (verifier or run_verification)(session, case)
    details = dict(documents=len(docs), failed=sum(d.state == "failed" for d in docs),
                   discrepancies=len((case.verification or {}).get("discrepancies", [])),
                   verification="run" if case.verification else ("error" if case.verification_error else "not_run"))
    if case.state == "processing":
        transition(session, case, "ready_for_review", SYSTEM, "every document read", **details)
    else:
        audit.record(session, SYSTEM, "case.ready_for_review", "case", case.id,
                     **{"from": case.state, "to": case.state, "reason": "verified again"}, **details)
    maybe_auto_approve(session, case)
    return True


# --------------------------------------------------------------------------- straight-through


def maybe_auto_approve(session: Session, case: Case) -> bool:
    """Approve as ``system`` when the type allows it and nothing at all is open.

    Every required document present (no ``document_missing``), no discrepancy of any
    severity, no failed document, and no field (of a document or of its parts) needing
    review. Runs inside the caller's transaction, right after the case reached review.
    """
    rules = default_rules().types.get(case.type)
    if rules is None or not rules.auto_approve or case.state != "ready_for_review":
        return False
    v = case.verification or {}
    if not v or v.get("discrepancies") or v.get("missing_documents"):
        return False
    docs = list(session.execute(select(Document).where(Document.case_id == case.id,
                                                       Document.state != "withdrawn")).scalars())
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


# --------------------------------------------------------------------------- the job body


def run_pipeline(data: bytes, filename: str, engine_name: str, model_root: Path):
    """bytes → ``Extraction`` through the one pipeline entry point, with the process's engine."""
    from extractors.ocr import get_engine
    from extractors.pipeline import extract

    return extract(data, filename, get_engine(engine_name, model_root))


def _is_last_attempt() -> bool:
    from rq import get_current_job

    job = get_current_job()
    return job is None or not job.retries_left


def process_document(document_id: int) -> str:
    """The RQ job (``PROCESS_DOCUMENT``): read one stored document and record the result."""
    rt = get_runtime()
    settings = rt.settings
    with rt.db.session() as session:
        doc = start_processing(session, document_id, settings.job_policy.max_attempts)
        if doc is None:
            log.info("document %s: nothing to do", document_id)
            return "skipped"
        sha, filename, attempt = doc.sha256, doc.filename, doc.attempts
    t0 = time.perf_counter()
    try:
        data = rt.store.get(sha)
        extraction = run_pipeline(data, filename, settings.ocr_engine, settings.models_dir)
        result = extraction.to_dict(with_lines=True)
    except Exception as exc:
        final = _is_last_attempt()
        reason = scrub(f"{type(exc).__name__}: {exc}")
        log.exception("document %s attempt %s failed%s", document_id, attempt, " (final)" if final else "")
        with rt.db.session() as session:
            record_failure(session, document_id, reason, final=final)
        if final:
            return "failed"
        raise ProcessingFailed(f"document {document_id} attempt {attempt} failed ({type(exc).__name__})") from None
    with rt.db.session() as session:
        record_extraction(session, document_id, result)
    log.info("document %s done in %.0f ms (kind %s)", document_id, (time.perf_counter() - t0) * 1000, result.get("kind"))
    return "done"


# --------------------------------------------------------------------------- reconciler


@dataclass
class ReconcileReport:
    enqueued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    live: int = 0
    skipped: bool = False  # another reconciler held the lock: this pass did nothing


RECONCILE_LOCK = "baoquan:reconcile-lock"


def reconcile(runtime, grace: float | None = None) -> ReconcileReport:
    """One pass over unfinished documents older than ``grace`` seconds.

    A document still ``queued`` or ``processing`` whose job is gone (Redis flushed or
    restarted without persistence) or ended without the database hearing of it (a
    work-horse killed on its last attempt) is enqueued again once, or marked failed when
    its attempts are used up. A job RQ still reports live is left alone. One pass runs at a
    time across every process and host (a Redis lock with a timeout, so a pass that dies
    frees it): ``baoquan serve``'s background pass and ``baoquan reconcile`` never race.
    """
    lock = runtime.redis.lock(RECONCILE_LOCK, timeout=defaults.RECONCILE_LOCK_TTL, blocking=False)
    if not lock.acquire():
        log.info("reconciler: another pass holds the lock; skipped")
        return ReconcileReport(skipped=True)
    try:
        return _reconcile(runtime, defaults.RECONCILE_GRACE if grace is None else grace)
    finally:
        try:
            lock.release()
        except LockError:  # it expired during a very long pass: nothing to release
            log.warning("reconciler: the lock expired before the pass ended")


def _reconcile(runtime, grace: float) -> ReconcileReport:
    report = ReconcileReport()
    cutoff = utcnow() - timedelta(seconds=grace)
    with runtime.db.session() as session:
        rows = session.execute(
            select(Document.id, Document.attempts).where(
                Document.state.in_(("queued", "processing")), Document.updated_at <= cutoff)
        ).all()
    for doc_id, attempts in rows:
        _reconcile_one(runtime, doc_id, attempts, report)
    if report.enqueued or report.failed:
        log.warning("reconciler: re-enqueued %s, failed %s", report.enqueued, report.failed)
    return report


def _reconcile_one(runtime, doc_id: int, attempts: int, report: ReconcileReport) -> None:
    policy = runtime.settings.job_policy
    job_id = job_id_for(doc_id)
    status = job_state(runtime.redis, job_id)
    if status in LIVE_STATES:
        report.live += 1
        return
    if attempts >= policy.max_attempts:
        with runtime.db.session() as session:
            record_failure(session, doc_id, f"gave up after {attempts} attempts; the job ended "
                                            f"without a result (RQ status: {status or 'gone'})", final=True)
        report.failed.append(doc_id)
        return
    if status is not None:  # finished/failed/stopped/canceled without the database hearing of it
        delete_job(runtime.redis, job_id)
    if enqueue_document(runtime.queue, doc_id, policy) is not None:
        report.enqueued.append(doc_id)


def recover_orphan(job_id: str) -> ReconcileReport:
    """A worker died holding this job (``queues.worker.sweep_orphans`` dropped it from RQ):
    enqueue its document again at once, or fail it when its attempts are used up."""
    report = ReconcileReport()
    doc_id = document_id_for(job_id)
    if doc_id is None:
        return report
    rt = get_runtime()
    with rt.db.session() as session:
        row = session.execute(select(Document.state, Document.attempts).where(Document.id == doc_id)).first()
    if row is not None and row.state in ("queued", "processing"):
        _reconcile_one(rt, doc_id, row.attempts, report)
        log.warning("document %s: its worker died; re-enqueued %s, failed %s", doc_id, report.enqueued, report.failed)
    return report


# --------------------------------------------------------------------------- worker preload

WARMUP_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _warmup_image() -> bytes:
    """A card-sized PNG with a few text lines (CJK when the Noto font is installed)."""
    from PIL import Image, ImageDraw, ImageFont

    cjk = Path(WARMUP_FONT).exists()
    font = ImageFont.truetype(WARMUP_FONT, 40) if cjk else ImageFont.load_default(size=40)
    lines = ("姓名 预热", "性别 男 民族 汉", "住址 北京市东城区 1 号") if cjk else ("WARM UP", "0123456789", "ABCDEF")
    im = Image.new("RGB", (1000, 630), (235, 235, 228))
    d = ImageDraw.Draw(im)
    for i, text in enumerate(lines):
        d.text((60, 80 + 140 * i), text, font=font, fill=(20, 20, 20))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def warm_up_engine(name: str, model_root: Path):
    """Construct the process-wide engine and run the whole pipeline once; returns the engine.

    The worker's preload: one full run (not just the engine on a blank image) matters for
    forked work-horses: ONNX Runtime sizes its buffers and the pipeline initialises lazily
    on first use, and a child's warm-up is lost when it exits. Measured on the 2-core dev
    box (load ~8): a forked child's pipeline took 3.6–4.0 s after a blank-image warm-up,
    1.6 s after this one.
    """
    from extractors.ocr import get_engine
    from extractors.pipeline import extract

    engine = get_engine(name, model_root)
    quiet = logging.getLogger("RapidOCR")
    was = quiet.disabled
    quiet.disabled = True
    try:
        extract(_warmup_image(), "warmup.png", engine)
    finally:
        quiet.disabled = was
    log.info("OCR engine %s loaded in worker %s", name, os.getpid())
    return engine
