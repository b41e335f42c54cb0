"""What the assistant says for each disposition, and the handoff payload.

Pure functions: a Disposition (plus what we know) in, messages out. Each
message is a dict for rasa_sdk's `dispatcher.utter_message(**message)`;
escalations carry `json_message={"handoff": {...}}` for the widget and SMS.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Dict, List, Optional, Sequence

from bot.core.contact_replies import Message, careline_numbers, navigator_numbers, navigator_status
from bot.core.contacts import CARELINE, EMERGENCY_NUMBER
from bot.core.disposition import Disposition, Facts
from bot.core.levels import EMERGENCY, ROUTINE, URGENT
from bot.core.mention import RedFlagMention

CRISIS_LINE = "988"
SAFETY_NET = (
    "Call 911 if you lose control of your bladder or bowels, can't pee, go numb "
    "between your legs, or your legs get weak or numb."
)


def handoff_payload(disposition: Disposition, line: str, phones: List[str]) -> Dict:
    return {"handoff": {
        "level": disposition.level,
        "line": line,
        "phones": phones,
        "tty": CARELINE.tty,
        "reasons": list(disposition.reasons),
    }}


def _because(disposition: Disposition) -> str:
    """The first two reasons in plain words, without the nurses' notes in brackets."""
    reasons = [re.sub(r"\s*\(.*?\)", "", r) for r in disposition.reasons[:2]]
    return "; ".join(r[0].lower() + r[1:] for r in reasons)


def emergency(disposition: Disposition) -> List[Message]:
    if "self_harm" in disposition.red_flags:
        return self_harm(disposition)
    return [
        {
            "text": (
                f"This could be serious. Call {EMERGENCY_NUMBER} now or go to the nearest "
                "emergency room. Don't drive yourself. "
                f"You told me about: {_because(disposition)}."
            ),
            "json_message": handoff_payload(
                disposition, EMERGENCY_NUMBER, [EMERGENCY_NUMBER, *CARELINE.phones]
            ),
        },
        {
            "text": (
                f"If you are not sure what to do, call {careline_numbers()}. "
                "I'm an automated assistant, not a nurse, so I can't check on you."
            )
        },
    ]


def self_harm(disposition: Disposition) -> List[Message]:
    return [
        {
            "text": (
                "I'm really sorry you're going through this. You don't have to face it "
                f"alone. Call or text {CRISIS_LINE} (Suicide & Crisis Lifeline) any time, "
                f"day or night. If you might act on these thoughts, call {EMERGENCY_NUMBER} now."
            ),
            "json_message": handoff_payload(
                disposition, CRISIS_LINE, [CRISIS_LINE, EMERGENCY_NUMBER, *CARELINE.phones]
            ),
        },
        {"text": f"You can also talk with a nurse: call {careline_numbers()}."},
    ]


def urgent(disposition: Disposition) -> List[Message]:
    return [
        {
            "text": (
                "Please talk to a CareLine nurse now, today, because of: "
                f"{_because(disposition)}. Call {careline_numbers()}."
            ),
            "json_message": handoff_payload(disposition, "careline", list(CARELINE.phones)),
        },
        {"text": SAFETY_NET},
    ]


def routine(disposition: Disposition, now: Optional[datetime] = None) -> List[Message]:
    return [
        {
            "text": (
                "Your answers don't show emergency signs. Please book a visit with your "
                "doctor in the next few days to 2 weeks, because of: "
                f"{_because(disposition)}."
            )
        },
        {"text": "Until then, keep moving gently and use cold or heat for comfort."},
        {
            "text": (
                f"For help with your benefits, call {navigator_numbers()}. "
                f"{navigator_status(now)}"
            )
        },
        {
            "text": f"If it gets worse, call {careline_numbers()}. {SAFETY_NET}",
            "buttons": [
                {"title": "Home care", "payload": "/home_care"},
                {"title": "Exercises", "payload": "/exercises"},
            ],
        },
    ]


