"""Several processes migrating one empty database at the same moment (three workers
starting together on a fresh deployment) all succeed: ``intake.db.migrate`` takes a lock
(PostgreSQL advisory lock, SQLite's write lock), the first upgrades, the others wait and
then find the schema at head.

Each process connects and imports everything first, then waits for a common instant, so
the three upgrades really do start together.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from intake.db.session import make_engine

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 3

CHILD = r"""
import sys, time
import alembic.command, alembic.config  # noqa: F401  (imported before the common instant)
import intake.db.models  # noqa: F401
from intake.db.session import make_engine, migrate
engine = make_engine(sys.argv[1])
with engine.connect() as conn:
    conn.exec_driver_sql("SELECT 1")
slack = float(sys.argv[2]) - time.time()
time.sleep(max(0.0, slack))
migrate(engine)
print(f"migrated {slack:.3f}", flush=True)
"""


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from intake.db.session import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg).get_current_head()


def _migrate_at_once(url: str) -> None:
    start_at = time.time() + 10  # time for three interpreters to start on a loaded 2-core machine
    procs = [subprocess.Popen([sys.executable, "-c", CHILD, url, str(start_at)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(PROCESSES)]
    outputs = [p.communicate(timeout=120) for p in procs]
    results = [(p.returncode, out, err) for p, (out, err) in zip(procs, outputs)]
    for rc, out, err in results:
        assert rc == 0 and out.strip().startswith("migrated "), err[-2000:]
        # each child was ready before the common instant, so the three migrated together
        assert float(out.split()[1]) > 0, f"a child was ready only after the common instant: {out}"
    engine = make_engine(url)
    try:
        from intake.db.models import Base

        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [_head()]
            assert set(Base.metadata.tables) <= set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_three_processes_migrate_a_fresh_postgresql_schema_at_once():
    from tests.conftest import _pg_schema_url

    url, drop = _pg_schema_url()
    try:
        _migrate_at_once(url)
    finally:
        drop()


def test_three_processes_migrate_a_fresh_sqlite_file_at_once(tmp_path):
    _migrate_at_once(f"sqlite:///{tmp_path / 'fresh.db'}")


def test_the_migrate_command_upgrades_and_says_to_which_revision(tmp_path, monkeypatch, capsys):
    from intake.cli import main

    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["migrate", "--data", str(tmp_path / "data")]) == 0
    assert f"database schema at revision {_head()}" in capsys.readouterr().err
    assert main(["migrate", "--data", str(tmp_path / "data")]) == 0  # again: nothing to do, same answer
    assert f"database schema at revision {_head()}" in capsys.readouterr().err
