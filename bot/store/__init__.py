"""Storage only: the SQLAlchemy engine, the project's table models and their
Alembic migrations, Rasa's events table, handoff rows and SMS state (same
database as Rasa's tracker store, from DATABASE_URL)."""
