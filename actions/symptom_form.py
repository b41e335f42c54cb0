"""Understand the answers to the symptom-check questions (free text or buttons).

A question a person asks in the middle ("ice or heat?") and a red flag are not
taken as answers: the form lets go of the turn, the rules answer it, and the
form asks its question again (or stops, for an emergency).
"""
from typing import Any, Callable, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.lib.answers import usual_answer
from actions.lib.dispatch import send
from actions.lib.triage_state import affirmed_red_flags
from bot.core import answers
from bot.core.interruptions import not_answers
from bot.core.levels import URGENT, escalates
from bot.core.mention import mentions_in
from bot.core.slots import (AGE, LEG_SPREAD, PAIN_DURATION, PAIN_IMPACT, PAIN_LOCATION,
                            PAIN_PATTERN, PAIN_SEVERITY, RED_FLAG_SCREEN, RED_FLAGS,
                            REPORT_RED_FLAG, REQUESTED_SLOT, SYMPTOM_FORM, TRIAGE_LEVEL)

NOT_ANSWERS = not_answers()  # questions in the middle: the rules answer them
QUESTION_CONFIDENCE = 0.6
UNSURE_SCREEN = "unsure"  # asked twice, still could not tell which warning sign
# Answers the check tries to read before it moves on (answers.UNCLEAR), and
# questions in the middle it answers before it takes the message as the answer:
# a reply the classifier keeps taking for a question must not loop forever.
READ_TRIES = 2
QUESTION_TRIES = 3
# How each answer is read (the last screen has its own reading, below).
SLOT_PARSERS: Dict[str, Callable[[str], Any]] = {
    PAIN_LOCATION: answers.parse_location,
    PAIN_PATTERN: answers.parse_pattern,
    PAIN_DURATION: answers.parse_duration_days,
    PAIN_SEVERITY: answers.parse_severity,
    PAIN_IMPACT: answers.parse_yes_no,
    AGE: answers.parse_age,
}


