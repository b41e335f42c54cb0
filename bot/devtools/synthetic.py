"""Synthetic conversations written straight into Rasa's events table, in the
shape Rasa's SQL tracker store writes them. For the review tests and the
10,000-conversation benchmark; never used by the running assistant."""
from __future__ import annotations

import json
import random
from typing import Dict, Iterator, List, Optional

import sqlalchemy as sa

from bot.core import slots
from bot.core.mention import RedFlagMention
from bot.store.rasa_events import EVENTS

FAQ = [("myth_bed_rest", "should i stay in bed", 0.97), ("exercises", "what exercises help", 0.95),
       ("ice_or_heat", "ice or heat?", 0.93), ("benefits", "is physical therapy covered", 0.88),
       ("greet", "hi there", 0.99), ("causes", "why does my back hurt", 0.55)]
RED_FLAGS = [("bladder_bowel_loss", "emergency", "i wet myself and cant hold it"),
             ("saddle_numbness", "emergency", "numb between my legs"),
             ("fever", "urgent", "i have a fever of 102"),
             ("leg_weakness", "urgent", "my leg keeps giving out")]


def user(ts: float, text: str, intent: str, confidence: float, channel: str = "rest",
         red_flags: Optional[List[Dict]] = None) -> Dict:
    entities = []
    for flag in red_flags or []:  # place each mention in the text, as the extractor does
        words = flag.pop("words")
        start = max(0, text.find(words))
        entities.append({**flag, "start": start, "end": start + len(words)})
    return {"event": "user", "timestamp": ts, "text": text, "input_channel": channel,
            "parse_data": {"text": text, "intent": {"name": intent, "confidence": confidence},
                           "entities": entities}, "metadata": {}}


def red_flag_entity(code: str, level: str, words: str, affirmed: bool = True,
                    negated: bool = False) -> Dict:
    """A red-flag entity for `user(...)`, found at `words` in the message."""
    mention = RedFlagMention(code, level, affirmed=affirmed, negated=negated)
    return {**mention.to_entity(), "words": words}


def bot(ts: float, text: str, handoff: Optional[Dict] = None) -> Dict:
    data = {"buttons": None, "custom": {"handoff": handoff} if handoff else None}
    return {"event": "bot", "timestamp": ts, "text": text, "data": data, "metadata": {}}


def slot(ts: float, name: str, value) -> Dict:
    return {"event": "slot", "timestamp": ts, "name": name, "value": value}


def action(ts: float, name: str) -> Dict:
    return {"event": "action", "timestamp": ts, "name": name}


def rows_for(sender_id: str, events: List[Dict]) -> List[Dict]:
    return [{"sender_id": sender_id, "type_name": e["event"], "timestamp": e["timestamp"],
             "intent_name": (e.get("parse_data") or {}).get("intent", {}).get("name"),
             "action_name": e.get("name") if e["event"] == "action" else None,
             "data": json.dumps(e)}
            for e in events]


def insert(connection: sa.engine.Connection, sender_id: str, events: List[Dict]) -> None:
    connection.execute(EVENTS.insert(), rows_for(sender_id, events))


def conversation(rng: random.Random, start: float, events_wanted: int = 20,
                 channel: str = "rest") -> List[Dict]:
    """A plausible conversation of about `events_wanted` events: FAQ turns and,
    in some, a red flag with its disposition and handoff."""
    events: List[Dict] = []
    ts = start
    escalate = rng.random() < 0.15
    while len(events) < events_wanted - (6 if escalate else 0):
        intent, text, confidence = rng.choice(FAQ)
        ts += rng.uniform(5, 60)
        events += [user(ts, text, intent, confidence * rng.uniform(0.85, 1.0), channel),
                   action(ts + 0.1, f"utter_{intent}"), bot(ts + 0.1, f"About {intent}."),
                   action(ts + 0.2, "action_listen")]
    if escalate:
        code, level, text = rng.choice(RED_FLAGS)
        ts += 30
        handoff = {"level": level, "line": "911" if level == "emergency" else "CareLine",
                   "phones": ["911"], "tty": "711", "reasons": [code]}
        events += [user(ts, text, slots.REPORT_RED_FLAG, 1.0, channel,
                        [red_flag_entity(code, level, text)]),
                   action(ts + 0.1, "action_handle_red_flag"),
                   slot(ts + 0.1, slots.RED_FLAGS, [code]), slot(ts + 0.1, slots.TRIAGE_LEVEL, level),
                   bot(ts + 0.2, "Call 911 now." if level == "emergency" else "Call CareLine.",
                       handoff),
                   action(ts + 0.3, "action_listen")]
    return events


def fill(connection: sa.engine.Connection, conversations: int, events_each: int = 20,
         start: float = 1.7e9, seed: int = 7, batch: int = 200) -> int:
    """Write `conversations` synthetic conversations; returns events written."""
    rng = random.Random(seed)
    written = 0
    rows: List[Dict] = []

    def flush():
        nonlocal rows
        if rows:
            connection.execute(EVENTS.insert(), rows)
            rows = []

    for number, sender in enumerate(_senders(conversations)):
        channel = "sms" if number % 3 == 0 else "socketio"
        events = conversation(rng, start + number * 60, events_each, channel)
        rows += rows_for(sender, events)
        written += len(events)
        if number % batch == batch - 1:
            flush()
    flush()
    return written


def _senders(count: int) -> Iterator[str]:
    for number in range(count):
        yield f"synthetic-{number:06d}"
