"""The reference code of an escalation (issue 15, warm handoff).

Every handoff gets a short code, shown in the call card and the SMS, that the
person reads out to a CareLine nurse; the nurse types it into the review
workspace and sees where the assistant stopped. Six characters from an
alphabet without look-alikes (no 0/O, 1/I/L, 5/S, 2/Z, 8/B), written
"K7Q-4MP" so it is easy to read aloud. 6 of 25 characters is about 240
million codes; with lookups rate-limited and codes expiring with the
retention window, guessing one is not a way in.

Pure apart from `new_code`, which draws from the OS's random source.
"""
from __future__ import annotations

import copy
import secrets
from typing import Dict, Iterable, Iterator, List, Optional, Set

ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B
LENGTH = 6
HANDOFF = "handoff"  # the key of the call card in a message's payload
PAYLOAD_KEYS = ("json_message", "custom")  # rasa_sdk messages / channel messages


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shown(code: str) -> str:
    """'K7Q4MP' -> 'K7Q-4MP': two halves are easier to read out and type."""
    half = LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def parse(typed: object) -> Optional[str]:
    """The code a nurse typed, or None when it cannot be one. Case, spaces and
    dashes do not matter."""
    if not isinstance(typed, str) or len(typed) > 32:
        return None
    code = "".join(ch for ch in typed.upper() if ch not in " -\t")
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def _cards(message: Dict) -> Iterator[Dict]:
    """The call cards (handoff payloads) a message carries."""
    for key in PAYLOAD_KEYS:
        payload = message.get(key)
        if isinstance(payload, dict) and isinstance(payload.get(HANDOFF), dict):
            yield payload[HANDOFF]


def stamp(messages: Iterable[Dict], code: str) -> List[Dict]:
    """The messages with the code in every call card they carry (copies)."""
    stamped = [copy.deepcopy(message) for message in messages]
    for message in stamped:
        for card in _cards(message):
            card["code"] = shown(code)
    return stamped


def codes_in(messages: Iterable[Dict]) -> Set[str]:
    """The codes (unformatted) of every call card among the messages."""
    return {code for message in messages for card in _cards(message)
            if (code := parse(card.get("code")))}