def is_question_in_the_middle(tracker: Tracker, tries: int) -> bool:
    """A confident question ("ice or heat?") that is not an answer, while the
    check has not yet asked this question too often."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    return (intent.get("name") in NOT_ANSWERS and intent.get("confidence", 0) >= QUESTION_CONFIDENCE
            and tries < QUESTION_TRIES)


def answers_the_pending_question(tracker: Tracker) -> bool:
    """Does the latest message read as an answer to the question the check asked
    ("I am 71" to "How old are you?"), whatever the classifier thought it was?"""
    parse = SLOT_PARSERS.get(tracker.get_slot(REQUESTED_SLOT))
    return parse is not None and parse((tracker.latest_message or {}).get("text") or "") is not None


def replies_since_asked(tracker: Tracker) -> int:
    """How many messages (the latest included) have come in since the check
    first asked the question it is waiting on."""
    pending = tracker.get_slot(REQUESTED_SLOT)
    replies = since_first_asked = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            replies += 1
        elif event.get("event") == "slot" and event.get("name") == REQUESTED_SLOT:
            if event.get("value") != pending:
                break
            since_first_asked = replies
    return since_first_asked


class ValidateSymptomForm(FormValidationAction):
    def name(self) -> Text:
        return f"validate_{SYMPTOM_FORM}"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: Dict[Text, Any]) -> List[Text]:
        if escalates(tracker.get_slot(TRIAGE_LEVEL)):
            return [RED_FLAG_SCREEN]  # already handed off: only the emergency screen is left
        return domain_slots

    def _extract(self, slot: Text, parse: Callable[[str], Any], dispatcher: CollectingDispatcher,
                 tracker: Tracker) -> Dict[Text, Any]:
        if tracker.get_slot(REQUESTED_SLOT) != slot:
            return {}
        message = tracker.latest_message or {}
        text = message.get("text") or ""
        intent = message.get("intent") or {}
        if intent.get("name") == REPORT_RED_FLAG and any(
                m.needs_escalation for m in mentions_in(message.get("entities"))):
            return {}  # let the red-flag rule answer it in this turn
        value = parse(text)
        if value is not None:
            return {slot: value}
        tries = replies_since_asked(tracker)
        if is_question_in_the_middle(tracker, tries):
            return {}  # the rules answer it, then we ask again
        if tries >= READ_TRIES and slot in SLOT_PARSERS:
            dispatcher.utter_message(response="utter_moving_on")
            return {slot: answers.UNCLEAR}
        dispatcher.utter_message(response=f"utter_unclear_{slot}")
        return {slot: None}

    async def extract_pain_location(self, dispatcher, tracker, domain):
        return self._extract(PAIN_LOCATION, SLOT_PARSERS[PAIN_LOCATION], dispatcher, tracker)

    # Values are already checked by the parsers; validation only passes them on
    # (and adds whether the pain goes into the legs, from the same answer).
    def validate_pain_location(self, value, dispatcher, tracker, domain):
        spread = answers.parse_leg_spread(tracker.latest_message.get("text") or "") if value else None
        return {PAIN_LOCATION: value, LEG_SPREAD: spread}

    def validate_pain_pattern(self, value, dispatcher, tracker, domain):
        return {PAIN_PATTERN: value}

    def validate_pain_duration(self, value, dispatcher, tracker, domain):
        return {PAIN_DURATION: value}

    def validate_pain_severity(self, value, dispatcher, tracker, domain):
        return {PAIN_SEVERITY: value}

    def validate_pain_impact(self, value, dispatcher, tracker, domain):
        return {PAIN_IMPACT: value}

    def validate_age(self, value, dispatcher, tracker, domain):
        return {AGE: value}

    def validate_red_flag_screen(self, value, dispatcher, tracker, domain):
        """Short answers naming list items ("the leg", "peeing") become red flags."""
        codes = set(tracker.get_slot(RED_FLAGS) or [])
        if value == UNSURE_SCREEN:
            codes.add("screen_unclear")
        elif value and value != "none" and not any(
            m.affirmed for m in mentions_in((tracker.latest_message or {}).get("entities"))
        ):
            codes |= answers.prefer_known(answers.screen_items(value), affirmed_red_flags(tracker))
        return {RED_FLAG_SCREEN: value, RED_FLAGS: sorted(codes)}

    async def extract_pain_pattern(self, dispatcher, tracker, domain):
        return self._extract(PAIN_PATTERN, SLOT_PARSERS[PAIN_PATTERN], dispatcher, tracker)

    async def extract_pain_duration(self, dispatcher, tracker, domain):
        return self._extract(PAIN_DURATION, SLOT_PARSERS[PAIN_DURATION], dispatcher, tracker)

    async def extract_pain_severity(self, dispatcher, tracker, domain):
        return self._extract(PAIN_SEVERITY, SLOT_PARSERS[PAIN_SEVERITY], dispatcher, tracker)

    async def extract_pain_impact(self, dispatcher, tracker, domain):
        return self._extract(PAIN_IMPACT, SLOT_PARSERS[PAIN_IMPACT], dispatcher, tracker)

    async def extract_age(self, dispatcher, tracker, domain):
        return self._extract(AGE, SLOT_PARSERS[AGE], dispatcher, tracker)

    async def extract_red_flag_screen(self, dispatcher, tracker, domain):
        def parse(text: str) -> Optional[str]:
            mentions = mentions_in((tracker.latest_message or {}).get("entities"))
            if any(m.affirmed for m in mentions):
                return text  # a routine-level flag or risk factor: keep what they said
            if answers.is_no_to_all(text) or answers.is_no_with_nothing_current(text):
                return "none"
            if answers.screen_items(text):
                return text
            if mentions and answers.NONE_ANSWER.search(text):
                return "none"  # "no. my mom had cancer but I never did"
            if replies_since_asked(tracker) >= READ_TRIES:
                return UNSURE_SCREEN  # a "yes" we cannot place: treated as a warning sign
            return None

        return self._extract(RED_FLAG_SCREEN, parse, dispatcher, tracker)


class ActionAnswerMidCheck(Action):
    """A question asked in the middle of the check gets its usual answer, and
    the check then asks again (data/rules/interruptions.yml). When the message
    is in fact an answer to the pending question, it answers nothing: the form,
    which runs next, takes it as the answer."""

    def name(self) -> Text:
        return "action_answer_mid_check"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if answers_the_pending_question(tracker):
            return []
        if replies_since_asked(tracker) >= QUESTION_TRIES:
            return []  # asked too often: the form takes it as an unclear answer and moves on
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        send(dispatcher, usual_answer(intent))
        return []


class ActionAskRedFlagScreen(Action):
    """Asks the last question: after an urgent handoff, only about emergencies."""

    def name(self) -> Text:
        return "action_ask_red_flag_screen"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        urgent = tracker.get_slot(TRIAGE_LEVEL) == URGENT
        dispatcher.utter_message(
            response="utter_ask_red_flag_screen_urgent" if urgent else "utter_ask_red_flag_screen")
        return []
