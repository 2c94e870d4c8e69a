"""Persistence: SQLAlchemy models, engine/session factory, Alembic migrations."""

from intake.db.session import Database, migrate, schema_revision

__all__ = ["Database", "migrate", "schema_revision"]
