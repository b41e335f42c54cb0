"""The website chat widget's channel: its webhook, the conversation history,
and the widget's own files (no CDN).

Registered in credentials.yml as `bot.server.channels.widget.WidgetInput`, so every
route lives under /webhooks/widget/:

- POST webhook   {"session_id": "web-<32 hex>", "message": "..."} -> the bot's
                 messages, exactly as the REST channel returns them;
- GET  history?session_id=...  -> {"messages": [...]} from the tracker store,
                 so a reloaded page shows the conversation again;
- GET  greeting  -> {"messages": [...]}: the domain's utter_greet with its
                 topic buttons, shown when the panel opens. It is read from the
                 domain, not run as a turn, so a mere look stores nothing;
- GET  widget.js, widget.css, demo  -> the files in bot/server/web/.

The session id is made by the widget with crypto.getRandomValues and is the
Rasa sender id. Only ids of that exact shape are accepted, so the history
route can never read a REST or SMS conversation. Message text is never logged.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.core.contacts import CARELINE
from bot.server.channels.rest import check_request, handle

SESSION_ID = re.compile(r"web-[0-9a-f]{32}")  # fullmatch: "$" would let a trailing newline in
WEB_DIR = Path(__file__).resolve().parent.parent / "web"
MAX_HISTORY = 200  # messages; a reloaded page needs the recent turns, not a year of them
GREETING = "utter_greet"
# An escalation's call card lists the CareLine numbers, so the reply's texts
# need not: the numbers are given once, where they can be dialled or tapped.
NUMBERS_IN_TEXT = f" at {CARELINE.numbers_text()}"
NUMBERS_IN_CARD = " (numbers in the call card)"

# The demo page may load nothing but this server's files (its own style block
# aside), so trying it also shows that the widget makes no outside requests.
DEMO_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; style-src 'self' 'unsafe-inline'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"),
    "Cache-Control": "no-cache",
}
# js/css are cached briefly, so a new release reaches pages within minutes.
ASSET_HEADERS = {"Cache-Control": "public, max-age=300"}
FILES = {
    "widget.js": ("widget.js", "application/javascript; charset=utf-8", ASSET_HEADERS),
    "widget.css": ("widget.css", "text/css; charset=utf-8", ASSET_HEADERS),
    "demo": ("demo.html", "text/html; charset=utf-8", DEMO_HEADERS),
}


def check_widget_request(body: Any) -> Tuple[Optional[Dict], Optional[str]]:
    """(clean body for rest.handle, None) or (None, error text)."""
    if not isinstance(body, dict):
        return None, "send a JSON object with 'session_id' and 'message'"
    error = session_error(body.get("session_id"))
    if error:
        return None, error
    # The REST channel's checks for the message (type, length, NUL bytes).
    # Metadata from the page is not passed on: nothing in it is trusted.
    return check_request({"sender": body["session_id"], "message": body.get("message")})


def session_error(session_id: Any) -> Optional[str]:
    if not isinstance(session_id, str) or not SESSION_ID.fullmatch(session_id):
        return "'session_id' must be 'web-' followed by 32 lowercase hex digits"
    return None


def greeting_messages(responses: Dict[Text, List[Dict]]) -> List[Dict]:
    """The widget's greeting: the first variation of utter_greet, text and buttons."""
    variations = responses.get(GREETING) or []
    if not variations:
        return []
    first = variations[0]
    message: Dict[str, Any] = {"text": first.get("text") or ""}
    if first.get("buttons"):
        message["buttons"] = [{"title": b.get("title"), "payload": b.get("payload")}
                              for b in first["buttons"]]
    return [message]


def has_call_card(message: Dict) -> bool:
    custom = message.get("custom")
    return isinstance(custom, dict) and "handoff" in custom


def numbers_once(reply: List[Dict]) -> List[Dict]:
    """The messages of one reply; when the reply has a call card, its texts say
    where the CareLine numbers are instead of repeating them. A reply without
    a card keeps its numbers."""
    if not any(has_call_card(m) for m in reply):
        return reply
    return [{**m, "text": m["text"].replace(NUMBERS_IN_TEXT, NUMBERS_IN_CARD)}
            if isinstance(m.get("text"), str) else m
            for m in reply]


