"""Pages: redirects without a session, login sets the cookie, role pages render."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.redis


@pytest.mark.parametrize("path", ["/agent", "/clerk", "/audit", "/clerk/cases/1"])
def test_pages_redirect_to_login_without_session(client, path):
    r = client.get(path, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"


def test_forged_cookie_redirects(client):
    client.cookies.set("baoquan_session", "forged.cookie")
    r = client.get("/agent", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"


def test_login_page_and_session(client, make_user, policy, make_png):
    assert "<form" in client.get("/login").text
    make_user("agent", "webagent")
    r = client.post("/login", data={"username": "webagent", "password": "nope nope nope"}, follow_redirects=False)
    assert r.status_code == 401 and "Incorrect username or password" in r.text
    r = client.post("/login", data={"username": "webagent", "password": "correct horse battery"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/agent"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    r = client.post("/agent/cases", data={"policy_no": "P2019000123", "type": "contact_change"}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get("/agent").text
    assert "P2019000123" in page and "1101**********1234" in page and "110105198503071234" not in page
    r = client.post("/agent/cases/1/documents", files={"files": ("a.png", make_png(), "image/png")},
                    follow_redirects=False)
    assert r.status_code == 303 and "queued" in r.headers["location"]
    # an agent is not a clerk
    assert client.get("/clerk").status_code == 403


def test_clerk_and_audit_pages(client, make_user, policy):
    make_user("admin", "root")
    client.post("/login", data={"username": "root", "password": "correct horse battery"})
    assert "Ready for review" in client.get("/clerk").text
    audit_page = client.get("/audit").text
    assert "audit chain intact" in audit_page and "auth.login" in audit_page


def test_clerk_case_page_shows_the_image_with_field_boxes(client, make_user, policy, make_png, runtime):
    from sqlalchemy import select

    from intake import cases, processing
    from intake.db.models import AuditEvent

    agent, agent_h = make_user("agent", "a1")
    make_user("clerk", "c1")
    png = make_png()
    with runtime.db.session() as s:
        case = cases.create_case(s, agent, "P2019000123", "id_renewal")
        s.commit()
        [doc] = cases.add_documents(s, runtime.store, agent, case, [cases.Upload("id.png", png)], None)
    result = {"kind": "id_card_front", "kind_confidence": 0.9, "quality": {"ok": True, "issues": []},
              "fields": {"name": {"value": "王建国", "confidence": 0.99, "box": [[20, 30], [200, 30], [200, 70], [20, 70]],
                                  "page": 1, "needs_review": False}},
              "lines": [], "pages": 1}
    with runtime.db.session() as s:
        processing.start_processing(s, doc.id, 3)
    with runtime.db.session() as s:
        processing.record_extraction(s, doc.id, result)
    client.post("/login", data={"username": "c1", "password": "correct horse battery"})
    page = client.get(f"/clerk/cases/{case.id}").text
    assert f'src="/clerk/cases/{case.id}/documents/{doc.id}/file"' in page
    assert 'viewBox="0 0 640 200"' in page and 'points="20,30 200,30 200,70 20,70 "' in page
    r = client.get(f"/clerk/cases/{case.id}/documents/{doc.id}/file")
    assert r.status_code == 200 and r.content == png and r.headers["cache-control"] == "no-store"
    assert client.get(f"/clerk/cases/{case.id}/documents/{doc.id + 1}/file").status_code == 404
    with runtime.db.session() as s:
        views = s.execute(select(AuditEvent).where(AuditEvent.action == "document.view_file")).scalars().all()
    assert [(e.actor, e.object_id) for e in views] == [("clerk:c1", str(doc.id))]
    # an agent may not fetch files here; without a session it redirects
    client.post("/login", data={"username": "a1", "password": "correct horse battery"})
    assert client.get(f"/clerk/cases/{case.id}/documents/{doc.id}/file").status_code == 403
    client.cookies.clear()
    r = client.get(f"/clerk/cases/{case.id}/documents/{doc.id}/file", follow_redirects=False)
    assert r.status_code == 303
