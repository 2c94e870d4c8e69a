"""RQ job functions. Arguments are ids only; everything else is read from the database.

``process_document`` is idempotent: a document already ``done`` is skipped, and the
result row is unique per document, so running it twice — or killing it after its commit
and running it again — leaves one result.
"""

from __future__ import annotations

import logging
import time

from intake import cases
from intake.logs import scrub
from intake.runtime import get_runtime

__all__ = ["process_document", "run_pipeline", "ProcessingFailed"]

log = logging.getLogger(__name__)


class ProcessingFailed(Exception):
    """Raised to RQ so it retries; its text (stored in Redis) holds no personal data."""


def run_pipeline(data: bytes, filename: str, engine_name: str):
    """bytes → ``Extraction`` through the one pipeline entry point, with the process's engine."""
    from extractors.ocr import get_engine
    from extractors.pipeline import extract

    return extract(data, filename, get_engine(engine_name))


def _is_last_attempt() -> bool:
    from rq import get_current_job

    job = get_current_job()
    return job is None or not job.retries_left


def process_document(document_id: int) -> str:
    rt = get_runtime()
    settings = rt.settings
    max_attempts = settings.job_retry_max + 1
    with rt.db.session() as session:
        doc = cases.start_processing(session, document_id, max_attempts)
        if doc is None:
            log.info("document %s: nothing to do", document_id)
            return "skipped"
        sha, filename, attempt = doc.sha256, doc.filename, doc.attempts
    t0 = time.perf_counter()
    try:
        data = rt.store.get(sha)
        extraction = run_pipeline(data, filename, settings.ocr_engine)
        result = extraction.to_dict(with_lines=True)
    except Exception as exc:
        final = _is_last_attempt()
        reason = scrub(f"{type(exc).__name__}: {exc}")
        log.exception("document %s attempt %s failed%s", document_id, attempt, " (final)" if final else "")
        with rt.db.session() as session:
            cases.record_failure(session, document_id, reason, final=final)
        if final:
            return "failed"
        raise ProcessingFailed(f"document {document_id} attempt {attempt} failed ({type(exc).__name__})") from None
    with rt.db.session() as session:
        cases.record_extraction(session, document_id, result)
    log.info("document %s done in %.0f ms (kind %s)", document_id, (time.perf_counter() - t0) * 1000, result.get("kind"))
    return "done"
