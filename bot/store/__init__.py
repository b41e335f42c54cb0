"""SQLAlchemy models and queries for the project's own tables (same database as
Rasa's tracker store, from DATABASE_URL)."""
