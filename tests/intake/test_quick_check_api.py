"""``POST /api/v1/quick-check``: who may call it, what it refuses, and that it stores nothing.

The verdict itself is ``extractors.quick_check``'s (tested in tests/extractors); here it
is stubbed except in the one test marked ``ocr``, which runs the real models.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.quick_check import QuickVerdict
from extractors.types import ERROR, Quality, QualityIssue

pytestmark = pytest.mark.redis

URL = "/api/v1/quick-check"
DOCS = Path(__file__).resolve().parents[2] / "samples" / "docs"
KEYS = {"kind", "kind_confidence", "quality", "retake", "message_zh"}


@pytest.fixture
def stub_check(monkeypatch):
    """The quick check without models: every file is a blurred ID front."""
    import extractors.ocr
    import extractors.quick_check

    calls = []

    def fake(data, engine, **kw):
        calls.append((len(data), kw))
        return QuickVerdict("id_card_front", 0.97, Quality([QualityIssue("blur", ERROR, "照片模糊")]))

    monkeypatch.setattr(extractors.quick_check, "quick_check", fake)
    monkeypatch.setattr(extractors.ocr, "get_engine", lambda *a, **kw: object())
    return calls


def _stored(runtime) -> tuple[int, int, int, list[Path]]:
    from sqlalchemy import func, select

    from intake.db.models import AuditEvent, Document, Extraction

    with runtime.db.session() as s:
        counts = tuple(s.scalar(select(func.count()).select_from(m)) for m in (Document, Extraction, AuditEvent))
    files = sorted(p for p in runtime.settings.files_dir.rglob("*") if p.is_file())
    return (*counts, files)


@pytest.mark.parametrize("role", ["agent", "clerk", "admin"])
def test_agent_clerk_admin_get_a_verdict_and_nothing_is_stored(client, make_user, make_png, runtime, stub_check, role):
    _, h = make_user(role)
    before = _stored(runtime)
    r = client.post(URL, headers=h, files={"file": ("id.png", make_png(), "image/png")})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == KEYS
    assert body == {"kind": "id_card_front", "kind_confidence": 0.97,
                    "quality": {"ok": False, "issues": [{"code": "blur", "severity": "error", "message": "照片模糊"}]},
                    "retake": True, "message_zh": "身份证人像面：模糊，请重拍"}
    assert stub_check[0][1] == {"max_pixels": runtime.settings.max_pixels}
    assert _stored(runtime) == before


def test_auditor_is_refused(client, make_user, make_png, stub_check):
    _, h = make_user("auditor")
    r = client.post(URL, headers=h, files={"file": ("id.png", make_png(), "image/png")})
    assert r.status_code == 403
    assert stub_check == []


def test_no_token_is_401(client, make_png, stub_check):
    r = client.post(URL, files={"file": ("id.png", make_png(), "image/png")})
    assert r.status_code == 401
    assert r.json() == {"detail": "Not authenticated"}
    assert stub_check == []


def test_text_file_is_415(client, make_user, runtime, stub_check):
    _, h = make_user("agent")
    before = _stored(runtime)
    r = client.post(URL, headers=h, files={"file": ("id.jpg", b"just some text, not a photo", "image/jpeg")})
    assert r.status_code == 415
    assert r.json() == {"detail": "unsupported file type: send JPEG, PNG, HEIC, PDF, WebP, TIFF or BMP"}
    assert stub_check == []
    assert _stored(runtime) == before


def test_empty_file_and_pixel_bomb_are_422(client, make_user, stub_check):
    import struct
    import zlib

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", 8000, 8000, 8, 2, 0, 0, 0)
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")
    _, h = make_user("agent")
    r = client.post(URL, headers=h, files={"file": ("a.png", b"", "image/png")})
    assert r.status_code == 422
    r = client.post(URL, headers=h, files={"file": ("a.png", bomb, "image/png")})
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == "image is 8000×8000 = 64000000 pixels; the limit is 60000000 pixels"
    assert stub_check == []


def test_missing_file_field_is_422(client, make_user, stub_check):
    _, h = make_user("agent")
    r = client.post(URL, headers=h, data={"note": "no file"})
    assert r.status_code == 422
    assert stub_check == []


@pytest.mark.ocr
def test_real_photo_through_the_app(client, make_user, runtime):
    _, h = make_user("agent")
    before = _stored(runtime)
    r = client.post(URL, headers=h, files={"file": ("id.jpg", (DOCS / "id_front_01.jpg").read_bytes(), "image/jpeg")})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == KEYS
    assert body["kind"] == "id_card_front" and body["retake"] is False
    assert body["message_zh"] == "身份证人像面：可用"
    assert _stored(runtime) == before
