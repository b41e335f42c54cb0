"""Rasa's REST channel, made safe: clear errors for bad requests, and a reply
with the CareLine number (and 911 for a red flag) when nothing else answered.

Registered in credentials.yml as `bot.server.channels.rest.SafeRestInput`; it keeps
the URL /webhooks/rest/webhook. Message text is never logged.
"""
from __future__ import annotations

import asyncio
import json
import logging
from asyncio import CancelledError
from contextvars import ContextVar
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.core import reference_code
from bot.core.clean_text import clean as clean_text
from bot.core.contacts import CARELINE
from bot.core.slots import REFERENCE_CODE
from bot.server.failsafe import failsafe_messages
from bot.store.handoffs import record_handoff

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 20_000
MAX_SENDER_CHARS = 255
MAX_METADATA_CHARS = 4_000
# How long a red flag may wait for the assistant before the fail-safe 911
# reply goes out, and how long anything else may wait before the fail-safe
# CareLine reply (actions themselves time out sooner: bot/server/__init__.py).
RED_FLAG_WAIT = 0.8
REPLY_DEADLINE = 12.0
_RUNNING: Set["asyncio.Future[Any]"] = set()  # work still going on, kept from the GC
FAILSAFE_REASON = "Fail-safe reply: the assistant could not answer this message itself"

# Rasa logs a failing action (action server down, action raised) and carries
# on without telling the channel. We listen for those errors while a message
# is handled, so the reply can still carry the CareLine number.
_failures: ContextVar[Optional[List[str]]] = ContextVar("failures", default=None)


class _FailureListener(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        bucket = _failures.get()
        if bucket is not None and record.levelno >= logging.ERROR:
            bucket.append(record.name)


_LISTENER = _FailureListener()
for _name in ("rasa.core.processor", "rasa.core.actions"):
    if _LISTENER not in logging.getLogger(_name).handlers:
        logging.getLogger(_name).addHandler(_LISTENER)


def _json_size(value: Any) -> float:
    try:
        return len(json.dumps(value))
    except (TypeError, ValueError, RecursionError):  # too deep to store safely
        return float("inf")


def check_request(body: Any) -> Tuple[Optional[Dict], Optional[str]]:
    """(clean body, None) or (None, error text) for a webhook request body."""
    if not isinstance(body, dict):
        return None, "send a JSON object with 'sender' and 'message'"
    sender, text = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return None, f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS} characters"
    if text is None:
        text = ""
    if not isinstance(text, str):
        return None, "'message' must be a string"
    if len(text) > MAX_MESSAGE_CHARS:
        return None, f"'message' is longer than {MAX_MESSAGE_CHARS} characters"
    metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else None
    if metadata is not None and _json_size(metadata) > MAX_METADATA_CHARS:
        # Rasa keeps metadata with several events of the conversation.
        return None, f"'metadata' must be a JSON object of at most {MAX_METADATA_CHARS} characters"
    return {"sender": sender, "message": clean_text(text), "metadata": metadata}, None


class SafeRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:
                body = None
            clean, error = check_request(body)
            if error:
                return response.json({"error": error}, status=400)
            messages = await handle(on_new_message, clean, self.name())
            return response.json(messages)

        return webhook


