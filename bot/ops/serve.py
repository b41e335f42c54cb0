"""Start the action server, the Rasa server and the nurses' review workspace
together; stop them all cleanly.

Used by `bot run` (and so `make run`) and by the end-to-end tests.
"""
from __future__ import annotations

import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Dict, Iterator, List, Mapping, Optional

from bot import PROJECT_ROOT
from bot.ops import nginx
from bot.ops.endpoints import endpoints_file, redis_password
from bot.settings import VAR_DIR, sqlite_path


class Stack:
    """The server processes of one assistant."""

    def __init__(self, model: Path, env: Dict[str, str], output: Optional[IO] = None):
        self.model = model
        self.env = env
        self.output = output  # a file for the servers' output (default: ours)
        self.processes: List[subprocess.Popen] = []
        self.ready_urls: List[str] = []

    @property
    def rasa_url(self) -> str:
        return f"http://{self.env['RASA_HOST']}:{self.env['RASA_PORT']}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.env['ACTION_PORT']}"

    @property
    def review_url(self) -> str:
        return f"http://{self.env['REVIEW_HOST']}:{self.env['REVIEW_PORT']}"

    def rasa_ports(self, servers: int) -> List[str]:
        """One server listens on RASA_PORT; several sit behind nginx there,
        on the ports just above it."""
        port = int(self.env["RASA_PORT"])
        return [str(port)] if servers == 1 else [str(port + n) for n in range(1, servers + 1)]

    def start(self, with_actions: bool = True, with_review: bool = True,
              servers: int = 1) -> None:
        db_file = sqlite_path(self.env["DATABASE_URL"])
        if db_file:
            # Rasa's SQL store retries forever when the folder is missing.
            Path(db_file).parent.mkdir(parents=True, exist_ok=True)
            if Path(db_file).exists():  # made by an older version, or another umask
                Path(db_file).chmod(0o600)
        if with_actions:
            self.processes.append(self._spawn([
                "-m", "bot.ops.action_server", "--port", self.env["ACTION_PORT"],
            ]))
        endpoints = self._endpoints()
        ports = self.rasa_ports(servers)
        # Behind nginx, the servers themselves only listen locally.
        interface = self.env["RASA_HOST"] if servers == 1 else "127.0.0.1"
        for port in ports:
            rasa_cmd = [
                "-m", "rasa", "run", "--enable-api",
                "--model", str(self.model), "--interface", interface, "--port", port,
                "--endpoints", str(endpoints), "--credentials", "credentials.yml",
            ]
            # Rasa's HTTP API (trackers, events, the model) needs the token;
            # the channels' webhooks do not.
            # One argument with "=": a token may begin with "-" (token_urlsafe
            # does, one time in 64), which argparse would take for an option.
            rasa_cmd += [f"--auth-token={self.env['RASA_AUTH_TOKEN']}"]
            if self.env.get("RASA_CORS"):
                rasa_cmd += ["--cors", self.env["RASA_CORS"]]
            self.processes.append(self._spawn(rasa_cmd))
        self.ready_urls = [f"http://127.0.0.1:{port}/status" for port in ports]
        if servers > 1:
            self.processes.append(self._start_nginx(ports))
            # Only the widget and SMS routes are public through nginx.
            self.ready_urls.append(f"{self.rasa_url}/webhooks/widget/")
        if with_review:
            self.processes.append(self._spawn([
                "-m", "bot.review", "--host", self.env["REVIEW_HOST"],
                "--port", self.env["REVIEW_PORT"],
            ]))
            self.ready_urls.append(f"{self.review_url}/login")
        if with_actions:
            self.ready_urls.insert(0, f"{self.action_url}/health")

    def _start_nginx(self, ports: List[str]) -> subprocess.Popen:
        """The shipped deploy/nginx.conf on RASA_PORT, round robin over the servers."""
        executable = nginx.find_nginx()
        if executable is None:
            raise RuntimeError(f"several Rasa servers run behind nginx: {nginx.INSTALL_HINT}")
        # In var/, so a developer finds its access log (which holds no ids or text).
        self.nginx_prefix = VAR_DIR / f"nginx-{self.env['RASA_PORT']}"
        top = nginx.prepare(self.nginx_prefix, public={
            "PUBLIC_LISTEN": f"{self.env['RASA_HOST']}:{self.env['RASA_PORT']}",
            "RASA_SERVERS": nginx.upstream_servers([f"127.0.0.1:{port}" for port in ports]),
        })
        return subprocess.Popen(nginx.command(executable, self.nginx_prefix, top), cwd=PROJECT_ROOT,
                                stdout=self.output, stderr=subprocess.STDOUT if self.output else None)

    def _endpoints(self) -> Path:
        self._tmp = tempfile.TemporaryDirectory(prefix="bot-endpoints-")
        password = redis_password(self.env.get("REDIS_URL", ""))
        if password:
            self.env["REDIS_PASSWORD"] = password
        return endpoints_file(self.env, Path(self._tmp.name))

    def _spawn(self, args: List[str]) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, *args], cwd=PROJECT_ROOT, env=self.env,
                                stdout=self.output,
                                stderr=subprocess.STDOUT if self.output else None)

    def wait_ready(self, timeout: float = 180.0) -> None:
        """Block until every server answers, or raise if one dies or time runs out."""
        deadline = time.monotonic() + timeout
        for url in self.ready_urls:
            while True:
                self._raise_if_dead()
                if _answers(url, self.env.get("RASA_AUTH_TOKEN")):
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{url} did not answer within {timeout:.0f}s")
                time.sleep(0.5)

    def _raise_if_dead(self) -> None:
        for proc in self.processes:
            if proc.poll() is not None:
                raise RuntimeError(f"{proc.args[1:4]} exited with code {proc.returncode}")

    def first_exit(self) -> Optional[subprocess.Popen]:
        return next((p for p in self.processes if p.poll() is not None), None)

    def stop(self, grace: float = 20.0) -> None:
        for proc in self.processes:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for proc in self.processes:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def local_stack(env: Mapping[str, str], database_url: str, output: Optional[IO] = None,
                timeout: float = 300.0) -> Iterator[Stack]:
    """The current model served by an action server and a Rasa server on free
    local ports over `database_url` (migrated first); stopped on leaving. For
    tools that need a private assistant: `bot eval`, the load benchmark."""
    from bot.ops import training
    from bot.settings import runtime_env
    from bot.store import migrate

    env = dict(env, RASA_HOST="127.0.0.1", RASA_PORT=str(free_port()),
               ACTION_PORT=str(free_port()), DATABASE_URL=database_url)
    env.pop("ACTION_ENDPOINT_URL", None)  # derived from ACTION_PORT
    env = runtime_env(env)
    migrate.upgrade(database_url)
    stack = Stack(training.ensure_model(env), env, output=output)
    try:
        stack.start(with_review=False)
        stack.wait_ready(timeout=timeout)
        yield stack
    finally:
        stack.stop()


def free_port() -> int:
    """A TCP port nobody listens on right now, for servers started by tests and tools."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str, token: Optional[str]) -> bool:
    if token and "/status" in url:
        url += f"?token={token}"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False