def history_messages(events: List[Any], first_buttons: Optional[List[Dict]] = None) -> List[Dict]:
    """The conversation as the widget shows it: user and bot messages, in order.

    Bot messages are split like the webhook splits them (paragraphs become
    messages, a custom payload is a message of its own), so a reloaded page
    looks like the live one. A quick reply was sent as its payload
    ("/home_care"); it is shown with its button's title, as when it was clicked.
    `first_buttons` are the greeting's: the widget showed them before the
    first turn, so a first message may be one of their payloads.
    """
    messages: List[Dict] = []
    last_buttons: List[Dict] = list(first_buttons or [])
    for event in events:
        if isinstance(event, UserUttered):
            text = event.text or ""
            title = next((b.get("title") for b in last_buttons if b.get("payload") == text), None)
            messages.append({"from": "user", "text": title or text})
        elif isinstance(event, BotUttered):
            data = event.data or {}
            buttons = data.get("buttons") or data.get("quick_replies")
            if event.text and buttons:
                messages.append({"from": "bot", "text": event.text, "buttons": buttons})
                last_buttons = buttons
            elif event.text:
                messages.extend({"from": "bot", "text": part}
                                for part in event.text.strip().split("\n\n"))
            if data.get("custom"):
                messages.append({"from": "bot", "custom": data["custom"]})
    return by_reply(messages)[-MAX_HISTORY:]


def by_reply(messages: List[Dict]) -> List[Dict]:
    """numbers_once for each reply: the bot messages between two user messages."""
    shown: List[Dict] = []
    reply: List[Dict] = []
    for message in messages:
        if message["from"] == "user":
            shown += numbers_once(reply) + [message]
            reply = []
        else:
            reply.append(message)
    return shown + numbers_once(reply)


class WidgetInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "widget"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        widget = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @widget.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @widget.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:
                body = None
            clean, error = check_widget_request(body)
            if error:
                return response.json({"error": error}, status=400)
            messages = await handle(on_new_message, clean, self.name())
            return response.json(numbers_once(messages), headers={"Cache-Control": "no-store"})

        @widget.route("/greeting", methods=["GET"])
        async def greeting(request: Request) -> HTTPResponse:
            domain = request.app.ctx.agent.domain
            messages = greeting_messages(domain.responses) if domain else []
            if not messages:
                return response.json({"error": "no greeting"}, status=503)
            return response.json({"messages": messages}, headers=ASSET_HEADERS)

        @widget.route("/history", methods=["GET"])
        async def history(request: Request) -> HTTPResponse:
            session_id = request.args.get("session_id")
            error = session_error(session_id)
            if error:
                return response.json({"error": error}, status=400)
            # retrieve() gives the latest session, or None for an unknown id:
            # unlike get_or_create_tracker it stores nothing for a mere look.
            agent = request.app.ctx.agent
            tracker = await agent.tracker_store.retrieve(session_id)
            greeting = greeting_messages(agent.domain.responses) if agent.domain else []
            first_buttons = greeting[0].get("buttons") if greeting else None
            messages = history_messages(list(tracker.events), first_buttons) if tracker else []
            return response.json({"messages": messages}, headers={"Cache-Control": "no-store"})

        def serve(name: str) -> HTTPResponse:
            filename, content_type, headers = FILES[name]
            return response.raw((WEB_DIR / filename).read_bytes(), content_type=content_type,
                                headers={**headers, "X-Content-Type-Options": "nosniff"})

        @widget.route("/widget.js", methods=["GET"])
        async def script(request: Request) -> HTTPResponse:
            return serve("widget.js")

        @widget.route("/widget.css", methods=["GET"])
        async def stylesheet(request: Request) -> HTTPResponse:
            return serve("widget.css")

        @widget.route("/demo", methods=["GET"])
        async def demo(request: Request) -> HTTPResponse:
            return serve("demo")

        return widget
