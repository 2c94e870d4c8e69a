"""API v1 status codes and exact ``detail`` messages."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.redis


def _case(client, headers, policy_no="P2019000123", type="bank_account_change", **kw):
    return client.post("/api/v1/cases", json={"policy_no": policy_no, "type": type, **kw}, headers=headers)


@pytest.mark.parametrize("method,path", [
    ("get", "/api/v1/cases"), ("post", "/api/v1/cases"), ("get", "/api/v1/cases/1"),
    ("post", "/api/v1/cases/1/documents"), ("get", "/api/v1/jobs/doc-1"), ("post", "/api/v1/policies"),
    ("post", "/api/v1/policies/import"), ("get", "/api/v1/policies/P1"), ("get", "/api/v1/no-such-thing"),
])
def test_every_api_path_needs_a_token(client, method, path):
    r = getattr(client, method)(path)
    assert r.status_code == 401
    assert r.json() == {"detail": "Not authenticated"}
    r = getattr(client, method)(path, headers={"Authorization": "Bearer forged.token"})
    assert r.status_code == 401
    assert r.json() == {"detail": "Invalid or expired token"}


def test_expired_token_is_refused(client, runtime, make_user):
    from intake.auth import issue_token

    user, _ = make_user("agent")
    token = issue_token(user, runtime.settings.secret_key, ttl=-1)
    r = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401 and r.json() == {"detail": "Invalid or expired token"}


def test_password_login(client, make_user):
    user, _ = make_user("clerk", "clerk1")
    r = client.post("/api/v1/auth/token", data={"username": "clerk1", "password": "wrong password"})
    assert r.status_code == 401 and r.json() == {"detail": "Incorrect username or password"}
    r = client.post("/api/v1/auth/token", data={"username": "clerk1", "password": "correct horse battery"})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer"
    assert client.get("/api/v1/cases", headers={"Authorization": f"Bearer {body['access_token']}"}).status_code == 200


def test_import_policies_json_and_csv(client, make_user, policy_record):
    POLICY = policy_record
    _, clerk = make_user("clerk")
    _, agent = make_user("agent")
    assert client.post("/api/v1/policies", json=[POLICY], headers=agent).status_code == 403
    r = client.post("/api/v1/policies", json=[POLICY], headers=clerk)
    assert r.status_code == 201 and r.json() == {"created": 1, "updated": 0}
    csv = ("policy_no,status,policyholder.name,policyholder.id_number\n"
           "P2019000124,in_force,李梅,110105198708091226\n").encode()
    r = client.post("/api/v1/policies/import", files={"file": ("p.csv", csv, "text/csv")}, headers=clerk)
    assert r.status_code == 201 and r.json() == {"created": 1, "updated": 0}
    r = client.post("/api/v1/policies", json=[{"policy_no": "P1", "status": "gone", "policyholder": {"name": "x"}}],
                    headers=clerk)
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"].startswith("row 1, column 'status'")  # every 422 has the documented shape
    r = client.get("/api/v1/policies/P2019000124", headers=agent)
    assert r.status_code == 200
    assert r.json()["record"]["policyholder"]["id_number"] == "1101**********1226"
    assert client.get("/api/v1/policies/P404", headers=agent).json() == {"detail": "policy P404 not found"}


def test_unknown_policy_is_404_with_reason(client, make_user):
    _, h = make_user("agent")
    r = _case(client, h, policy_no="P0000000000")
    assert r.status_code == 404
    assert r.json() == {"detail": "policy P0000000000 is not on record; import it first"}


def test_unknown_endorsement_type_is_422(client, make_user, policy):
    _, h = make_user("agent")
    r = _case(client, h, type="make_me_rich")
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "type"]


def test_create_case_upload_and_read(client, make_user, policy, make_png, runtime):
    _, h = make_user("agent")
    r = _case(client, h, requested={"account_number": "6222021234567890128", "bank_name": "中国工商银行"})
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["state"] == "draft" and case["masked"] is True
    assert case["requested"]["account_number"] == "622202*********0128"
    png = make_png()
    r = client.post(f"/api/v1/cases/{case['id']}/documents", headers=h,
                    files=[("files", ("../../id front.png", png, "image/png")), ("files", ("b.png", png, "image/png"))])
    assert r.status_code == 201, r.text
    docs = r.json()
    assert [d["filename"] for d in docs] == ["id front.png", "b.png"]
    assert docs[0]["sha256"] == docs[1]["sha256"]
    assert {d["state"] for d in docs} == {"queued"}
    assert [d["job_id"] for d in docs] == [f"doc-{d['id']}" for d in docs]
    # the same bytes twice → one stored file linked to both documents
    stored = [p for p in runtime.settings.files_dir.rglob("*") if p.is_file()]
    assert len(stored) == 1
    r = client.get(f"/api/v1/cases/{case['id']}", headers=h)
    assert r.status_code == 200 and r.json()["state"] == "processing"
    r = client.get(f"/api/v1/jobs/{docs[0]['job_id']}", headers=h)
    assert r.status_code == 200
    assert r.json()["queue_status"] == "queued" and r.json()["document_state"] == "queued"
    listed = client.get("/api/v1/cases", headers=h).json()
    assert listed["count"] == 1
    assert listed["data"][0]["policyholder_id_number"] == "1101**********1234"


def test_wrong_content_type_is_415(client, make_user, policy):
    _, h = make_user("agent")
    cid = _case(client, h).json()["id"]
    html = b"<!doctype html><html><script>alert(1)</script></html>"
    r = client.post(f"/api/v1/cases/{cid}/documents", headers=h, files={"files": ("scan.pdf", html, "application/pdf")})
    assert r.status_code == 415
    assert r.json() == {"detail": "unsupported file type: send JPEG, PNG, HEIC, PDF, WebP, TIFF or BMP"}


def test_missing_file_is_422(client, make_user, policy):
    _, h = make_user("agent")
    cid = _case(client, h).json()["id"]
    r = client.post(f"/api/v1/cases/{cid}/documents", headers=h, data={"note": "no file"})
    assert r.status_code == 422
    assert r.json() == {"detail": [{"type": "missing", "loc": ["body", "files"], "msg": "Field required"}]}


def test_body_limit_with_content_length(runtime, make_user, policy):
    from fastapi.testclient import TestClient

    from intake.app import create_app

    runtime.settings.max_upload_bytes = 10_000
    _, h = make_user("agent")
    with TestClient(create_app(runtime=runtime)) as c:
        cid = _case(c, h).json()["id"]
        r = c.post(f"/api/v1/cases/{cid}/documents", headers=h, files={"files": ("a.png", b"\x89PNG" + b"0" * 20_000)})
    assert r.status_code == 413
    assert r.json() == {"detail": "request body exceeds 10000 bytes"}


def test_body_limit_streamed_without_content_length(runtime, make_user, policy):
    """Chunked body, no Content-Length: refused once the running count passes the limit.
    (TestClient buffers the request; test_upload_limits proves early refusal over a socket.)"""
    from fastapi.testclient import TestClient

    from intake.app import create_app

    runtime.settings.max_upload_bytes = 10_000
    _, h = make_user("agent")
    sent = []

    def body():
        head = (b"--XX\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n"
                b"Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n")
        yield head
        for _ in range(1000):  # 1000 × 4 KiB = 4 MiB offered; far fewer should be read
            sent.append(1)
            yield b"0" * 4096

    with TestClient(create_app(runtime=runtime)) as c:
        cid = _case(c, h).json()["id"]
        r = c.post(f"/api/v1/cases/{cid}/documents", content=body(),
                   headers={**h, "Content-Type": "multipart/form-data; boundary=XX"})
    assert r.status_code == 413
    assert r.json() == {"detail": "request body exceeds 10000 bytes"}
    with runtime.db.session() as s:
        from intake.db.models import Document

        assert s.query(Document).count() == 0


def test_agents_see_only_their_own_cases(client, make_user, policy, runtime):
    from sqlalchemy import select

    from intake.db.models import AuditEvent

    _, a = make_user("agent", "alice")
    _, b = make_user("agent", "bob")
    _, clerk = make_user("clerk")
    cid = _case(client, a).json()["id"]
    r = client.get(f"/api/v1/cases/{cid}", headers=b)
    assert r.status_code == 404 and r.json() == {"detail": f"case {cid} not found"}
    assert client.get("/api/v1/cases", headers=b).json()["count"] == 0
    r = client.post(f"/api/v1/cases/{cid}/documents", headers=b, files={"files": ("a.png", b"\x89PNG\r\n\x1a\n....")})
    assert r.status_code == 404
    assert client.get(f"/api/v1/cases/{cid}", headers=clerk).status_code == 200
    with runtime.db.session() as s:
        denied = s.execute(select(AuditEvent).where(AuditEvent.action == "case.access_denied")).scalars().all()
    assert [(e.actor, e.object_id) for e in denied] == [("agent:bob", str(cid))] * 2


def test_clerk_sees_unmasked_and_it_is_audited(client, make_user, policy, runtime):
    from sqlalchemy import select

    from intake.db.models import AuditEvent

    _, a = make_user("agent")
    _, clerk = make_user("clerk", "carol")
    cid = _case(client, a, requested={"account_number": "6222021234567890128"}).json()["id"]
    body = client.get(f"/api/v1/cases/{cid}", headers=clerk).json()
    assert body["masked"] is False and body["requested"]["account_number"] == "6222021234567890128"
    with runtime.db.session() as s:
        views = s.execute(select(AuditEvent).where(AuditEvent.action == "case.view_unmasked")).scalars().all()
    assert [(e.actor, e.object_id) for e in views] == [("clerk:carol", str(cid))]


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_healthz_503_when_redis_is_down(runtime):
    from fastapi.testclient import TestClient

    from intake.app import create_app

    with TestClient(create_app(runtime=runtime)) as c:
        runtime.__dict__["redis"] = __import__("redis").Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
        r = c.get("/healthz")
    assert r.status_code == 503
    assert r.json() == {"status": "error", "database": "ok", "redis": "error: ConnectionError"}


def test_openapi_is_served(client):
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200


def test_validation_errors_do_not_echo_input(client, make_user, policy):
    _, h = make_user("agent")
    r = client.post("/api/v1/cases", headers=h, json={"policy_no": "P2019000123", "type": "bank_account_change",
                                                       "requested": "110105198503071234"})
    assert r.status_code == 422
    assert "110105198503071234" not in r.text


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header declares width × height (1-bit); no pixel data worth decoding."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_pixel_bomb_is_refused_from_the_header(client, make_user, policy, runtime):
    _, h = make_user("agent")
    cid = _case(client, h).json()["id"]
    bomb = _png_header(20000, 20000)
    assert len(bomb) < 200
    r = client.post(f"/api/v1/cases/{cid}/documents", headers=h, files={"files": ("a.png", bomb, "image/png")})
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == "image is 20000×20000 = 400000000 pixels; the limit is 60000000 pixels"
    # just over the limit, under Pillow's own bomb threshold: the header's size is named
    r = client.post(f"/api/v1/cases/{cid}/documents", headers=h,
                    files={"files": ("a.png", _png_header(8000, 8000), "image/png")})
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == "image is 8000×8000 = 64000000 pixels; the limit is 60000000 pixels"
    assert [p for p in runtime.settings.files_dir.rglob("*") if p.is_file()] == []


def test_an_iphone_heic_photo_is_accepted(client, make_user, policy):
    import io

    from PIL import Image

    import extractors.pages  # noqa: F401  (the HEIC opener)

    buf = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(buf, format="HEIF")
    _, h = make_user("agent")
    cid = _case(client, h).json()["id"]
    r = client.post(f"/api/v1/cases/{cid}/documents", headers=h, files={"files": ("IMG_0001.HEIC", buf.getvalue(),
                                                                                  "image/heic")})
    assert r.status_code == 201 and r.json()[0]["content_type"] == "image/heic"
