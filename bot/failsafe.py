"""The reply a person gets when something inside the assistant failed.

Whatever broke (action server down, an action raised, a timeout), the person
still gets the CareLine number, and 911 when their message has a red flag.
Detection here is the same deterministic detector the NLU pipeline uses.
"""
from __future__ import annotations

from typing import Dict, List

from bot.contact_replies import careline_numbers
from bot.contacts import CARELINE, EMERGENCY_NUMBER
from bot.triage.disposition import Disposition
from bot.triage.replies import handoff_payload


def failsafe_messages(text: str) -> List[Dict]:
    from bot.nlu.red_flags import detect

    try:
        flagged = [m for m in detect(text or "") if m.affirmed and m.level in ("emergency", "urgent")]
    except Exception:  # even the detector failing must not leave the person without a reply
        flagged = []
    reasons = tuple(sorted({m.code for m in flagged}))
    if any(m.level == "emergency" for m in flagged):
        return [{
            "text": (
                f"Sorry, something went wrong on my side. What you wrote may be serious: "
                f"call {EMERGENCY_NUMBER} now or go to the nearest emergency room. "
                f"You can also call {careline_numbers()}."
            ),
            "custom": handoff_payload(Disposition("emergency", reasons), EMERGENCY_NUMBER,
                                      [EMERGENCY_NUMBER, *CARELINE.phones]),
        }]
    if flagged:
        return [{
            "text": (
                "Sorry, something went wrong on my side. Please talk to a nurse now: "
                f"call {careline_numbers()}. In an emergency, call {EMERGENCY_NUMBER}."
            ),
            "custom": handoff_payload(Disposition("urgent", reasons), "careline",
                                      list(CARELINE.phones)),
        }]
    return [{
        "text": (
            "Sorry, something went wrong on my side. Please try again in a minute, or "
            f"call {careline_numbers()}. In an emergency, call {EMERGENCY_NUMBER}."
        )
    }]
