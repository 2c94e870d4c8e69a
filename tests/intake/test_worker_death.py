"""A worker SIGKILLed mid-job, on real processes: a live worker finishes the document within
60 s of the kill (not after RQ's ~90 s heartbeat expiry plus a maintenance pass), once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest
from sqlalchemy import select

from intake import cases
from intake.auth import Principal
from intake.db.models import AuditEvent, Document, Extraction
from queues.enqueue import enqueue_document

pytestmark = [pytest.mark.redis, pytest.mark.slow]

WORKER = """
import sys, time
from intake import processing
from intake.runtime import get_runtime
from queues.worker import run_worker

if sys.argv[1] == "stuck":
    processing.run_pipeline = lambda *args: time.sleep(600)
else:
    from extractors.types import Extraction, Field, Quality
    processing.run_pipeline = lambda data, filename, *rest: Extraction(
        file=filename, sha256="0" * 64, kind="id_card_front", kind_confidence=0.9, quality=Quality([]),
        fields={"name": Field("王建国", 0.99)}, engine="recorded")
rt = get_runtime()
rt.db.migrate()
rt.db.dispose()
run_worker(rt.redis, on_orphan=processing.recover_orphan, logging_level="WARNING", name=sys.argv[2])
"""


def _start(runtime, mode, name, log):
    env = runtime.settings.child_env()
    env["REDIS_URL"] = runtime.redis_url
    return subprocess.Popen([sys.executable, "-c", WORKER, mode, name], env=env, stdout=log, stderr=log)


def _doc(runtime, doc_id):
    with runtime.db.session() as s:
        doc = s.get(Document, doc_id)
        n = len(s.execute(select(Extraction).where(Extraction.document_id == doc_id)).scalars().all())
        return doc.state, doc.attempts, n


def test_killed_worker_job_is_finished_by_a_live_worker_within_a_minute(runtime, policy, make_png, tmp_path):
    agent = Principal(0, "agent", "agent")
    with runtime.db.session() as s:
        case = cases.create_case(s, agent, policy["policy_no"], "id_renewal")
        s.commit()
        [doc] = cases.add_documents(s, runtime.store, agent, case, [cases.Upload("id.png", make_png())], None)
    enqueue_document(runtime.queue, doc.id, runtime.settings.job_policy)
    log = open(tmp_path / "workers.log", "wb")
    stuck = _start(runtime, "stuck", "baoquan-test-stuck", log)
    live = None
    try:
        deadline = time.monotonic() + 60
        while _doc(runtime, doc.id)[0] != "processing":
            assert time.monotonic() < deadline and stuck.poll() is None, (tmp_path / "workers.log").read_text()
            time.sleep(0.2)
        live = _start(runtime, "live", "baoquan-test-live", log)
        time.sleep(2)  # the live worker is up and idle: the job is not on the queue, the stuck one holds it
        family = [stuck.pid] + [c.pid for c in psutil.Process(stuck.pid).children(recursive=True)]
        for pid in family:  # the worker, its work-horse and its scheduler
            os.kill(pid, signal.SIGKILL)
        killed = time.monotonic()
        stuck.wait(10)
        while _doc(runtime, doc.id)[0] != "done":
            assert time.monotonic() - killed < 60, f"not finished 60 s after the kill: {_doc(runtime, doc.id)}"
            assert live.poll() is None, (tmp_path / "workers.log").read_text()
            time.sleep(0.5)
        took = time.monotonic() - killed
        print(f"document finished {took:.1f} s after the kill")
    finally:
        for p in (stuck, live):
            if p is not None and p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        log.close()
    state, attempts, results = _doc(runtime, doc.id)
    assert (state, attempts, results) == ("done", 2, 1)
    with runtime.db.session() as s:
        done = s.execute(select(AuditEvent).where(AuditEvent.action == "document.extracted")).scalars().all()
    assert len(done) == 1  # exactly once
