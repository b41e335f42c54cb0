"""Alembic environment: run by `bot db upgrade` (bot/store/migrate.py), which
passes an open connection; the URL never goes through a config file."""
from alembic import context

from bot.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
