"""Alembic environment: runs on the connection `Store.migrate` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from scanner.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    url = context.config.get_main_option("sqlalchemy.url") or ""
    with create_engine(url).begin() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata)
        context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=Base.metadata)
    context.run_migrations()
