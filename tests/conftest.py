"""Shared fixtures. The model is trained once per test run (and reused across
runs when the training inputs have not changed; see bot/ops/training.py)."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

import pytest
import yaml

from bot import PROJECT_ROOT, settings
from bot.ops import training
from bot.ops.serve import free_port

os.environ.update({k: v for k, v in settings.runtime_env().items() if k not in os.environ})


@pytest.fixture(scope="session")
def domain() -> Dict:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())


@pytest.fixture(scope="session")
def trained_model() -> Path:
    return training.ensure_model(settings.runtime_env())


@pytest.fixture(scope="session")
def agent(trained_model):
    """The trained model, loaded in-process (no action server, no tracker store)."""
    from rasa.core.agent import Agent

    return Agent.load(str(trained_model))


@pytest.fixture(scope="session")
def nlu_parser(agent):
    """parse(texts) -> list of Rasa parse results, from the trained model in-process."""

    def parse(texts: List[str]) -> List[Dict]:
        async def run():
            return [await agent.parse_message(text) for text in texts]

        return asyncio.run(run())

    return parse


def eventually(check: Callable[[], Any], seconds: float = 30, every: float = 0.5) -> Any:
    """`check()` once it gives something truthy, or its last result after
    `seconds`: for what a server finishes after it has answered."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(every)


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request, tmp_path) -> str:
    """An empty database, once on SQLite and once on the machine's PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    from tests.services import fresh_postgres_database

    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def db_url(empty_db_url) -> str:
    """A database migrated to the newest revision, on SQLite and PostgreSQL."""
    from bot.store import migrate

    migrate.upgrade(empty_db_url)
    return empty_db_url


class RunningBot:
    """`bot run` (what `make run` starts) on free ports with its own SQLite file
    (or the DATABASE_URL and other settings given as keyword arguments, and
    `bot run` options in `args`)."""

    def __init__(self, db: Optional[Path] = None, args: Sequence[str] = (), **env):
        self.db = db
        self.env = settings.runtime_env()
        self.env.update(RASA_PORT=str(free_port()), ACTION_PORT=str(free_port()),
                        REVIEW_PORT=str(free_port()), REVIEW_SECRET_KEY="test-only-key-not-a-secret")
        if db:
            self.env["DATABASE_URL"] = f"sqlite:///{db}"
        self.env.update(env)
        self.database_url = self.env["DATABASE_URL"]
        self.review_url = f"http://127.0.0.1:{self.env['REVIEW_PORT']}"
        self.env.pop("ACTION_ENDPOINT_URL", None)  # derived from ACTION_PORT
        self.url = f"http://127.0.0.1:{self.env['RASA_PORT']}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run", *args], cwd=PROJECT_ROOT, env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        # Drain the servers' output as it comes (a full pipe would stall them)
        # and keep it, so tests can check what the logs say.
        self.output: List[str] = []
        threading.Thread(target=lambda: self.output.extend(self.proc.stdout), daemon=True).start()
        # Behind nginx (--servers N) `bot run` says when all are up: asking
        # nginx earlier would mark the servers still starting as down for a while.
        ready = ((lambda: any("The assistant is running." in line for line in self.output))
                 if "--servers" in args else (lambda: self._answers(self.api(self.url, "/status"))))
        self.wait_until(lambda: ready()
                        and port_open(int(self.env["ACTION_PORT"]))
                        and port_open(int(self.env["REVIEW_PORT"])))

    def wait_until(self, ready: Callable[[], bool], seconds: float = 300) -> None:
        deadline = time.monotonic() + seconds
        while not ready():
            assert self.proc.poll() is None, "".join(self.output)[-3000:]
            assert time.monotonic() < deadline, "the assistant did not start"
            time.sleep(1)

    @staticmethod
    def _answers(url: str) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except OSError:
            return False

    def send(self, sender: str, message) -> List[Dict]:
        body = json.dumps({"sender": sender, "message": message}).encode()
        request = urllib.request.Request(f"{self.url}/webhooks/rest/webhook", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)

    def tracker(self, sender: str) -> Dict:
        with urllib.request.urlopen(self.api(self.url, f"/conversations/{sender}/tracker"),
                                    timeout=30) as r:
            return json.load(r)

    def api(self, server_url: str, path: str) -> str:
        """A URL of Rasa's HTTP API, with the token it requires."""
        return f"{server_url}{path}?token={urllib.parse.quote(self.env['RASA_AUTH_TOKEN'])}"

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)


# As a deployment with a Twilio account: Twilio's opt-out handling answers
# STOP, START and HELP (runtime_env's default with TWILIO_ACCOUNT_SID, set
# here because RunningBot starts from the local environment's settings).
SMS_TEST_ENV = {"TWILIO_ACCOUNT_SID": "ACtest", "TWILIO_AUTH_TOKEN": "test-auth-token-not-a-secret",
                "TWILIO_FROM_NUMBER": "+15550100000", "SMS_SENDER_KEY": "test-sender-key-not-a-secret",
                "SMS_KEYWORD_REPLIES": "twilio",
                "SMS_STATUS_CALLBACK_URL": "https://bot.example.org/webhooks/sms/status"}


@pytest.fixture(scope="session")
def fake_twilio():
    """Twilio's Messages API on localhost: the SMS replies of the `server`."""
    from bot.devtools.sms_sim import FakeTwilio

    fake = FakeTwilio(SMS_TEST_ENV["TWILIO_ACCOUNT_SID"], SMS_TEST_ENV["TWILIO_AUTH_TOKEN"])
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def server(trained_model, tmp_path_factory, fake_twilio):
    """One running assistant shared by the end-to-end tests."""
    bot = RunningBot(tmp_path_factory.mktemp("store") / "rasa.db", **SMS_TEST_ENV,
                     TWILIO_API_BASE=fake_twilio.url)
    yield bot
    # Ctrl-C/SIGTERM on `bot run` must stop both servers cleanly.
    assert bot.stop() == 0
    for port in ("RASA_PORT", "ACTION_PORT", "REVIEW_PORT"):
        assert not port_open(int(bot.env[port])), port


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright (skipped, or failed under
    REQUIRE_SERVICES=1, when /usr/bin/chromium is missing). Per module:
    Playwright's sync API keeps an event loop running while it is open, which
    would break later tests that call asyncio.run."""
    from tests.services import CHROMIUM, CHROMIUM_ARGS, need_chromium

    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def texts(replies: List[Dict]) -> str:
    return " ".join(r.get("text") or "" for r in replies)
