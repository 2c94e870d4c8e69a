"""The document job and its state machine through the real queue, with a recorded
extraction instead of the OCR models (plain unit behaviour needs no models; tests/e2e
runs the real pipeline)."""

from __future__ import annotations

import os
import signal
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from intake import cases
from intake.auth import Principal
from intake.db.models import AuditEvent, Case, Document, Extraction, utcnow
from intake import processing
from intake.processing import reconcile
from queues.enqueue import enqueue_document, job_id_for

pytestmark = pytest.mark.redis

ID_NUMBER = "110105198503071234"


def fake_extraction(filename="x.png"):
    from extractors.types import Extraction as Ex, Field, OcrLine, Quality

    return Ex(file=filename, sha256="0" * 64, kind="id_card_front", kind_confidence=0.9, quality=Quality([]),
              fields={"name": Field("王建国", 0.99), "id_number": Field(ID_NUMBER, 0.98)},
              lines=[OcrLine("姓名 王建国", 0.99, [[0, 0], [10, 0], [10, 10], [0, 10]]),
                     OcrLine(f"公民身份号码 {ID_NUMBER}", 0.98, [[0, 20], [10, 20], [10, 30], [0, 30]])],
              engine="recorded")


@pytest.fixture
def recorded_pipeline(monkeypatch):
    """Replace the OCR pipeline; ``calls`` counts runs, ``fail_first`` makes the first N raise."""
    state = {"calls": 0, "fail_first": 0, "kill": False}

    def run(data, filename, engine_name, model_root):
        state["calls"] += 1
        if state["kill"]:
            os.kill(os.getpid(), signal.SIGKILL)
        if state["calls"] <= state["fail_first"]:
            raise RuntimeError(f"simulated failure {state['calls']} reading {ID_NUMBER}")
        return fake_extraction(filename)

    monkeypatch.setattr(processing, "run_pipeline", run)
    return state


@pytest.fixture
def document(runtime, policy, make_png):
    """A case with one uploaded (not yet enqueued) document; returns its id."""
    agent = Principal(0, "agent", "agent")
    with runtime.db.session() as s:
        case = cases.create_case(s, agent, policy["policy_no"], "id_renewal")
        s.commit()
        [doc] = cases.add_documents(s, runtime.store, agent, case, [cases.Upload("id.png", make_png())], None)
    return doc.id


def _doc(runtime, doc_id):
    with runtime.db.session() as s:
        doc = s.get(Document, doc_id)
        n = s.execute(select(Extraction).where(Extraction.document_id == doc_id)).scalars().all()
        case = s.get(Case, doc.case_id)
        return doc, len(n), case


def _burst(runtime, simple=True):
    from rq import SimpleWorker, Worker

    cls = SimpleWorker if simple else Worker
    worker = cls([runtime.queue], connection=runtime.redis)
    worker.subscribe = lambda: None  # no pub/sub thread: its 60 s poll only delays a burst run's exit
    worker.work(burst=True)


def test_job_id_is_derived_from_the_document_and_enqueued_once(runtime, document):
    job = enqueue_document(runtime.queue, document, runtime.settings.job_policy)
    assert job.id == job_id_for(document) == f"doc-{document}"
    assert job.args == (document,) and job.kwargs == {}
    assert job.timeout == runtime.settings.job_timeout
    assert job.retries_left == 2
    assert enqueue_document(runtime.queue, document, runtime.settings.job_policy) is None
    assert runtime.queue.count == 1


def test_running_twice_gives_one_result(runtime, document, recorded_pipeline):
    assert processing.process_document(document) == "done"
    assert processing.process_document(document) == "skipped"
    # killed after its commit and delivered again (at-least-once): still one result
    with runtime.db.session() as s:
        s.execute(update(Document).where(Document.id == document).values(state="processing"))
        s.commit()
    assert processing.process_document(document) == "done"
    doc, results, case = _doc(runtime, document)
    assert doc.state == "done" and results == 1
    assert case.state == "ready_for_review"


