"""Persistence: SQLAlchemy models, engine/session factory, Alembic migrations."""

from intake.db.session import Database, migrate

__all__ = ["Database", "migrate"]
