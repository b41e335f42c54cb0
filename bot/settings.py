"""Runtime settings from the environment, with local defaults.

Secrets and deployment addresses come only from the environment. `runtime_env`
returns a copy of the environment with every variable endpoints.yml needs,
so `rasa` subprocesses started by `bot` always find them.
"""
from __future__ import annotations

import os
from typing import Dict, Mapping, Optional

from bot import PROJECT_ROOT

VAR_DIR = PROJECT_ROOT / "var"
MODELS_DIR = PROJECT_ROOT / "models"

DEFAULTS = {
    "RASA_HOST": "127.0.0.1",
    "RASA_PORT": "5005",
    "ACTION_PORT": "5055",
    "DATABASE_URL": f"sqlite:///{VAR_DIR / 'rasa.db'}",
    "REVIEW_HOST": "127.0.0.1",
    "REVIEW_PORT": "5010",
}


def runtime_env(base: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    env = dict(os.environ if base is None else base)
    for key, value in DEFAULTS.items():
        env.setdefault(key, value)
    env.setdefault(
        "ACTION_ENDPOINT_URL", f"http://127.0.0.1:{env['ACTION_PORT']}/webhook"
    )
    # Rasa and TensorFlow are chatty on start-up; keep the console readable.
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    return env


def sqlite_path(database_url: str) -> Optional[str]:
    """The file behind an SQLite URL (None for other databases or in-memory)."""
    prefix = "sqlite:///"
    if not database_url.startswith(prefix):
        return None
    path = database_url[len(prefix):]
    return path or None
