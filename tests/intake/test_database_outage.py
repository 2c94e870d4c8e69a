"""PostgreSQL stops answering mid-run: every API route says 503 with Retry-After (never 500),
pages say so in words, and an upload writes no file without its row.

The outage is real at the socket level: the app talks to PostgreSQL through a TCP relay
on loopback that the test closes (connections cut, new ones refused), so psycopg sees
exactly what it sees when the server goes away, without stopping the shared server
other tests use.
"""

from __future__ import annotations

import socket
import threading

import pytest

pytestmark = pytest.mark.redis


class Relay:
    """Forwards 127.0.0.1:<port> to PostgreSQL until ``cut()``: then every connection dies."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.conns: list[socket.socket] = []
        self.open = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while self.open:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                return
            upstream = socket.create_connection(self.target)
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self):
        self.open = False
        self.listener.close()
        for s in self.conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass


@pytest.fixture
def outage_client(tmp_path, monkeypatch, redis_url):
    from urllib.parse import urlsplit

    from fastapi.testclient import TestClient

    from intake.app import create_app
    from intake.runtime import Runtime, reset_runtime
    from intake.settings import Settings
    from tests.conftest import _pg_schema_url

    url, drop = _pg_schema_url()
    parts = urlsplit(url)
    relay = Relay((parts.hostname, parts.port or 5432))
    relayed = url.replace(f"{parts.hostname}:{parts.port or 5432}", f"127.0.0.1:{relay.port}")
    monkeypatch.setenv("BAOQUAN_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("DATABASE_URL", relayed)
    rt = Runtime(Settings())
    reset_runtime(rt)
    try:
        with TestClient(create_app(runtime=rt), raise_server_exceptions=False) as c:
            yield c, rt, relay
    finally:
        relay.cut()
        reset_runtime(None)
        rt.db.dispose()
        drop()


@pytest.mark.postgres
def test_routes_answer_503_with_retry_after_and_no_file_is_left(outage_client, policy_record, make_png):
    from intake.auth import Principal, create_user, issue_token
    from intake import cases
    from verify.types import Policy

    client, rt, relay = outage_client
    with rt.db.session() as s:
        u = create_user(s, "agent1", "agent", "correct horse battery")
        cases.import_policies(s, [Policy.model_validate(policy_record)], "test")
        s.commit()
        agent = Principal(u.id, u.name, u.role)
    h = {"Authorization": f"Bearer {issue_token(agent, rt.settings.secret_key)}"}
    r = client.post("/api/v1/cases", headers=h, json={"policy_no": policy_record["policy_no"], "type": "id_renewal"})
    assert r.status_code == 201
    cid = r.json()["id"]

    relay.cut()
    files_before = sorted(p.name for p in rt.settings.files_dir.rglob("*") if p.is_file())
    calls = [
        ("get", "/api/v1/cases", {}),
        ("get", f"/api/v1/cases/{cid}", {}),
        ("post", "/api/v1/cases", {"json": {"policy_no": policy_record["policy_no"], "type": "id_renewal"}}),
        ("post", f"/api/v1/cases/{cid}/documents", {"files": [("files", ("a.png", make_png(), "image/png"))]}),
        ("post", f"/api/v1/cases/{cid}/submit", {}),
        ("get", f"/api/v1/policies/{policy_record['policy_no']}", {}),
    ]
    for method, path, kw in calls:
        r = getattr(client, method)(path, headers=h, **kw)
        assert r.status_code == 503, (path, r.status_code, r.text[:200])
        assert r.headers["retry-after"] == "5" and "database" in r.json()["detail"]
    r = client.post("/api/v1/auth/token", data={"username": "agent1", "password": "correct horse battery"})
    assert r.status_code == 503
    assert client.get("/healthz").status_code == 503
    from intake import defaults

    client.cookies.set(defaults.SESSION_COOKIE, h["Authorization"].split()[1])
    page = client.get("/agent")
    assert page.status_code == 503 and page.headers["retry-after"] == "5" and "数据库暂时没有响应" in page.text
    files_after = sorted(p.name for p in rt.settings.files_dir.rglob("*") if p.is_file())
    assert files_after == files_before  # the upload wrote no file without its row


def test_an_upload_whose_commit_fails_leaves_no_file(runtime, policy, make_png, monkeypatch):
    """The database refuses at commit time (after the file was written): the file goes too."""
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    from intake import cases
    from intake.auth import Principal

    agent = Principal(0, "agent", "agent")
    with runtime.db.session() as s:
        case = cases.create_case(s, agent, policy["policy_no"], "id_renewal")
        s.commit()

        def refuse(self):
            raise OperationalError("COMMIT", {}, ConnectionRefusedError("server closed the connection"))

        monkeypatch.setattr(Session, "commit", refuse)
        with pytest.raises(OperationalError):
            cases.add_documents(s, runtime.store, agent, case, [cases.Upload("a.png", make_png())], None)
    assert [p for p in runtime.settings.files_dir.rglob("*") if p.is_file()] == []
