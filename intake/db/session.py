"""Engine and session factory for SQLite (default) and PostgreSQL, and `alembic upgrade head`.

SQLite: WAL journal, a busy timeout, foreign keys on, and every transaction begins
``IMMEDIATE`` so writers queue for the lock instead of failing with "database is locked"
when a read is upgraded to a write (audit-chain appends read then write).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from intake import defaults

__all__ = ["Database", "migrate", "schema_revision", "make_engine", "MIGRATIONS_DIR", "MIGRATE_LOCK_CLASS"]

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": defaults.SQLITE_BUSY_TIMEOUT, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={defaults.SQLITE_BUSY_TIMEOUT * 1000}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """One engine and session factory per process and URL."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.sessionmaker() as s:
            yield s

    def migrate(self) -> None:
        migrate(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


#: First key of the PostgreSQL advisory lock every migration takes ("bqmg" in ASCII, an int4);
#: the second is the schema's name hashed, so one schema's migrations queue while another
#: schema's (a test's, a second deployment's in the same database) go their own way.
MIGRATE_LOCK_CLASS = int.from_bytes(b"bqmg", "big")


def migrate(engine_or_url: Engine | str) -> None:
    """Bring the schema to the newest revision (``alembic upgrade head``), safely from any
    number of processes at once.

    Every start-up path calls this (``baoquan serve``, ``baoquan worker``, ``baoquan
    migrate``, the other commands), so on an empty database several workers starting
    together would otherwise run the same DDL at once and all but one fail. The upgrade runs
    in one transaction that first takes a lock; the others wait for it, then find the schema
    at head and do nothing:

    - PostgreSQL: ``pg_advisory_xact_lock`` (released with the transaction's commit or
      rollback, also if the process dies, since the server ends its transaction); the DDL
      is transactional, so a waiting process sees all of it or none;
    - SQLite: the transaction begins ``IMMEDIATE`` (``make_engine``): the file's write lock,
      held the same way.
    """
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    engine = make_engine(engine_or_url) if isinstance(engine_or_url, str) else engine_or_url
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k, hashtext(coalesce(current_schema(), '')))"),
                             {"k": MIGRATE_LOCK_CLASS})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    finally:
        if isinstance(engine_or_url, str):
            engine.dispose()


def schema_revision(engine: Engine) -> str | None:
    """The revision the schema is at (None before the first migration)."""
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
