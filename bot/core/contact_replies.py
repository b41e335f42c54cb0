"""Reply texts that give phone numbers, built from bot.core.contacts.

Pure functions: they take the current time so tests can pin it. Each message
stays within one SMS-sized chunk (320 characters).
"""
from __future__ import annotations

from datetime import datetime
from typing import Dict, List, Optional

from bot.core.contacts import CARELINE, NURSE_NAVIGATOR

Message = Dict[str, object]


def careline_numbers() -> str:
    """'CareLine nurses 24/7 at 612-... or 800-... (TTY ...)', to follow 'call'."""
    return f"CareLine nurses 24/7 at {CARELINE.numbers_text()}"


def navigator_numbers() -> str:
    return (
        f"Nurse Navigator at {NURSE_NAVIGATOR.numbers_text()}, "
        f"{NURSE_NAVIGATOR.hours_text}"
    )


def navigator_status(now: Optional[datetime] = None) -> str:
    """'Open now', or when Nurse Navigator opens again and who to call meanwhile."""
    opening = NURSE_NAVIGATOR.next_opening(now)
    if opening is None:
        return "Nurse Navigator is open now."
    return (
        f"Nurse Navigator is closed now. It opens {opening:%A} at 7:30 a.m. "
        f"Central. For a health question before then, call {careline_numbers()}."
    )


def talk_to_person(now: Optional[datetime] = None) -> List[Message]:
    return [
        {
            "text": (
                "I'm an automated assistant, so I can't connect you myself. "
                f"To talk with a nurse, call {careline_numbers()}. "
                "In an emergency, call 911."
            )
        },
        {
            "text": (
                f"For questions about your benefits, call {navigator_numbers()}. "
                + ("It is open now." if NURSE_NAVIGATOR.is_open(now) else "It is closed now.")
            )
        },
    ]


def benefits(now: Optional[datetime] = None) -> List[Message]:
    return [
        {
            "text": (
                "I can't see your plan or what it covers. Nurse Navigator member "
                "advocates can explain your benefits and treatment options. "
                f"The call is free. Call {navigator_numbers()}."
            )
        },
        {"text": navigator_status(now)},
    ]
