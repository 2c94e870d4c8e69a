"""A real ``redis-server`` (Debian's) stopped and started again mid-run, without persistence:
uploads made while it is down are accepted (row and file committed), the reconciler
enqueues every stranded document when it is back, and each reaches a final state once."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
from sqlalchemy import select

from intake import processing
from intake.db.models import AuditEvent, Document, Extraction
from tests.conftest import require_or_skip

pytestmark = pytest.mark.redis


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, tmp):
        exe = shutil.which("redis-server")
        if exe is None:
            require_or_skip("redis-server is not installed")
        self.exe, self.dir, self.port, self.proc = exe, tmp, _free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen([self.exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", str(self.dir)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture
def restartable(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from intake.app import create_app
    from intake.runtime import Runtime, reset_runtime
    from intake.settings import Settings

    server = RedisServer(tmp_path)
    server.start()
    monkeypatch.setenv("BAOQUAN_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("REDIS_URL", server.url)
    monkeypatch.setenv("BAOQUAN_JOB_RETRY_INTERVALS", "0")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    rt = Runtime(Settings())
    reset_runtime(rt)
    try:
        with TestClient(create_app(runtime=rt)) as client:
            yield client, rt, server
    finally:
        if server.proc and server.proc.poll() is None:
            server.stop()
        reset_runtime(None)
        rt.db.dispose()


def test_uploads_during_a_redis_restart_are_not_lost(restartable, make_user, policy_record, make_png, monkeypatch):
    from intake import cases
    from intake.auth import Principal, create_user, issue_token
    from verify.types import Policy

    client, rt, server = restartable
    with rt.db.session() as s:
        u = create_user(s, "agent1", "agent", "correct horse battery")
        cases.import_policies(s, [Policy.model_validate(policy_record)], "test")
        s.commit()
        h = {"Authorization": f"Bearer {issue_token(Principal(u.id, u.name, u.role), rt.settings.secret_key)}"}
    cid = client.post("/api/v1/cases", headers=h, json={"policy_no": policy_record["policy_no"],
                                                         "type": "id_renewal"}).json()["id"]

    def upload(i):
        r = client.post(f"/api/v1/cases/{cid}/documents", headers=h,
                        files=[("files", (f"p{i}.png", make_png(text_lines=(f"page {i}",)), "image/png"))])
        assert r.status_code == 201, r.text
        return r.json()[0]["id"]

    before = [upload(0), upload(1)]
    assert rt.queue.count == 2
    server.stop()  # no persistence: the two queued jobs are gone with it
    during = [upload(2), upload(3)]  # accepted: row and file committed, enqueue failed and was logged
    with rt.db.session() as s:
        rows = {d.id: (d.state, d.sha256) for d in s.execute(select(Document)).scalars()}
    assert {d: state for d, (state, _) in rows.items()} == {d: "queued" for d in before + during}
    assert all(rt.store.exists(rows[d][1]) for d in during)
    server.start()
    assert rt.queue.count == 0
    report = processing.reconcile(rt, grace=0)
    assert sorted(report.enqueued) == sorted(before + during) and report.failed == []
    assert processing.reconcile(rt, grace=0).enqueued == []  # live jobs are left alone

    from extractors.types import Extraction as Ex, Field, Quality

    monkeypatch.setattr(processing, "run_pipeline", lambda data, filename, *rest: Ex(
        file=filename, sha256="0" * 64, kind="id_card_front", kind_confidence=0.9, quality=Quality([]),
        fields={"name": Field("王建国", 0.99)}, engine="recorded"))
    from rq import SimpleWorker

    worker = SimpleWorker([rt.queue], connection=rt.redis)
    worker.subscribe = lambda: None  # no pub/sub thread: its 60 s poll only delays a burst run's exit
    worker.work(burst=True)
    with rt.db.session() as s:
        docs = s.execute(select(Document)).scalars().all()
        results = s.execute(select(Extraction)).scalars().all()
        extracted = s.execute(select(AuditEvent).where(AuditEvent.action == "document.extracted")).scalars().all()
    assert {d.state for d in docs} == {"done"} and len(results) == 4 and len(extracted) == 4  # once each
    assert client.get(f"/api/v1/cases/{cid}", headers=h).json()["state"] == "ready_for_review"
