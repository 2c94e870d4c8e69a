"""Hostile bodies and strings: malformed multipart, control characters, 10 000-character
values, SQL and HTML fragments, RTL overrides — in every form and JSON field a person can
fill. Never a 5xx; what is stored is shown escaped on every page that shows it."""

from __future__ import annotations

import re

import pytest

from tests.conftest import play_worker

pytestmark = pytest.mark.redis

HOSTILE = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)>",
    "'; DROP TABLE cases; --",
    "王\u202e建国\u202c",  # right-to-left override
    "a\x00b\x07c\x1bd",  # control characters
    "长" * 10_000,
]


@pytest.mark.parametrize("body", [
    b"--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n\r\nabc",  # no closing boundary
    b"garbage without any boundary",
    b"--x\r\nContent-Disposition: form-data\r\n\r\n--x--\r\n",  # a part without a name
    b"",
])
@pytest.mark.parametrize("ctype", ["multipart/form-data; boundary=x", "multipart/form-data"])
def test_malformed_multipart_is_a_clear_4xx(client, make_user, policy, body, ctype):
    _, h = make_user("agent")
    cid = client.post("/api/v1/cases", headers=h, json={"policy_no": policy["policy_no"], "type": "id_renewal"}).json()["id"]
    for url in (f"/api/v1/cases/{cid}/documents", "/api/v1/quick-check"):
        r = client.post(url, headers={**h, "Content-Type": ctype}, content=body)
        assert 400 <= r.status_code < 500, (url, r.status_code, r.text[:200])


def _read(runtime, case_id):
    from sqlalchemy import select

    from intake.db.models import Document

    with runtime.db.session() as s:
        ids = s.execute(select(Document.id).where(Document.case_id == case_id)).scalars().all()
    box = [[20, 30], [200, 30], [200, 70], [20, 70]]
    for doc_id in ids:
        play_worker(runtime, doc_id, {
            "kind": "id_card_front", "kind_confidence": 0.9, "quality": {"ok": True, "issues": []},
            "fields": {"name": {"value": "王建国", "confidence": 0.99, "box": box, "page": 1, "needs_review": False}},
            "lines": [], "pages": 1})
    return ids


def _page_login(client, name):
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token", None)
    assert client.post("/login", data={"username": name, "password": "correct horse battery"},
                       follow_redirects=False).status_code == 303
    token = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)">', client.get("/").text).group(1)
    client.headers["X-CSRF-Token"] = token


@pytest.mark.parametrize("value", HOSTILE, ids=["script", "attr", "sql", "rtl", "control", "long"])
def test_hostile_strings_are_stored_safely_and_shown_escaped(client, make_user, policy, make_png, runtime, value):
    _, agent = make_user("agent", "agent1")
    _, clerk = make_user("clerk", "clerk1")
    r = client.post("/api/v1/cases", headers=agent, json={"policy_no": policy["policy_no"], "type": "contact_change",
                                                           "requested": {"address": value, "phone": value}})
    assert r.status_code == 201, r.text[:200]  # every one is stored as given (and shown escaped below)
    cid = r.json()["id"]
    client.post(f"/api/v1/cases/{cid}/documents", headers=agent,
                files=[("files", (value[:200] + ".png", make_png(), "image/png"))])
    [doc] = _read(runtime, cid)
    r = client.patch(f"/api/v1/cases/{cid}/fields", headers=clerk, json={"document_id": doc, "field": "name",
                                                                          "value": value[:2000]})
    assert r.status_code in (200, 422), r.text[:200]
    r = client.post(f"/api/v1/cases/{cid}/decision", headers=clerk, json={"action": "return", "reason": value[:2000]})
    assert r.status_code in (200, 422), r.text[:200]
    assert client.get(f"/api/v1/cases/{cid}", headers=clerk).status_code == 200

    pages = []
    _page_login(client, "clerk1")
    pages += [client.get("/clerk?state=returned").text, client.get(f"/clerk/cases/{cid}").text]
    _page_login(client, "agent1")
    pages += [client.get("/agent").text, client.get(f"/agent/cases/{cid}").text]
    for html in pages:
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x onerror" not in html
        assert "\x00" not in html and "\x1b" not in html
    if value.startswith("<script>"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[1]  # shown, as text
