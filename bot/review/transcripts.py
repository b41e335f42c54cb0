"""Read Rasa's stored events (rows of the `events` table) as transcript turns,
and summarise a conversation for the review queue. Pure functions: rows in,
plain data out.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Dict, Iterable, List, Optional, Sequence

from bot.core.levels import ESCALATING, URGENT, level_rank
from bot.core.possible_red_flag import possible_red_flag
from bot.core.mention import RedFlagMention, mentions_in
from bot.core.slots import RED_FLAGS, REQUESTED_SLOT, SMS_CHOICE, TRIAGE_LEVEL
from bot.review.masking import mask_identifiers

# Rasa input channel name -> what the nurses filter on.
CHANNELS = {"widget": "web", "socketio": "web", "rest": "web", "sms": "sms", "twilio": "sms"}
FALLBACK_ACTIONS = {"action_default_fallback", "utter_default"}
LOW_CONFIDENCE = 0.6  # below this, a prediction is worth a second look


@dataclass(frozen=True)
class EventRow:
    id: int
    type_name: str
    timestamp: Optional[float]
    data: str


@dataclass
class Turn:
    event_id: int
    at: Optional[datetime]
    speaker: str  # "user", "bot" or "system"
    text: str = ""
    intent: Optional[str] = None
    confidence: Optional[float] = None
    channel: Optional[str] = None
    red_flags: List[RedFlagMention] = field(default_factory=list)
    buttons: List[str] = field(default_factory=list)
    handoff: Optional[Dict] = None
    slot: Optional[str] = None
    value: object = None


def to_datetime(timestamp: Optional[float]) -> Optional[datetime]:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, timezone.utc).replace(tzinfo=None)


def channel_label(input_channel: Optional[str]) -> Optional[str]:
    if not input_channel:
        return None
    return CHANNELS.get(input_channel, input_channel)


def to_turn(row: EventRow) -> Optional[Turn]:
    """The turn an event shows in a transcript, or None for bookkeeping events."""
    try:
        data = json.loads(row.data or "{}")
    except ValueError:
        data = {}
    at = to_datetime(row.timestamp)
    if row.type_name == "user":
        parse = data.get("parse_data") or {}
        intent = parse.get("intent") or {}
        text = data.get("text") or ""
        choice = (data.get("metadata") or {}).get(SMS_CHOICE)
        if isinstance(choice, dict):  # an SMS menu number: what they typed, and what it meant
            text = f"{choice.get('typed', '')} -> {choice.get('meant', '')}"
        return Turn(row.id, at, "user", text=text,
                    intent=intent.get("name"), confidence=intent.get("confidence"),
                    channel=channel_label(data.get("input_channel")),
                    red_flags=mentions_in(parse.get("entities"), text))
    if row.type_name == "bot":
        extra = data.get("data") or {}
        custom = extra.get("custom") or {}
        return Turn(row.id, at, "bot", text=data.get("text") or "",
                    buttons=[str(b.get("title", "")) for b in extra.get("buttons") or []],
                    handoff=custom.get("handoff") if isinstance(custom, dict) else None)
    if row.type_name == "slot" and data.get("name") not in (None, REQUESTED_SLOT):
        return Turn(row.id, at, "system", slot=data["name"], value=data.get("value"))
    if row.type_name == "action" and data.get("name") in FALLBACK_ACTIONS:
        return Turn(row.id, at, "system", text="fallback: the assistant did not understand")
    return None


def transcript(rows: Iterable[EventRow]) -> List[Turn]:
    return [turn for turn in map(to_turn, rows) if turn is not None]


@dataclass
class Summary:
    channel: Optional[str] = None
    started_at: Optional[datetime] = None
    last_at: Optional[datetime] = None
    user_turns: int = 0
    triage_level: Optional[str] = None
    min_confidence: Optional[float] = None
    fallback: bool = False
    possible_red_flag: bool = False  # seen, and nothing escalated
    red_flag_codes: List[str] = field(default_factory=list)
    intents: List[str] = field(default_factory=list)
    search_text: str = ""
    last_event_id: int = 0

    @property
    def level_rank(self) -> int:
        """0 when no disposition was given, then self_care=1 ... emergency=4."""
        return level_rank(self.triage_level) + 1


def summarize(rows: Sequence[EventRow], handoff_levels: Iterable[str] = ()) -> Summary:
    """What the queue needs of one conversation's events (in id order)."""
    summary = Summary()
    texts: List[str] = []
    levels = list(handoff_levels)
    seen_possible = False
    for row in rows:
        summary.last_event_id = max(summary.last_event_id, row.id)
        at = to_datetime(row.timestamp)
        if at:
            summary.started_at = min(summary.started_at or at, at)
            summary.last_at = max(summary.last_at or at, at)
        turn = to_turn(row)
        if turn is None:
            continue
        if turn.speaker == "user":
            summary.user_turns += 1
            summary.channel = summary.channel or turn.channel
            texts.append(turn.text)
            # A broad symptom word near a body site, or an urgent sign asked about
            # ("what if my legs go numb?"): the writer's own, not denied.
            seen_possible = seen_possible or possible_red_flag(turn.text) or any(
                m.level in ESCALATING and not (m.negated or m.family) for m in turn.red_flags)
            if turn.intent:
                _add(summary.intents, turn.intent)
            if turn.confidence is not None:
                summary.min_confidence = min(summary.min_confidence or 1.0, turn.confidence)
            for mention in turn.red_flags:
                if mention.affirmed:
                    _add(summary.red_flag_codes, mention.code)
        elif turn.speaker == "system" and turn.slot is None:
            # Only the fallback reply itself: an unsure reading that the check
            # took as its answer ("about a 6" at 0.40) is not a fallback.
            summary.fallback = True
        elif turn.slot == TRIAGE_LEVEL and turn.value:
            levels.append(str(turn.value))
        elif turn.slot == RED_FLAGS and isinstance(turn.value, list):
            for code in turn.value:
                _add(summary.red_flag_codes, str(code))
        if turn.speaker == "bot" and turn.handoff:
            levels.append(str(turn.handoff.get("level")))
    if levels:
        summary.triage_level = max(levels, key=level_rank)
    summary.possible_red_flag = seen_possible and level_rank(summary.triage_level) < level_rank(URGENT)
    # Searched as nurses see it: a phone number or e-mail that is masked on
    # screen must not be confirmed by a search's hit count.
    summary.search_text = mask_identifiers("\n".join(texts)).lower()
    return summary


def _add(items: List[str], item: str) -> None:
    if item not in items:
        items.append(item)
