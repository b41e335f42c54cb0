"""Every action test gets its own migrated SQLite store (handoffs are written there)."""
import pytest

from bot.store import migrate


@pytest.fixture(autouse=True)
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    migrate.upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    return url