async def handle(on_new_message: Callable[[UserMessage], Awaitable[None]],
                 clean: Dict, channel: Text) -> list:
    """Run one message through Rasa; never come back empty-handed, and never
    keep a red flag waiting.

    The message runs in a task of its own, so a client that hangs up, or a
    reply sent before the work is done, does not cut it off: it is stored
    when it finishes. A red flag gets the fail-safe 911 reply once
    RED_FLAG_WAIT has passed (an action server that hangs would otherwise
    hold it for the action timeout); anything else gets the fail-safe
    CareLine reply at REPLY_DEADLINE."""
    collector = CollectingOutputChannel()
    failures: List[str] = []
    # One reference code per message (ours, whatever the client sent): the
    # action's call card and a fail-safe card for this message share it.
    code = reference_code.new_code()
    metadata = {**(clean["metadata"] or {}), REFERENCE_CODE: code}
    token = _failures.set(failures)
    try:
        work = asyncio.ensure_future(_run(on_new_message, UserMessage(
            clean["message"], collector, clean["sender"], input_channel=channel,
            metadata=metadata,
        ), channel))
    finally:
        _failures.reset(token)
    _RUNNING.add(work)
    work.add_done_callback(_RUNNING.discard)
    done, _ = await asyncio.wait({work}, timeout=RED_FLAG_WAIT)
    if not done:
        safety = failsafe_messages(clean["message"], code)  # a few ms; the detector is not thread-safe
        if "custom" in safety[0]:  # a red flag: 911 (or the CareLine) now
            logger.error("reply late, fail-safe red-flag reply given (channel %s)", channel)
            _record_failsafe_handoff(work, collector, safety, clean["sender"], channel)
            return safety
        done, _ = await asyncio.wait({work}, timeout=REPLY_DEADLINE - RED_FLAG_WAIT)
        if not done:
            logger.error("reply late, fail-safe reply given (channel %s)", channel)
            return safety
    replies = with_safety_net(collector.messages, clean["message"], bool(failures), code)
    _record_failsafe_handoff(work, collector, replies, clean["sender"], channel)
    return replies


def _record_failsafe_handoff(work: "asyncio.Task[None]", collector: CollectingOutputChannel,
                             replies: list, sender: Text, channel: Text) -> None:
    """A call card the fail-safe gave (the action server down, too slow, or its
    reply without 911) goes in the nurses' queue under the reference code the
    person was shown. The actions record their own cards: once the turn is
    done, a card whose code is among the actions' messages is left alone."""
    handoff = next((m["custom"]["handoff"] for m in replies
                    if isinstance(m.get("custom"), dict) and "handoff" in m["custom"]), None)
    if handoff is None:
        return
    code = reference_code.parse(handoff.get("code"))

    def when_done(_: "asyncio.Future[None]") -> None:
        if code in reference_code.codes_in(collector.messages):
            return  # the action's own card: it recorded it
        task = asyncio.ensure_future(asyncio.to_thread(
            record_handoff, sender, handoff["level"], handoff.get("reasons", []),
            [FAILSAFE_REASON], channel, reference_code=code))
        _RUNNING.add(task)
        task.add_done_callback(_RUNNING.discard)

    work.add_done_callback(when_done)


async def _run(on_new_message: Callable[[UserMessage], Awaitable[None]],
               message: UserMessage, channel: Text) -> None:
    try:
        await on_new_message(message)
    except CancelledError:
        logger.error("message handling was cancelled (channel %s)", channel)
        _note_failure()
    except Exception:
        logger.exception("message handling failed (channel %s)", channel)
        _note_failure()


def _note_failure() -> None:
    bucket = _failures.get()
    if bucket is not None:
        bucket.append("handler")


def with_safety_net(messages: list, text: str, failed: bool = False,
                    code: Optional[str] = None) -> list:
    """The replies, made safe:
    - none at all: the fail-safe reply (CareLine; 911 and a call card for a red flag);
    - a red flag whose replies never mention 911: the fail-safe reply first;
    - something failed and no CareLine number was given: the fail-safe reply after.
    The detector only runs again when the replies do not already say 911.
    A fail-safe call card carries `code`, the message's reference code."""
    if not messages:
        return failsafe_messages(text, code)
    said = " ".join(m.get("text") or "" for m in messages)
    safety = None
    if "911" not in said:
        safety = failsafe_messages(text, code)
        if "custom" in safety[0]:
            return safety + messages
    if failed and CARELINE.phones[0] not in said:
        return messages + (safety or failsafe_messages(text, code))
    return messages
