"""Database (SQLite and PostgreSQL) and the content-addressed, encrypted file store."""

from __future__ import annotations

import errno
import os

import pytest
from sqlalchemy import select, text

from intake import audit, cases, processing
from intake.auth import Principal
from intake.db import Database
from intake.db.models import Case, Document, Extraction
from intake.storage import LocalFileStore, StorageFull


@pytest.fixture
def db(db_url):
    d = Database(db_url)
    d.migrate()
    yield d
    d.dispose()


@pytest.fixture
def store(tmp_path):
    from cryptography.fernet import Fernet

    return LocalFileStore(tmp_path / "files", Fernet.generate_key())


def _policy(session, policy_record):
    from verify.types import Policy

    cases.import_policies(session, [Policy.model_validate(policy_record)], "test")


def test_migrations_run_from_empty_and_are_idempotent(db):
    db.migrate()
    with db.engine.connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0003"


def test_models_match_the_migrations(db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from intake.db.models import Base

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_case_lifecycle_round_trip(db, store, policy_record):
    agent = Principal(0, "agent", "agent")
    with db.session() as s:
        _policy(s, policy_record)
        case = cases.create_case(s, agent, "P2019000123", "bank_account_change", {"bank_name": "中国银行"})
        s.commit()
        docs = cases.add_documents(s, store, agent, case, [cases.Upload("a.png", b"\x89PNG\r\n\x1a\n" + b"1" * 100)],
                                   None)
    doc_id = docs[0].id
    with db.session() as s:
        assert processing.start_processing(s, doc_id, 3).attempts == 1
    result = {"kind": "id_card_front", "kind_confidence": 0.9, "quality": {"ok": True, "issues": []},
              "fields": {"name": {"value": "王建国", "confidence": 0.99}}, "lines": [{"text": "王建国", "confidence": 0.99, "box": [[0, 0], [9, 0], [9, 9], [0, 9]]}], "pages": 1}
    with db.session() as s:
        processing.record_extraction(s, doc_id, result)
    with db.session() as s:
        processing.record_extraction(s, doc_id, {**result, "kind": "other"})  # a re-run replaces, never adds
    with db.session() as s:
        case = s.get(Case, case.id)
        assert case.state == "ready_for_review"
        assert case.requested == {"bank_name": "中国银行"}
        # verify.engine ran (or, in a build without it, the case says it did not)
        assert case.verification is not None or case.verification_error.startswith("not run"), case.verification_error
        rows = s.execute(select(Extraction)).scalars().all()
        assert [(r.document_id, r.kind, r.fields["name"]["value"]) for r in rows] == [(doc_id, "other", "王建国")]
        assert s.get(Document, doc_id).state == "done"
        assert audit.verify_chain(s).ok


def test_audit_events_are_append_only(db):
    with db.session() as s:
        audit.record(s, "test", "x.happened", "thing", 1, note="hello")
        s.commit()
    for stmt in ("UPDATE audit_events SET actor = 'mallory'", "DELETE FROM audit_events"):
        with db.session() as s, pytest.raises(Exception, match="append-only"):
            s.execute(text(stmt))
            s.commit()


def test_concurrent_appenders_make_one_chain(db):
    import threading

    errors = []

    def write(n):
        try:
            for i in range(10):
                with db.session() as s:
                    audit.record(s, f"w{n}", "x", "t", i)
                    s.commit()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with db.session() as s:
        report = audit.verify_chain(s)
    assert report.ok and report.events == 40


def test_same_bytes_are_stored_once(store):
    a = store.put(b"same bytes")
    b = store.put(b"same bytes")
    assert a == b
    assert len([p for p in store.root.rglob("*") if p.is_file()]) == 1
    assert store.get(a) == b"same bytes"


def test_files_are_encrypted_at_rest(store):
    key = store.put(b"\x89PNG secret 110105198503071234")
    raw = store.path(key).read_bytes()
    assert b"110105198503071234" not in raw and b"PNG" not in raw
    assert store.get(key).endswith(b"110105198503071234")


def test_full_disk_leaves_no_partial_file_and_no_row(db, store, policy_record, monkeypatch):
    agent = Principal(0, "agent", "agent")
    with db.session() as s:
        _policy(s, policy_record)
        case = cases.create_case(s, agent, "P2019000123", "contact_change")
        s.commit()

    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with db.session() as s, pytest.raises(StorageFull):
        case = s.get(Case, case.id)
        cases.add_documents(s, store, agent, case, [cases.Upload("a.png", b"\x89PNG\r\n\x1a\nxxxx")], None)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert [p for p in store.root.rglob("*") if p.is_file()] == []
    with db.session() as s:
        assert s.execute(select(Document)).scalars().all() == []


@pytest.mark.redis
def test_full_disk_upload_answers_507(client, runtime, make_user, policy, monkeypatch):
    _, h = make_user("agent")
    assert runtime.store  # keys and directories exist before the disk "fills"
    cid = client.post("/api/v1/cases", json={"policy_no": "P2019000123", "type": "contact_change"}, headers=h).json()["id"]
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    r = client.post(f"/api/v1/cases/{cid}/documents", headers=h, files={"files": ("a.png", b"\x89PNG\r\n\x1a\nxxxx")})
    assert r.status_code == 507
    assert r.json() == {"detail": "the file store's disk is full"}


def test_file_key_rotation_keeps_old_files_readable_then_reencrypts(tmp_path):
    from cryptography.fernet import Fernet, InvalidToken

    old, new = Fernet.generate_key(), Fernet.generate_key()
    before = LocalFileStore(tmp_path / "files", old)
    k_old = before.put(b"written under the old key")
    rotated = LocalFileStore(tmp_path / "files", new, previous_keys=[old])
    assert rotated.get(k_old) == b"written under the old key"  # old files stay readable
    k_new = rotated.put(b"written under the new key")
    with pytest.raises(InvalidToken):
        before.get(k_new)  # new files use the new key
    assert rotated.reencrypt() == (2, 2)
    only_new = LocalFileStore(tmp_path / "files", new)
    assert only_new.get(k_old) == b"written under the old key" and only_new.get(k_new) == b"written under the new key"
    with pytest.raises(InvalidToken):
        before.get(k_old)


def test_keys_reencrypt_command(tmp_path, monkeypatch):
    from cryptography.fernet import Fernet

    from intake.cli import main

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    data = tmp_path / "data"
    key = LocalFileStore(data / "files", old).put(b"a stored document")
    monkeypatch.setenv("BAOQUAN_FILE_KEY", new)
    monkeypatch.setenv("BAOQUAN_FILE_KEY_PREVIOUS", old)
    assert main(["keys", "reencrypt", "--data", str(data)]) == 0
    assert LocalFileStore(data / "files", new).get(key) == b"a stored document"
