"""`baoquan migrate`: bring the database schema to the newest revision, once, then exit.

`baoquan serve` and `baoquan worker` upgrade at start too, and may all start at once on
an empty database: ``intake.db.migrate`` takes a lock (PostgreSQL advisory lock, SQLite's
write lock) so they run one after the other and all but the first find nothing to do. A
deployment may still run this first (compose's one-shot ``migrate`` service, the API
unit's ``ExecStartPre``) to see a failed migration as one failed step, not as every
process failing to start; it prints the revision the schema is at.
"""

from __future__ import annotations

import sys

__all__ = ["run"]


def run(args, settings) -> int:
    from intake.db.session import make_engine, migrate, schema_revision

    settings.ensure_dirs()  # the SQLite default lives under the data dir
    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
        version = schema_revision(engine)
    finally:
        engine.dispose()
    print(f"database schema at revision {version}", file=sys.stderr)
    return 0
