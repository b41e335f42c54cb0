"""`bot sms-sim`: text the assistant from a terminal, the way Twilio would.

It plays both sides of Twilio: it signs each message like Twilio's inbound
webhook (X-Twilio-Signature with TWILIO_AUTH_TOKEN) and posts it to the Rasa
server's /webhooks/sms/webhook, and it runs a small fake of Twilio's
Messages API (on SMS_SIM_PORT, where `bot run` sends replies when no real
Twilio account is configured) to print the replies. The tests use the same
two pieces.
"""
from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from base64 import b64encode
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List, Mapping, Optional

from twilio.request_validator import RequestValidator


class FakeTwilio:
    """Twilio's Messages API on localhost: records what would be texted.

    `fail_next` answers that many requests with HTTP 503 first (to test retries)."""

    def __init__(self, account_sid: str, auth_token: str, port: int = 0):
        self.account_sid, self.auth_token = account_sid, auth_token
        self.sent: List[Dict[str, str]] = []
        self.fail_next = 0
        self.requests = 0
        self._changed = threading.Condition()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                status, answer = fake._receive(self.path, self.headers.get("Authorization"), form)
                body = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender gave up (a server shutting down): nothing to tell

            def log_message(self, *args):  # keep test and terminal output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _receive(self, path: str, authorization: Optional[str], form: Dict[str, str]):
        with self._changed:
            self.requests += 1
            if path != f"/2010-04-01/Accounts/{self.account_sid}/Messages.json":
                return 404, {"code": 20404, "message": "not found"}
            if authorization != "Basic " + _basic(self.account_sid, self.auth_token):
                return 401, {"code": 20003, "message": "authenticate"}
            if self.fail_next > 0:
                self.fail_next -= 1
                return 503, {"code": 20503, "message": "service unavailable"}
            sid = "SM" + uuid.uuid4().hex
            self.sent.append({**form, "Sid": sid})  # what Twilio took, and the id it gave
            self._changed.notify_all()
            return 201, {"sid": sid, "status": "queued"}

    def to(self, number: str) -> List[str]:
        with self._changed:
            return [m["Body"] for m in self.sent if m.get("To") == number]

    def forms_to(self, number: str) -> List[Dict[str, str]]:
        """Every text to `number` as Twilio took it, with its "Sid"."""
        with self._changed:
            return [dict(m) for m in self.sent if m.get("To") == number]

    def wait_for(self, number: str, count: int = 1, timeout: float = 30.0,
                 quiet: float = 0.0) -> List[str]:
        """Bodies texted to `number`, once at least `count` arrived (and, with
        `quiet`, nothing more came for that many seconds)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                seen = len([m for m in self.sent if m.get("To") == number])
                if seen >= count:
                    if not quiet:
                        break
                    if not self._changed.wait(timeout=quiet):
                        break
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._changed.wait(timeout=remaining):
                    break
        return self.to(number)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _basic(user: str, password: str) -> str:
    return b64encode(f"{user}:{password}".encode()).decode()


def send_inbound(webhook_url: str, auth_token: str, phone: str, body: str,
                 message_sid: Optional[str] = None, extra: Optional[Mapping[str, str]] = None,
                 signed_url: Optional[str] = None, signature_override: Optional[str] = None) -> int:
    """POST one inbound SMS like Twilio does; returns the HTTP status."""
    form = {"MessageSid": message_sid or "SM" + uuid.uuid4().hex, "AccountSid": "ACsim",
            "From": phone, "To": "+15550100000", "Body": body, "NumMedia": "0", **(extra or {})}
    return post_signed(webhook_url, auth_token, form, signed_url, signature_override)


def post_signed(url: str, auth_token: str, form: Mapping[str, str], signed_url: Optional[str] = None,
                signature_override: Optional[str] = None) -> int:
    """POST a form signed as Twilio signs its webhooks; returns the HTTP status."""
    # Signed with Twilio's own library, so the server's check is tested against it.
    sig = signature_override if signature_override is not None else RequestValidator(
        auth_token).compute_signature(signed_url or url, dict(form))
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if sig:
        headers["X-Twilio-Signature"] = sig
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(),
                                     headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run(env: Mapping[str, str], phone: str) -> int:
    """The interactive simulator."""
    webhook = f"http://{env['RASA_HOST']}:{env['RASA_PORT']}/webhooks/sms/webhook"
    try:
        fake = FakeTwilio(env["TWILIO_ACCOUNT_SID"], env["TWILIO_AUTH_TOKEN"],
                          int(env["SMS_SIM_PORT"]))
    except OSError as error:
        print(f"Cannot listen on port {env['SMS_SIM_PORT']} for replies ({error}); "
              "is another sms-sim running?")
        return 1
    if not env["TWILIO_API_BASE"].startswith(fake.url):
        print(f"Note: the server sends replies to {env['TWILIO_API_BASE']}, not to this "
              f"simulator ({fake.url}); replies will not show here.")
    print(f"Texting {webhook} as {phone}. Type a message; ':photo' sends a picture "
          "without text; Ctrl-D quits.")
    try:
        while True:
            try:
                text = input("you> ")
            except EOFError:
                print()
                return 0
            before = len(fake.to(phone))
            extra = {"NumMedia": "1", "MediaUrl0": "https://example.invalid/photo.jpg"} \
                if text.strip() == ":photo" else None
            status = send_inbound(webhook, env["TWILIO_AUTH_TOKEN"], phone,
                                  "" if extra else text, extra=extra)
            if status != 200:
                print(f"(the server answered HTTP {status}; is `make run` running?)")
                continue
            replies = fake.wait_for(phone, before + 1, timeout=20, quiet=1.5)[before:]
            for reply in replies:
                print(f"sms> {reply}\n     [{len(reply)} chars]")
            if not replies:
                print("(no reply in 20 s: this number sent STOP, or the server sends elsewhere)")
    finally:
        fake.close()
