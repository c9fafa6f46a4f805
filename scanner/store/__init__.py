"""The appliance's store: SQLAlchemy 2 tables, Alembic migrations and repository functions."""

from scanner.store.db import Store

__all__ = ["Store"]
