"""What the conversation so far tells the triage engine."""
from __future__ import annotations

import logging
from typing import Dict, List, Optional, Set, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.lib.dispatch import send
from bot.core import reference_code, triage_replies
from bot.core.answers import UNCLEAR
from bot.core.disposition import Disposition, Facts, decide
from bot.core.mention import mentions_in
from bot.core.slots import (AGE, FORM_SLOTS, LEG_SPREAD, PAIN_DURATION, PAIN_IMPACT, PAIN_LOCATION,
                            PAIN_PATTERN, PAIN_SEVERITY, RED_FLAGS, REFERENCE_CODE, TRIAGE_LEVEL)

logger = logging.getLogger(__name__)


def affirmed_red_flags(tracker: Tracker) -> Set[str]:
    """Every red flag the person affirmed in any message of this conversation."""
    codes = set(tracker.get_slot(RED_FLAGS) or [])
    messages = [e.get("parse_data", {}) for e in tracker.events if e.get("event") == "user"]
    messages.append(tracker.latest_message or {})
    for parse in messages:
        codes |= {m.code for m in mentions_in(parse.get("entities")) if m.affirmed}
    return codes


def _number(value) -> Optional[int]:
    try:
        return None if value is None else int(float(value))
    except (TypeError, ValueError):
        return None


def facts_from(tracker: Tracker) -> Facts:
    impact = tracker.get_slot(PAIN_IMPACT)
    unclear = frozenset(slot for slot in FORM_SLOTS if tracker.get_slot(slot) == UNCLEAR)
    return Facts(
        red_flags=frozenset(affirmed_red_flags(tracker)),
        age=_number(tracker.get_slot(AGE)),
        pattern=None if PAIN_PATTERN in unclear else tracker.get_slot(PAIN_PATTERN),
        duration_days=_number(tracker.get_slot(PAIN_DURATION)),
        severity=_number(tracker.get_slot(PAIN_SEVERITY)),
        limits_activity=None if impact in (None, UNCLEAR) else bool(impact),
        leg_spread=tracker.get_slot(LEG_SPREAD),
        location=None if PAIN_LOCATION in unclear else tracker.get_slot(PAIN_LOCATION),
        unclear=unclear,
    )


def assess(tracker: Tracker) -> Tuple[Facts, Disposition]:
    """What we know so far, and the disposition it leads to."""
    facts = facts_from(tracker)
    return facts, decide(facts)


def announce(dispatcher: CollectingDispatcher, tracker: Tracker, facts: Facts,
             disposition: Disposition) -> List[Dict]:
    """Say the disposition, store an escalation for the nurses, return slot events."""
    messages = triage_replies.for_disposition(disposition, facts)
    if disposition.is_escalation:
        escalate(dispatcher, tracker, disposition, messages)
    else:
        send(dispatcher, messages)
    return [SlotSet(TRIAGE_LEVEL, disposition.level),
            SlotSet(RED_FLAGS, sorted(disposition.red_flags))]


def escalate(dispatcher: CollectingDispatcher, tracker: Tracker, disposition: Disposition,
             messages: List[Dict], about_someone_else: bool = False) -> None:
    """Send an escalation's messages with the message's reference code in the
    call card (the channel made it, so a fail-safe card for the same message
    has it too), and store the handoff under that code for the nurses."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    code = reference_code.parse(metadata.get(REFERENCE_CODE)) or reference_code.new_code()
    send(dispatcher, reference_code.stamp(messages, code))
    from bot.store.handoffs import record_handoff

    reasons = disposition.reasons
    if about_someone_else:
        reasons = tuple(f"{triage_replies.SOMEONE_ELSE} {reason}" for reason in reasons)
    try:
        record_handoff(tracker.sender_id, disposition.level, disposition.red_flags,
                       reasons, tracker.get_latest_input_channel(), reference_code=code)
    except Exception:  # the person must get their answer even if the database is down
        logger.exception("could not record a %s handoff", disposition.level)
