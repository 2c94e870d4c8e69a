"""The RQ plumbing on its own: no ``intake``, a job body named by the caller."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from queues.enqueue import JobPolicy, delete_job, document_id_for, enqueue_document, get_queue, job_id_for, job_state
from queues.worker import make_worker, run_worker
from tests.queues import echo_job

pytestmark = pytest.mark.redis

QUEUES = Path(__file__).resolve().parents[2] / "queues"
RECORD = JobPolicy(func="tests.queues.echo_job.record", timeout=17, retry_max=2, retry_intervals=(0, 0))


def test_queues_import_nothing_from_intake():
    """The dependency points one way: intake uses queues, never the reverse."""
    offenders = []
    for path in sorted(QUEUES.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.name}: {n}" for n in names if n == "intake" or n.startswith("intake.")]
    assert offenders == []


def test_job_carries_the_id_only_and_is_enqueued_once(redis_conn):
    q = get_queue(redis_conn, "plumbing-test")
    job = enqueue_document(q, 7, RECORD)
    assert job.id == job_id_for(7) == "doc-7" and document_id_for(job.id) == 7
    assert job.func_name == RECORD.func and job.args == (7,) and job.kwargs == {}
    assert job.timeout == 17 and job.retries_left == 2
    assert enqueue_document(q, 7, RECORD) is None
    assert q.count == 1 and job_state(redis_conn, "doc-7") == "queued"


def test_no_retry_policy_when_retries_are_off(redis_conn):
    q = get_queue(redis_conn, "plumbing-test")
    job = enqueue_document(q, 8, JobPolicy(func=RECORD.func, retry_max=0))
    assert job.retries_left is None
    assert JobPolicy(func=RECORD.func, retry_max=0).max_attempts == 1


def test_worker_runs_the_preload_once_then_the_named_job(redis_conn):
    q = get_queue(redis_conn, "plumbing-test")
    echo_job.CALLS.clear()
    preloads = []
    enqueue_document(q, 9, RECORD)
    enqueue_document(q, 10, RECORD)
    run_worker(redis_conn, ["plumbing-test"], simple=True, burst=True, preload=lambda: preloads.append(1),
               logging_level="WARNING")
    assert preloads == [1] and echo_job.CALLS == [9, 10]
    assert job_state(redis_conn, "doc-9") == "finished"
    delete_job(redis_conn, "doc-9")
    delete_job(redis_conn, "doc-9")  # gone already: no error
    assert job_state(redis_conn, "doc-9") is None


def test_a_failing_job_is_retried_then_failed(redis_conn):
    q = get_queue(redis_conn, "plumbing-test")
    enqueue_document(q, 11, JobPolicy(func="tests.queues.echo_job.fail", retry_max=1, retry_intervals=(0,)))
    worker = make_worker(redis_conn, ["plumbing-test"], simple=True)
    worker.work(burst=True, with_scheduler=True, logging_level="WARNING")
    assert job_state(redis_conn, "doc-11") == "failed"