def test_fails_twice_then_succeeds_ends_done(runtime, document, recorded_pipeline):
    recorded_pipeline["fail_first"] = 2
    enqueue_document(runtime.queue, document, runtime.settings.job_policy)
    _burst(runtime)
    doc, results, case = _doc(runtime, document)
    assert recorded_pipeline["calls"] == 3
    assert (doc.state, doc.attempts, results, doc.failure_reason) == ("done", 3, 1, None)
    assert case.state == "ready_for_review"
    with runtime.db.session() as s:
        actions = [e.action for e in s.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars()]
    assert actions.count("document.retry") == 2 and actions.count("document.extracted") == 1


def test_always_failing_document_ends_failed_and_case_reaches_review(runtime, document, recorded_pipeline):
    recorded_pipeline["fail_first"] = 99
    enqueue_document(runtime.queue, document, runtime.settings.job_policy)
    _burst(runtime)
    doc, results, case = _doc(runtime, document)
    assert recorded_pipeline["calls"] == 3
    assert doc.state == "failed" and results == 0
    assert doc.failure_reason == "RuntimeError: simulated failure 3 reading 1101**********1234"
    assert case.state == "ready_for_review"


def test_redis_holds_no_personal_data_after_a_run(runtime, document, recorded_pipeline):
    recorded_pipeline["fail_first"] = 1  # failure text goes through Redis too
    enqueue_document(runtime.queue, document, runtime.settings.job_policy)
    _burst(runtime)
    assert _doc(runtime, document)[0].state == "done"
    r = runtime.redis
    dump = []
    for key in r.scan_iter("*"):
        dump.append(key)
        kind = r.type(key)
        if kind == b"string":
            dump.append(r.get(key) or b"")
        elif kind == b"hash":
            for k, v in r.hgetall(key).items():
                dump += [k, v]
        elif kind == b"list":
            dump += r.lrange(key, 0, -1)
        elif kind in (b"set",):
            dump += list(r.smembers(key))
        elif kind == b"zset":
            dump += [m for m, _ in r.zrange(key, 0, -1, withscores=True)]
    blob = b"\n".join(x if isinstance(x, bytes) else str(x).encode() for x in dump)
    assert blob, "expected RQ keys in Redis"
    import zlib

    texts = [blob]
    for x in dump:  # RQ compresses job data with zlib
        try:
            texts.append(zlib.decompress(x))
        except (zlib.error, TypeError):
            pass
    for t in texts:
        assert ID_NUMBER.encode() not in t
        assert "王建国".encode() not in t


def test_reconciler_reenqueues_after_redis_flush_once(runtime, document):
    enqueue_document(runtime.queue, document, runtime.settings.job_policy)
    runtime.redis.flushdb()
    with runtime.db.session() as s:
        s.execute(update(Document).values(updated_at=utcnow() - timedelta(minutes=5)))
        s.commit()
    assert reconcile(runtime).enqueued == [document]
    again = reconcile(runtime)
    assert again.enqueued == [] and again.live == 1
    assert runtime.queue.count == 1


def test_poison_document_ends_failed_and_does_not_loop(runtime, document, recorded_pipeline):
    """The work-horse is SIGKILLed on every attempt: RQ retries twice, then the reconciler
    sees attempts used up and a job that ended without a result → failed with a reason."""
    recorded_pipeline["kill"] = True
    enqueue_document(runtime.queue, document, runtime.settings.job_policy)
    _burst(runtime, simple=False)
    doc, results, _ = _doc(runtime, document)
    assert (doc.state, doc.attempts) == ("processing", 3)
    with runtime.db.session() as s:
        s.execute(update(Document).values(updated_at=utcnow() - timedelta(minutes=5)))
        s.commit()
    report = reconcile(runtime)
    assert report.failed == [document] and report.enqueued == []
    doc, results, case = _doc(runtime, document)
    assert doc.state == "failed" and "gave up after 3 attempts" in doc.failure_reason
    assert case.state == "ready_for_review"
    assert runtime.queue.count == 0


def test_stored_result_round_trips_to_the_extraction(runtime, document, recorded_pipeline):
    from extractors.types import Extraction as Ex

    processing.process_document(document)
    with runtime.db.session() as s:
        row = s.execute(select(Extraction).where(Extraction.document_id == document)).scalar_one()
        back = Ex.from_dict(row.result())
    want = fake_extraction("id.png").to_dict()
    assert back.to_dict() == want


