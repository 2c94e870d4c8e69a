"""The file store's errors at the HTTP edge: a store that does not answer is a 503 with
Retry-After and a reason (JSON on the API and for a page's script, words on a page), an
upload whose store write fails leaves no row and no file, and a stored file gone from the
store is a 404 with a reason on the image routes.

The store is swapped on the runtime (``runtime.store``) for one whose calls fail on cue,
so the same checks hold for every backend; ``test_storage_s3.py`` does the same against a
real S3-compatible server with its bucket gone.
"""

from __future__ import annotations

import hashlib
import hmac

import pytest
from sqlalchemy import select

from intake.storage import StorageUnavailable

pytestmark = pytest.mark.redis


class FailingStore:
    """Wraps a store; ``put`` succeeds ``puts_ok`` times then raises StorageUnavailable, and
    ``get`` raises it once ``reads_down`` is set. Everything else goes to the real store."""

    def __init__(self, inner, puts_ok: int = 0):
        self.inner, self.puts_ok, self.reads_down = inner, puts_ok, False

    def put(self, data: bytes) -> str:
        if self.puts_ok <= 0:
            raise StorageUnavailable("storing in s3://bucket at http://10.0.0.9:9000: the object store did not answer")
        self.puts_ok -= 1
        return self.inner.put(data)

    def get(self, key: str) -> bytes:
        if self.reads_down:
            raise StorageUnavailable("reading in s3://bucket at http://10.0.0.9:9000: the object store did not answer")
        return self.inner.get(key)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def _files(runtime) -> list[str]:
    return sorted(p.name for p in runtime.settings.files_dir.rglob("*") if p.is_file())


def _rows(runtime):
    from intake.db.models import AuditEvent, Case, Document

    with runtime.db.session() as s:
        docs = s.execute(select(Document)).scalars().all()
        uploads = s.execute(select(AuditEvent).where(AuditEvent.action == "document.upload")).scalars().all()
        states = [c.state for c in s.execute(select(Case)).scalars()]
    return docs, uploads, states


def _page_session(client, runtime, principal) -> None:
    from intake import defaults
    from intake.auth import issue_token

    token = issue_token(principal, runtime.settings.secret_key)
    client.cookies.set(defaults.SESSION_COOKIE, token)
    client.headers["X-CSRF-Token"] = hmac.new(runtime.settings.secret_key.encode(), b"csrf:" + token.encode(),
                                              hashlib.sha256).hexdigest()[:40]


def test_an_api_upload_whose_second_file_cannot_be_stored_is_a_503_and_leaves_nothing(
        client, runtime, make_user, policy, make_png):
    _, h = make_user("agent")
    cid = client.post("/api/v1/cases", headers=h, json={"policy_no": policy["policy_no"], "type": "id_renewal"}).json()["id"]
    runtime.store = FailingStore(runtime.store, puts_ok=1)  # the first file is written, the second is not
    files = [("files", ("front.png", make_png(), "image/png")),
             ("files", ("back.png", make_png(("签发机关 北京市公安局",)), "image/png"))]
    r = client.post(f"/api/v1/cases/{cid}/documents", headers=h, files=files)
    assert r.status_code == 503, r.text
    assert r.headers["retry-after"] == "10"
    body = r.json()
    assert body["code"] == "storage_unavailable" and "file store" in body["detail"]
    assert "10.0.0.9" not in r.text and "bucket" not in r.text  # the store's location stays in the log
    docs, uploads, states = _rows(runtime)
    assert docs == [] and uploads == [] and states == ["draft"]  # no row, no audit event, no transition
    assert _files(runtime) == []  # the first file, written before the second failed, was removed


def test_a_page_upload_when_the_store_is_down_answers_in_words(client, runtime, make_user, policy, make_png):
    agent, h = make_user("agent")
    cid = client.post("/api/v1/cases", headers=h, json={"policy_no": policy["policy_no"], "type": "id_renewal"}).json()["id"]
    runtime.store = FailingStore(runtime.store)
    _page_session(client, runtime, agent)
    url = f"/agent/cases/{cid}/documents"
    r = client.post(url, files=[("files", ("a.png", make_png(), "image/png"))], headers={"Accept": "application/json"})
    assert r.status_code == 503 and r.headers["retry-after"] == "10"  # the page's script: JSON, in words
    assert r.json() == {"error": "文件存储暂时无法访问，您的操作没有保存。请稍等片刻后重试。", "code": "storage_unavailable"}
    r = client.post(url, files=[("files", ("a.png", make_png(), "image/png"))], follow_redirects=False)
    assert r.status_code == 503 and r.headers["retry-after"] == "10"  # a plain form post: a page
    assert "文件存储暂时无法访问" in r.text and r.headers["content-type"].startswith("text/html")
    docs, uploads, states = _rows(runtime)
    assert docs == [] and uploads == [] and states == ["draft"] and _files(runtime) == []


def test_image_routes_answer_503_when_the_store_is_down_and_404_when_the_file_is_gone(
        client, runtime, make_user, policy, make_png):
    agent, h = make_user("agent")
    clerk, _ = make_user("clerk")
    cid = client.post("/api/v1/cases", headers=h, json={"policy_no": policy["policy_no"], "type": "id_renewal"}).json()["id"]
    [doc] = client.post(f"/api/v1/cases/{cid}/documents", headers=h,
                        files={"files": ("a.png", make_png(), "image/png")}).json()
    _page_session(client, runtime, clerk)
    url = f"/clerk/cases/{cid}/documents/{doc['id']}/file"
    assert client.get(url).status_code == 200

    store = runtime.store = FailingStore(runtime.store)
    store.reads_down = True
    r = client.get(url)
    assert r.status_code == 503 and r.headers["retry-after"] == "10" and "文件存储暂时无法访问" in r.text

    store.reads_down = False
    store.inner.delete(doc["sha256"])  # the row stays, its file is gone (a restore that missed it)
    r = client.get(url)
    assert r.status_code == 404 and "此文件已不在文件存储中" in r.text
    _page_session(client, runtime, agent)
    r = client.get(f"/agent/cases/{cid}/documents/{doc['id']}/file")
    assert r.status_code == 404 and "此文件已不在文件存储中" in r.text


def test_a_failed_cleanup_does_not_hide_the_cause(runtime, policy, make_png, monkeypatch):
    """The store goes away between the write and the clean-up: the upload's own error is
    the one raised (the unreferenced file left behind is harmless), and no row is written."""
    from intake import cases
    from intake.auth import Principal

    agent = Principal(0, "agent", "agent")
    store = FailingStore(runtime.store, puts_ok=1)

    def delete_refused(key):
        raise StorageUnavailable("deleting: the object store did not answer")

    store.delete = delete_refused
    with runtime.db.session() as s:
        case = cases.create_case(s, agent, policy["policy_no"], "id_renewal")
        s.commit()
        with pytest.raises(StorageUnavailable, match="storing"):
            cases.add_documents(s, store, agent, case, [cases.Upload("a.png", make_png()),
                                                        cases.Upload("b.png", make_png(("住址 北京市",)))], None)
    docs, _, _ = _rows(runtime)
    assert docs == []
