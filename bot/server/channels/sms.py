"""SMS through Twilio: POST /webhooks/sms/webhook (Twilio's inbound webhook).

For each inbound message:
1. the X-Twilio-Signature must match (else 403, nothing processed);
2. a MessageSid seen before is acknowledged and ignored (Twilio may deliver twice);
3. STOP/START/HELP (Twilio's keywords) change the opt-out state; their one
   confirmation comes from Twilio's opt-out handling, or from us when there
   is no Twilio (SMS_KEYWORD_REPLIES); empty and media-only messages get a
   fixed answer;
   anything else runs through Rasa (with the REST channel's safety net), a
   reply of "1", "2" ... standing for that option of the last numbered menu;
4. Twilio gets an empty TwiML answer at once; the message is handled in the
   background (one sender's in the order they came), and the replies go out
   through Twilio's REST API, in order, with retries;
5. what became of each text is kept (sms_deliveries): Twilio's answer when
   sending, then its signed status callbacks (POST /webhooks/sms/status), so
   an escalation text that failed or was undelivered reaches the nurses' queue.

The phone number is PHI: the conversation key is a keyed hash of it
(SMS_SENDER_KEY), the number itself only lives in memory until the replies
are sent, and logs show neither it nor the message text.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import uuid
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, List, Optional, Set, Text, Tuple
from urllib.parse import parse_qsl

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.core import sms_replies
from bot.core.clean_text import clean as clean_text
from bot.core.slots import SMS_CHOICE
from bot.settings import KEYWORDS_ANSWERED_BY_TWILIO, KEYWORDS_ANSWERED_BY_US, SettingsError, require_secret
from bot.server.channels import sms_text, twilio
from bot.server.channels.rest import MAX_MESSAGE_CHARS, handle
from bot.store import sms as sms_store

logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
KEYWORD_INTENT = "sms_keyword"  # how keyword messages appear in transcripts
OPTED_OUT_ERROR = "21610"  # Twilio's code for a number that replied STOP: nothing was sent


def sender_key(phone: str, secret: str) -> str:
    """The conversation id for a phone number: a keyed hash, not the number.
    A sender without digits (Twilio's "client:alice" identities) is keyed by
    the whole identity, so two of them never share a conversation."""
    number = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    identity = number if any(ch.isdigit() for ch in number) else phone.strip().lower()
    return "sms-" + hmac.new(secret.encode(), identity.encode(), hashlib.sha256).hexdigest()[:40]


class SmsInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "sms"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SmsInput":
        return cls(os.environ)

    def __init__(self, env) -> None:
        for name in ("TWILIO_AUTH_TOKEN", "SMS_SENDER_KEY"):
            require_secret(env, name)  # refuse a placeholder before it signs anything
        self.twilio = twilio.config_from(env)
        self.sender_secret = env["SMS_SENDER_KEY"]
        self.public_url = (env.get("SMS_PUBLIC_URL") or "").rstrip("/")
        answered_by = env.get("SMS_KEYWORD_REPLIES", KEYWORDS_ANSWERED_BY_TWILIO)
        if answered_by not in (KEYWORDS_ANSWERED_BY_TWILIO, KEYWORDS_ANSWERED_BY_US):
            raise SettingsError(f"SMS_KEYWORD_REPLIES must be {KEYWORDS_ANSWERED_BY_TWILIO!r} "
                                f"or {KEYWORDS_ANSWERED_BY_US!r}, not {answered_by!r}")
        # One confirmation per keyword: Twilio's, or ours when there is no Twilio.
        self.we_answer_keywords = answered_by == KEYWORDS_ANSWERED_BY_US
        self._tasks: Set[asyncio.Task] = set()
        self._answering = _OneAtATime()  # one sender's messages, in the order they came
        self._sending = _OneAtATime()  # one conversation's replies never overtake each other

    def signed_url(self, request: Request) -> str:
        """The URL Twilio signed: behind a proxy, the public one."""
        if not self.public_url:
            return request.url
        query = f"?{request.query_string}" if request.query_string else ""
        return f"{self.public_url}{request.path}{query}"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            form = self._signed_form(request)
            if form is None:
                return response.text("invalid signature", status=403)
            phone, sid = form.get("From", ""), form.get("MessageSid", "")
            if not phone or not sid:
                return response.text("From and MessageSid are required", status=400)
            sender = sender_key(phone, self.sender_secret)
            # Unknown when the database is down: answer it (twice at worst, never not at all).
            if not await _stored(sms_store.first_delivery, sid, sender, otherwise=True):
                return _twiml()  # a repeated delivery: answered the first time
            # Twilio gets its answer now, whatever the work (it gives up at
            # 15 s); one sender's messages are handled in the order they came.
            self._in_background(self._answer_in_turn(request, on_new_message, sender, phone, form))
            return _twiml()

        @webhook.route("/status", methods=["POST"])  # twilio.STATUS_PATH
        async def delivery_status(request: Request) -> HTTPResponse:
            form = self._signed_form(request)
            if form is None:
                return response.text("invalid signature", status=403)
            sid, status = form.get("MessageSid", ""), form.get("MessageStatus", "")
            if not sid or not status:
                return response.text("MessageSid and MessageStatus are required", status=400)
            error_code = (form.get("ErrorCode") or "")[:10] or None
            known = await _stored(sms_store.update_status, sid[:64], status[:20], error_code, otherwise=False)
            if known and status in sms_store.NOT_DELIVERED:
                logger.warning("SMS: a text was %s (error %s)", status, error_code)
            return response.empty()

        return webhook

    def _signed_form(self, request: Request) -> Optional[Dict[str, str]]:
        """The form fields of a request Twilio signed; None (and a log line) when
        the signature is missing or wrong."""
        params = _form_params(request)
        if not twilio.valid_signature(self.twilio.auth_token, self.signed_url(request),
                                      params, request.headers.get("X-Twilio-Signature")):
            logger.warning("SMS %s: missing or wrong signature, ignored", request.path)
            return None
        return dict(params)

    async def _answer_in_turn(self, request: Request, on_new_message, sender: str, phone: str,
                              form: Dict[str, str]) -> None:
        try:
            async with self._answering.turn(sender):
                await self._answer(request, on_new_message, sender, phone, form)
        except Exception:
            logger.exception("SMS %s: answering failed", sender[:12])

    async def _answer(self, request: Request, on_new_message, sender: str, phone: str,
                      form: Dict[str, str]) -> None:
        body = clean_text(form.get("Body") or "")[:MAX_MESSAGE_CHARS]
        # The opt-out state is read only for a bare YES, not for every message.
        opted_out = sms_text.opts_in_only_if_opted_out(body) and await _stored(
            sms_store.is_opted_out, sender, otherwise=False)
        word = sms_text.keyword(body, opted_out)
        if word:
            if word != "help":
                await _stored(sms_store.set_opted_out, sender, word == "stop", otherwise=None)
            replies = [sms_replies.keyword_reply(word)] if self.we_answer_keywords else []
            await self._record(request, sender, body, replies)
            if replies:
                self._send_later(sender, phone, replies, even_if_opted_out=word == "stop")
            return
        if not body.strip():
            text = sms_replies.media_only_text()
            await self._record(request, sender, _media_note(form), [text])
            self._send_later(sender, phone, [text])
            return
        menu = await _stored(sms_store.last_menu, sender, otherwise=[])
        picked = sms_text.choose(body, menu)
        message = picked[1] if picked else body
        # The transcript shows what they typed and what it meant: "1 -> Lower back".
        metadata = {SMS_CHOICE: {"typed": body.strip(), "meant": picked[0]}} if picked else None
        replies = await handle(on_new_message, {"sender": sender, "message": message,
                                                "metadata": metadata}, self.name())
        outgoing = sms_text.render(replies)
        await _stored(sms_store.save_menu, sender, outgoing.menu, otherwise=None)
        self._send_later(sender, phone, outgoing.texts, escalation=outgoing.escalation)

    async def _record(self, request: Request, sender: str, text: str, replies: List[str]) -> None:
        """Keep a keyword or media-only exchange in the tracker, as Rasa would."""
        agent = request.app.ctx.agent
        try:
            async with agent.lock_store.lock(sender):
                tracker = await agent.tracker_store.get_or_create_tracker(sender)
                tracker.update(UserUttered(text, intent={"name": KEYWORD_INTENT, "confidence": 1.0},
                                           input_channel=self.name()))
                for reply in replies:
                    tracker.update(BotUttered(reply))
                await agent.tracker_store.save(tracker)
        except Exception:  # the reply matters more than the record
            logger.exception("SMS %s: could not store a keyword exchange", sender[:12])

    def _send_later(self, sender: str, phone: str, texts: List[str], even_if_opted_out: bool = False,
                    escalation: bool = False) -> None:
        """Send without holding up the webhook (Twilio waits at most 15 s)."""
        self._in_background(self._deliver(sender, phone, texts, even_if_opted_out, escalation))

    def _in_background(self, work: Awaitable[None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, sender: str, phone: str, texts: List[str], even_if_opted_out: bool,
                       escalation: bool) -> None:
        try:
            async with self._sending.turn(sender):
                # Twilio itself refuses to text a number that sent STOP (only
                # the confirmation of that STOP goes, when we are the one to send it).
                if not even_if_opted_out and await _stored(sms_store.is_opted_out, sender, otherwise=False):
                    results = [twilio.Sent(None, "failed", OPTED_OUT_ERROR)]
                else:
                    results = await twilio.send_sms(self.twilio, phone, texts, log_key=sender[:12])
                for sent in results:
                    await _stored(sms_store.record_sent, sent.message_sid or f"local-{uuid.uuid4().hex}",
                                  sender, escalation, sent.status, sent.error_code, otherwise=None)
        except Exception:
            logger.exception("SMS %s: sending failed", sender[:12])


class _OneAtATime:
    """A lock per sender, forgotten once nobody waits for it."""

    def __init__(self) -> None:
        self._locks: Dict[str, asyncio.Lock] = {}
        self._waiting: Dict[str, int] = {}

    @asynccontextmanager
    async def turn(self, sender: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(sender, asyncio.Lock())
        self._waiting[sender] = self._waiting.get(sender, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[sender] -= 1
            if not self._waiting[sender]:
                del self._waiting[sender], self._locks[sender]


async def _stored(call: Callable[..., Any], *args: Any, otherwise: Any) -> Any:
    """The SMS channel's own rows (deliveries, opt-outs, menus), never at the
    cost of an answer: when the database fails, `otherwise` and a log line."""
    try:
        return await asyncio.to_thread(call, *args)
    except SQLAlchemyError as error:
        logger.error("SMS: %s failed (%s); going on without it", call.__name__, type(error).__name__)
        return otherwise


def _form_params(request: Request) -> List[Tuple[str, str]]:
    """Every form field, blank ones included: Twilio signs an empty Body too
    (Sanic's own request.form drops blank values)."""
    if not (request.content_type or "").startswith("application/x-www-form-urlencoded"):
        return []
    return parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)


def _media_note(form: Dict[str, str]) -> str:
    count = form.get("NumMedia") or "0"
    return f"[{count} attachment(s), no text]" if count != "0" else "[empty message]"


def _twiml() -> HTTPResponse:
    return response.text(EMPTY_TWIML, content_type="text/xml")