def test_delivery_after_attempts_are_used_up_fails_without_running(runtime, document, recorded_pipeline):
    with runtime.db.session() as s:
        s.execute(update(Document).where(Document.id == document).values(attempts=3, state="processing"))
        s.commit()
    assert processing.process_document(document) == "skipped"
    doc, results, case = _doc(runtime, document)
    assert recorded_pipeline["calls"] == 0
    assert doc.state == "failed" and doc.failure_reason.startswith("gave up after 3 attempts")
    assert case.state == "ready_for_review"


def test_late_result_for_a_failed_document_reverifies_the_case(runtime, document, recorded_pipeline):
    with runtime.db.session() as s:
        processing.start_processing(s, document, 3)
    with runtime.db.session() as s:
        processing.record_failure(s, document, "gave up", final=True)
    with runtime.db.session() as s:
        processing.record_extraction(s, document, fake_extraction("id.png").to_dict())
    doc, results, case = _doc(runtime, document)
    assert doc.state == "done" and results == 1 and case.state == "ready_for_review"
    with runtime.db.session() as s:
        ready = s.execute(select(AuditEvent).where(AuditEvent.action == "case.ready_for_review")).scalars().all()
    assert len(ready) == 2


WORKER_SLEEPING_IN_A_JOB = """
import time
from intake import processing
processing.run_pipeline = lambda *args: time.sleep(600)
from intake.runtime import get_runtime
from queues.worker import run_worker
run_worker(get_runtime().redis)
"""


@pytest.mark.slow
def test_worker_killed_mid_job_is_recovered(runtime, document, recorded_pipeline):
    """kill -9 of a worker (and its work-horse) mid-job: the job sits in RQ's started
    registry until its heartbeat expires; the next maintenance pass retries it and the
    document ends done with one result. The heartbeat expiry is simulated with a cut-off
    in the future instead of waiting ~90 s."""
    import subprocess
    import sys
    import time

    import psutil
    from rq.registry import StartedJobRegistry

    enqueue_document(runtime.queue, document, runtime.settings.job_policy)
    env = runtime.settings.child_env()
    env["REDIS_URL"] = runtime.redis_url
    proc = subprocess.Popen([sys.executable, "-c", WORKER_SLEEPING_IN_A_JOB], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while _doc(runtime, document)[0].state != "processing":
            assert time.monotonic() < deadline and proc.poll() is None, "the worker never started the job"
            time.sleep(0.2)
        family = [proc.pid] + [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
        for pid in family:  # the worker, its work-horse and its scheduler
            os.kill(pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert _doc(runtime, document)[0].state == "processing"
    assert reconcile(runtime, grace=0).live == 1  # RQ still reports it started: not ours to touch yet
    StartedJobRegistry(queue=runtime.queue).cleanup(timestamp=time.time() + 3600)
    _burst(runtime)
    doc, results, case = _doc(runtime, document)
    assert (doc.state, doc.attempts, results) == ("done", 2, 1)
    assert case.state == "ready_for_review"


def test_the_settings_name_the_job_body_this_module_defines(runtime):
    from intake import defaults

    assert runtime.settings.job_policy.func == defaults.PROCESS_DOCUMENT == processing.PROCESS_DOCUMENT


def test_one_reconcile_pass_at_a_time_and_the_command(runtime, document, monkeypatch):
    """`baoquan reconcile` (CONTRACT) runs one pass; a pass elsewhere holding the lock makes it a no-op."""
    from intake.cli import main
    from intake.processing import RECONCILE_LOCK

    with runtime.db.session() as s:
        s.execute(update(Document).values(updated_at=utcnow() - timedelta(minutes=5)))
        s.commit()
    held = runtime.redis.lock(RECONCILE_LOCK, timeout=30)
    assert held.acquire(blocking=False)
    assert reconcile(runtime).skipped and runtime.queue.count == 0
    held.release()
    monkeypatch.setenv("REDIS_URL", runtime.redis_url)
    assert main(["reconcile", "--data", str(runtime.settings.data), "--grace", "0"]) == 0
    assert runtime.queue.job_ids == [job_id_for(document)]
