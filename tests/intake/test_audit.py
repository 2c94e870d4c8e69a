"""The hash chain: any edit, deletion or swap is reported at the first bad event."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import text

from intake import audit
from intake.db import Database


@pytest.fixture
def chain(db_url):
    db = Database(db_url)
    db.migrate()
    with db.session() as s:
        for i in range(1, 6):
            audit.record(s, "tester", "thing.done", "thing", i, n=i)
        s.commit()
    yield db
    db.dispose()


def _as_dba(db, *statements):
    """Tamper the way someone with DDL rights could: lift the append-only trigger first."""
    with db.engine.begin() as c:
        if db.is_sqlite:
            c.exec_driver_sql("DROP TRIGGER audit_events_no_update")
            c.exec_driver_sql("DROP TRIGGER audit_events_no_delete")
        else:
            c.exec_driver_sql("DROP TRIGGER audit_events_append_only ON audit_events")
        for st in statements:
            c.execute(text(st))


def _report(db):
    with db.session() as s:
        return audit.verify_chain(s)


def test_intact_chain(chain):
    r = _report(chain)
    assert r.ok and r.events == 5
    assert str(r) == "audit chain intact: 5 events"


def test_edited_event_is_named(chain):
    _as_dba(chain, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 3")
    r = _report(chain)
    assert (r.ok, r.bad_seq) == (False, 3)
    assert str(r) == "audit chain broken at event 3: content does not match its hash (edited)"


def test_deleted_event_is_named(chain):
    _as_dba(chain, "DELETE FROM audit_events WHERE seq = 2")
    r = _report(chain)
    assert (r.ok, r.bad_seq) == (False, 2)


def test_truncated_tail_is_detected(chain):
    _as_dba(chain, "DELETE FROM audit_events WHERE seq = 5")
    r = _report(chain)
    assert (r.ok, r.bad_seq) == (False, 5)


def test_swapped_events_are_detected(chain):
    _as_dba(chain,
            "UPDATE audit_events SET seq = 100 WHERE seq = 2",
            "UPDATE audit_events SET seq = 2 WHERE seq = 3",
            "UPDATE audit_events SET seq = 3 WHERE seq = 100")
    r = _report(chain)
    assert (r.ok, r.bad_seq) == (False, 2)


def test_cli_audit_verify_exit_codes(tmp_path):
    data = tmp_path / "data"
    env_cmd = [sys.executable, "-m", "intake.cli"]
    add = subprocess.run(env_cmd + ["user", "add", "ann", "--role", "clerk", "--password-stdin", "--data", str(data)],
                         input="a long password\n", capture_output=True, text=True, timeout=120)
    assert add.returncode == 0, add.stderr
    ok = subprocess.run(env_cmd + ["audit", "verify", "--data", str(data)], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and ok.stdout.strip() == "audit chain intact: 1 events"
    db = Database(f"sqlite:///{data / 'baoquan.db'}")
    _as_dba(db, "UPDATE audit_events SET details = '{}' WHERE seq = 1")
    db.dispose()
    bad = subprocess.run(env_cmd + ["audit", "verify", "--data", str(data)], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert bad.stdout.strip() == "audit chain broken at event 1: content does not match its hash (edited)"