def self_care(facts: Facts) -> List[Message]:
    upper = facts.location in ("upper back", "neck", "middle back")
    stretches = (
        "shoulder blade squeezes and slow shoulder rolls"
        if upper else "pelvic tilts and knee-to-chest stretches"
    )
    repeat_tip = (
        " Since it keeps coming back, daily exercise and safe lifting help prevent flare-ups."
        if facts.pattern == "repeat" else ""
    )
    return [
        {
            "text": (
                "Good news: your answers don't show warning signs. Back pain like this "
                "often gets much better in 2 to 4 weeks with home care."
            )
        },
        {
            "text": (
                "Your home care plan: keep moving with short walks. Use cold packs for the "
                "first 48-72 hours, then heat, 10-15 minutes at a time with a cloth. "
                f"Try gentle {stretches}.{repeat_tip}"
            )
        },
        {
            "text": (
                "Call CareLine if it isn't better in 2 weeks or gets worse: "
                f"{careline_numbers()}. {SAFETY_NET}"
            ),
            "buttons": [
                {"title": "Upper back stretches" if upper else "Lower back stretches",
                 "payload": "/exercise_upper_back" if upper else "/exercise_lower_back"},
                {"title": "Ice or heat", "payload": "/ice_or_heat"},
            ],
        },
    ]


def for_disposition(
    disposition: Disposition, facts: Facts, now: Optional[datetime] = None
) -> List[Message]:
    if disposition.level == EMERGENCY:
        return emergency(disposition)
    if disposition.level == URGENT:
        return urgent(disposition)
    if disposition.level == ROUTINE:
        return routine(disposition, now)
    return self_care(facts)


SOMEONE_ELSE = "For someone else:"  # marks their reasons in the nurses' queue


def for_someone_else(disposition: Disposition) -> List[Message]:
    """Another person's present red flag (the disposition of their signs): what
    to do for them now. The writer's own triage is left as it was."""
    safety_net = (f"Call {EMERGENCY_NUMBER} for them if they lose control of their bladder or "
                  "bowels, can't pee, go numb between their legs, or their legs get weak or numb. "
                  "I'm an automated assistant, not a nurse. If your own back hurts too, tell me.")
    if "self_harm" in disposition.red_flags:
        line, phones = CRISIS_LINE, [CRISIS_LINE, EMERGENCY_NUMBER, *CARELINE.phones]
        first = (f"Thank you for reaching out for them. Call or text {CRISIS_LINE} (Suicide & "
                 f"Crisis Lifeline) with them now, any time. If they might act on it or you "
                 f"can't keep them safe, call {EMERGENCY_NUMBER} now. Stay with them if you can.")
        then = f"You can also talk with a nurse: call {careline_numbers()}."
    elif disposition.level == EMERGENCY:
        line, phones = EMERGENCY_NUMBER, [EMERGENCY_NUMBER, *CARELINE.phones]
        first = (f"This could be serious for them. Call {EMERGENCY_NUMBER} for them now, or get "
                 f"them to the nearest emergency room. They should not drive. "
                 f"You told me about: {_because(disposition)}.")
        then = safety_net
    else:
        line, phones = "careline", list(CARELINE.phones)
        first = (f"They should talk to a CareLine nurse today, because of: "
                 f"{_because(disposition)}. Call {careline_numbers()} with them.")
        then = safety_net
    payload = handoff_payload(disposition, line, phones)
    payload["handoff"]["for_someone_else"] = True
    return [{"text": first, "json_message": payload}, {"text": then}]


def handoff_reminder(level: str) -> List[Message]:
    """At the end of a check whose handoff was already given mid-check."""
    line = f"call {EMERGENCY_NUMBER} now" if level == EMERGENCY else f"call {careline_numbers()} now"
    return [{"text": f"Thank you. Please don't wait: {line}."}]


def failsafe(flagged: Sequence[RedFlagMention]) -> List[Dict]:
    """Channel messages (text, and a `custom` call card) for when something
    inside the assistant failed; `flagged` are the message's escalating red flags."""
    reasons = tuple(sorted({m.code for m in flagged}))
    if any(m.level == EMERGENCY for m in flagged):
        return [{
            "text": (
                f"Sorry, something went wrong on my side. What you wrote may be serious: "
                f"call {EMERGENCY_NUMBER} now or go to the nearest emergency room. "
                f"You can also call {careline_numbers()}."
            ),
            "custom": handoff_payload(Disposition(EMERGENCY, reasons), EMERGENCY_NUMBER,
                                      [EMERGENCY_NUMBER, *CARELINE.phones]),
        }]
    if flagged:
        return [{
            "text": (
                "Sorry, something went wrong on my side. Please talk to a nurse now: "
                f"call {careline_numbers()}. In an emergency, call {EMERGENCY_NUMBER}."
            ),
            "custom": handoff_payload(Disposition(URGENT, reasons), "careline",
                                      list(CARELINE.phones)),
        }]
    return [{
        "text": (
            "Sorry, something went wrong on my side. Please try again in a minute, or "
            f"call {careline_numbers()}. In an emergency, call {EMERGENCY_NUMBER}."
        )
    }]
