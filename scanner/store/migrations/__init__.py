"""Alembic migrations of the authscan store (run at start by `Store.migrate`)."""
