"""Alembic environment: runs migrations on the connection pharmadeals hands over."""
from __future__ import annotations

from alembic import context

from pharmadeals.models import tables  # noqa: F401  (registers the tables on Base.metadata)
from pharmadeals.models.base import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from pharmadeals.models.base import make_engine

        url = config.get_main_option("sqlalchemy.url")
        assert url is not None, "alembic needs a connection or sqlalchemy.url"
        engine = make_engine(url)
        with engine.begin() as conn:
            context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
