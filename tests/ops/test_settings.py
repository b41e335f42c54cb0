"""Runtime settings: local defaults, and a clear refusal of settings that cannot work."""
import os
import subprocess
import sys

import pytest

from bot import PROJECT_ROOT, settings


def test_without_a_twilio_account_replies_go_to_the_local_simulator():
    env = settings.runtime_env({})
    assert env["TWILIO_API_BASE"] == f"http://127.0.0.1:{env['SMS_SIM_PORT']}"
    assert env["TWILIO_AUTH_TOKEN"]  # the local development secret


def test_a_twilio_account_with_its_token_talks_to_twilio():
    token = "0123456789abcdef0123456789abcdef"  # Twilio's are 32 hex digits
    env = settings.runtime_env({"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": token})
    assert env["TWILIO_API_BASE"] == "https://api.twilio.com"
    assert env["TWILIO_AUTH_TOKEN"] == token


def test_twilio_answers_the_sms_keywords_when_there_is_twilio_and_we_do_when_there_is_not():
    token = "0123456789abcdef0123456789abcdef"
    with_twilio = settings.runtime_env({"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": token})
    assert with_twilio["SMS_KEYWORD_REPLIES"] == settings.KEYWORDS_ANSWERED_BY_TWILIO
    assert settings.runtime_env({})["SMS_KEYWORD_REPLIES"] == settings.KEYWORDS_ANSWERED_BY_US


@pytest.mark.parametrize("name", settings.DEV_SECRETS)
@pytest.mark.parametrize("value", ["CHANGE-ME", "x-CHANGE-ME-x", "short"])
def test_placeholder_or_short_secrets_are_refused_at_start(name, value):
    with pytest.raises(settings.SettingsError, match=name):
        settings.runtime_env({name: value})


def test_the_local_secrets_file_is_readable_by_its_owner_only():
    settings.runtime_env({})
    assert settings.DEV_SECRETS_FILE.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("token", [None, ""])
def test_a_twilio_account_without_its_token_is_refused(token):
    base = {"TWILIO_ACCOUNT_SID": "AC1"}
    if token is not None:
        base["TWILIO_AUTH_TOKEN"] = token
    with pytest.raises(settings.SettingsError, match="TWILIO_AUTH_TOKEN"):
        settings.runtime_env(base)


def test_bot_run_says_what_is_wrong_instead_of_starting():
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWILIO_")}
    env["TWILIO_ACCOUNT_SID"] = "AC1"
    done = subprocess.run([sys.executable, "-m", "bot.cli", "run"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "TWILIO_AUTH_TOKEN is not" in done.stderr
    assert "Traceback" not in done.stderr
