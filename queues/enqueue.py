"""Enqueue by document id, once, with an explicit timeout and retry policy.

* The job id is derived from the document id (``doc-<id>``) and enqueued with
  ``unique=True``: a second enqueue of a live job is refused by Redis atomically.
* Every job has an explicit timeout and ``Retry(max, interval)``; jobs carry the id only.
* What the job runs is named by the caller (``JobPolicy.func``, a dotted path RQ imports
  in the work-horse), so this package knows no job body.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from redis import Redis
from rq import Queue, Retry
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job, JobStatus

from queues import defaults

__all__ = ["JobPolicy", "job_id_for", "document_id_for", "get_queue", "enqueue_document", "job_state",
           "delete_job", "LIVE_STATES"]

log = logging.getLogger(__name__)

#: RQ states in which a job will still run (or is running): the reconciler leaves these alone.
LIVE_STATES = frozenset(s.value for s in (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED,
                                          JobStatus.DEFERRED, JobStatus.CREATED))


@dataclass(frozen=True)
class JobPolicy:
    """What a document job runs and how hard RQ tries.

    ``func`` is the dotted path of the job body; ``timeout`` seconds per attempt;
    ``retry_max`` retries after the first attempt, waiting ``retry_intervals`` seconds.
    """

    func: str
    timeout: int = defaults.JOB_TIMEOUT
    retry_max: int = defaults.JOB_RETRY_MAX
    retry_intervals: tuple[int, ...] = defaults.JOB_RETRY_INTERVALS

    @property
    def max_attempts(self) -> int:
        return self.retry_max + 1

    def retry(self) -> Retry | None:
        return Retry(max=self.retry_max, interval=list(self.retry_intervals) or [0]) if self.retry_max > 0 else None


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


def enqueue_document(queue: Queue, document_id: int, policy: JobPolicy) -> Job | None:
    """Enqueue ``policy.func(document_id)``; None when its job is already live."""
    job_id = job_id_for(document_id)
    try:
        job = queue.enqueue(
            policy.func, int(document_id),
            job_id=job_id, unique=True, retry=policy.retry(),
            job_timeout=policy.timeout,
            result_ttl=defaults.JOB_RESULT_TTL, failure_ttl=defaults.JOB_FAILURE_TTL,
            description=f"{policy.func.rsplit('.', 1)[-1]}({job_id})",
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


def delete_job(connection: Redis, job_id: str) -> None:
    """Forget a job that ended (so its id can be enqueued again); no error when it is gone."""
    try:
        Job.fetch(job_id, connection=connection).delete()
    except NoSuchJobError:
        pass
