"""Enqueue by document id, once; and a reconciler for documents whose job vanished.

* The job id is derived from the document id (``doc-<id>``) and enqueued with
  ``unique=True``: a second enqueue of a live job is refused by Redis atomically.
* Every job has an explicit timeout and ``Retry(max, interval)``; jobs carry the id only.
* ``reconcile()`` compares the database with Redis: a document still ``queued`` or
  ``processing`` whose job is gone (Redis flushed or restarted without persistence) or
  ended without the database hearing of it (work-horse killed on its last attempt) is
  enqueued again once, or marked failed when its attempts are used up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from redis import Redis
from rq import Queue, Retry
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job, JobStatus

from intake import defaults

__all__ = ["job_id_for", "document_id_for", "get_queue", "enqueue_document", "reconcile", "ReconcileReport",
           "PROCESS_DOCUMENT"]

log = logging.getLogger(__name__)

PROCESS_DOCUMENT = "queues.jobs.process_document"
_LIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED, JobStatus.CREATED}


def job_id_for(document_id: int) -> str:
    """The RQ job id of a document's processing job.

    >>> job_id_for(42)
    'doc-42'
    """
    return f"doc-{int(document_id)}"


def document_id_for(job_id: str) -> int | None:
    """The document id a job id names, or None.

    >>> document_id_for("doc-42"), document_id_for("other")
    (42, None)
    """
    if job_id.startswith("doc-") and job_id[4:].isdigit():
        return int(job_id[4:])
    return None


def get_queue(connection: Redis, name: str = defaults.QUEUE_NAME) -> Queue:
    return Queue(name, connection=connection)


def enqueue_document(queue: Queue, document_id: int, settings) -> Job | None:
    """Enqueue ``process_document(document_id)``; None when its job is already live."""
    retry = (Retry(max=settings.job_retry_max, interval=settings.retry_intervals)
             if settings.job_retry_max > 0 else None)
    job_id = job_id_for(document_id)
    try:
        job = queue.enqueue(
            PROCESS_DOCUMENT, int(document_id),
            job_id=job_id, unique=True, retry=retry,
            job_timeout=settings.job_timeout,
            result_ttl=defaults.JOB_RESULT_TTL, failure_ttl=defaults.JOB_FAILURE_TTL,
            description=f"process_document({job_id})",
        )
    except DuplicateJobError:
        log.info("job %s is already enqueued", job_id)
        return None
    log.info("enqueued %s", job_id)
    return job


def job_state(connection: Redis, job_id: str) -> str | None:
    """The RQ status of a job, or None when Redis has no such job."""
    try:
        return Job.fetch(job_id, connection=connection).get_status().value
    except NoSuchJobError:
        return None


@dataclass
class ReconcileReport:
    enqueued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    live: int = 0


def reconcile(runtime, grace: float = defaults.RECONCILE_GRACE) -> ReconcileReport:
    """One pass over unfinished documents older than ``grace`` seconds (see module doc)."""
    from sqlalchemy import select

    from intake import cases
    from intake.db.models import Document, utcnow

    report = ReconcileReport()
    settings = runtime.settings
    max_attempts = settings.job_retry_max + 1
    cutoff = utcnow() - timedelta(seconds=grace)
    with runtime.db.session() as session:
        rows = session.execute(
            select(Document.id, Document.attempts).where(
                Document.state.in_(("queued", "processing")), Document.updated_at <= cutoff)
        ).all()
    for doc_id, attempts in rows:
        job_id = job_id_for(doc_id)
        status = job_state(runtime.redis, job_id)
        if status in {s.value for s in _LIVE}:
            report.live += 1
            continue
        if attempts >= max_attempts:
            with runtime.db.session() as session:
                cases.record_failure(session, doc_id, f"gave up after {attempts} attempts; the job ended "
                                                      f"without a result (RQ status: {status or 'gone'})", final=True)
            report.failed.append(doc_id)
            continue
        if status is not None:  # finished/failed/stopped/canceled without the database hearing of it
            try:
                Job.fetch(job_id, connection=runtime.redis).delete()
            except NoSuchJobError:
                pass
        if enqueue_document(runtime.queue, doc_id, settings) is not None:
            report.enqueued.append(doc_id)
    if report.enqueued or report.failed:
        log.warning("reconciler: re-enqueued %s, failed %s", report.enqueued, report.failed)
    return report
