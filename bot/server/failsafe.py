"""The reply a person gets when something inside the assistant failed.

Whatever broke (action server down, an action raised, a timeout), the person
still gets the CareLine number, and 911 when their message has a red flag
(theirs or someone else's).
Detection here is the same deterministic detector the NLU pipeline uses; the
texts are core's (bot/core/triage_replies.py).
"""
from __future__ import annotations

from typing import Dict, List, Optional

from bot.core import reference_code
from bot.core.triage_replies import failsafe


def failsafe_messages(text: str, code: Optional[str] = None) -> List[Dict]:
    """The fail-safe reply; a call card in it carries `code` (the message's
    reference code, or a new one), under which the channel records it."""
    from bot.nlu.red_flag_detector import detect

    try:
        flagged = [m for m in detect(text or "") if m.needs_escalation]
    except Exception:  # even the detector failing must not leave the person without a reply
        flagged = []
    return reference_code.stamp(failsafe(flagged), code or reference_code.new_code())
