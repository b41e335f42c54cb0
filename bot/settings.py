"""Runtime settings from the environment, with local defaults.

Secrets and deployment addresses come only from the environment. `runtime_env`
returns a copy of the environment with every variable endpoints.yml needs,
so `rasa` subprocesses started by `bot` always find them.
"""
from __future__ import annotations

import json
import os
import secrets
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
    "SMS_SIM_PORT": "5090",
}
# Secrets a deployment must set. On a developer machine they are made up once
# and kept in var/dev-secrets.json (never committed), so `make run`, the SMS
# simulator and the review workspace agree without anyone inventing a secret.
# RASA_AUTH_TOKEN locks Rasa's HTTP API (trackers, events, the model);
# ACTION_SERVER_TOKEN is what the Rasa server shows the action server.
DEV_SECRETS = ("REVIEW_SECRET_KEY", "TWILIO_AUTH_TOKEN", "SMS_SENDER_KEY", "RASA_AUTH_TOKEN",
               "ACTION_SERVER_TOKEN")
DEV_SECRETS_FILE = VAR_DIR / "dev-secrets.json"
KEYWORDS_ANSWERED_BY_TWILIO, KEYWORDS_ANSWERED_BY_US = "twilio", "app"  # SMS_KEYWORD_REPLIES
# How long conversations are kept (`bot transcripts purge`), and so how long an
# escalation's reference code can be looked up.
RETENTION_DAYS = 90
PLACEHOLDER = "CHANGE-ME"  # what deploy/env.example holds where a secret goes
MIN_SECRET_CHARS = 16


class SettingsError(ValueError):
    """A combination of settings that cannot work; the message says what to change."""


def retention_days(env: Optional[Mapping[str, str]] = None) -> int:
    """RETENTION_DAYS from the environment (at least 1), or the default."""
    value = (os.environ if env is None else env).get("RETENTION_DAYS", "")
    try:
        days = int(value) if value.strip() else RETENTION_DAYS
    except ValueError:
        raise SettingsError(f"RETENTION_DAYS must be a whole number of days, not {value!r}")
    if days < 1:
        raise SettingsError("RETENTION_DAYS must be at least 1")
    return days


def runtime_env(base: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    env = dict(os.environ if base is None else base)
    if env.get("TWILIO_ACCOUNT_SID") and not env.get("TWILIO_AUTH_TOKEN"):
        # The local development token would fill in, and Twilio's signatures
        # would never match: every text refused with a 403, quietly.
        raise SettingsError(
            "TWILIO_ACCOUNT_SID is set but TWILIO_AUTH_TOKEN is not, so every text from "
            "Twilio would be refused. Set TWILIO_AUTH_TOKEN to the account's auth token, "
            "or unset TWILIO_ACCOUNT_SID to use the local SMS simulator.")
    for key, value in DEFAULTS.items():
        env.setdefault(key, value)
    env.setdefault(
        "ACTION_ENDPOINT_URL", f"http://127.0.0.1:{env['ACTION_PORT']}/webhook"
    )
    if any(name not in env for name in DEV_SECRETS):
        for name, value in _dev_secrets().items():
            env.setdefault(name, value)
    for name in DEV_SECRETS:
        require_secret(env, name)
    # Without a real Twilio account, replies go to the local SMS simulator.
    # Twilio always answers STOP, START and HELP itself (its opt-out handling),
    # so with Twilio we only keep the state; without it we send the confirmation.
    if "TWILIO_ACCOUNT_SID" in env:
        env.setdefault("TWILIO_API_BASE", "https://api.twilio.com")
        env.setdefault("SMS_KEYWORD_REPLIES", KEYWORDS_ANSWERED_BY_TWILIO)
    else:
        env["TWILIO_ACCOUNT_SID"] = "AClocaldevelopment"
        env.setdefault("TWILIO_API_BASE", f"http://127.0.0.1:{env['SMS_SIM_PORT']}")
        env.setdefault("SMS_KEYWORD_REPLIES", KEYWORDS_ANSWERED_BY_US)
    env.setdefault("TWILIO_FROM_NUMBER", "+15550100000")
    # Rasa and TensorFlow are chatty on start-up; keep the console readable.
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    return env


def require_secret(env: Mapping[str, str], name: str) -> str:
    """The secret `name`, refused with a clear error when it is missing, still
    the example's placeholder, or too short to be a secret."""
    value = env.get(name) or ""
    if not value or PLACEHOLDER in value or len(value) < MIN_SECRET_CHARS:
        what = "is not set" if not value else (
            f"is still the placeholder {PLACEHOLDER}" if PLACEHOLDER in value
            else f"is shorter than {MIN_SECRET_CHARS} characters")
        raise SettingsError(f"{name} {what}. Set it to a long random value, e.g. the output of "
                            f"`python -c 'import secrets; print(secrets.token_urlsafe(32))'`.")
    return value


def _dev_secrets() -> Dict[str, str]:
    try:
        secrets_ = json.loads(DEV_SECRETS_FILE.read_text())
    except (OSError, ValueError):
        secrets_ = {}
    if not all(name in secrets_ for name in DEV_SECRETS):
        secrets_ = {**{name: secrets.token_urlsafe(32) for name in DEV_SECRETS}, **secrets_}
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        DEV_SECRETS_FILE.touch(mode=0o600)
        DEV_SECRETS_FILE.chmod(0o600)
        DEV_SECRETS_FILE.write_text(json.dumps(secrets_, indent=2))
    return secrets_


def sqlite_path(database_url) -> Optional[str]:
    """The file behind an SQLite URL, string or SQLAlchemy URL (None for other
    databases or in-memory)."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return url.database
