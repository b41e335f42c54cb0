"""The suspicion net's yes/no question and its answer (issue 13, layer 3).

ActionHandleRedFlag asks the question (ask_about) when the net suspected a
red flag the rules did not confirm; the rules in data/rules/suspicion.yml
then send the next message here, whatever its intent.
"""
from dataclasses import replace
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.lib.answers import usual_answer
from actions.lib.dispatch import send
from actions.lib.triage_state import announce, facts_from
from bot.core import suspicion
from bot.core.disposition import Disposition, decide
from bot.core.slots import (DESCRIBE_PAIN, ESCALATION_IN_FORCE, FOR_SELF, FORM_SLOTS,
                            START_SYMPTOM_CHECK, SUSPICION_PENDING, SYMPTOM_FORM, TRIAGE_LEVEL)


def ask_about(dispatcher: CollectingDispatcher, group: str, asked_intent: Optional[str]) -> List[Dict]:
    send(dispatcher, suspicion.question(group))
    return [SlotSet(SUSPICION_PENDING, suspicion.pending(group, asked_intent))]


class ActionAnswerSuspicion(Action):
    def name(self) -> Text:
        return "action_answer_suspicion"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        state = suspicion.read_pending(tracker.get_slot(SUSPICION_PENDING))
        if state is None:
            dispatcher.utter_message(response="utter_default")
            return [SlotSet(SUSPICION_PENDING, None)]
        group, asked_intent, tries = state
        message = tracker.latest_message or {}
        text = message.get("text") or ""
        answer = suspicion.read_answer(text)
        if text.startswith("/"):  # a button of an earlier reply: they moved on to that
            answer, asked_intent = suspicion.NO, (message.get("intent") or {}).get("name")
        if answer is None and tries == 0:
            send(dispatcher, suspicion.question(group, again=True))
            return [SlotSet(SUSPICION_PENDING, suspicion.pending(group, asked_intent, 1))]
        if answer == suspicion.NO:
            return [SlotSet(SUSPICION_PENDING, None)] + self._go_on(dispatcher, tracker, asked_intent)
        # Yes, or still unclear after asking twice: the safe reading is yes.
        return [SlotSet(SUSPICION_PENDING, None)] + self._escalate(dispatcher, tracker, group)

    @staticmethod
    def _escalate(dispatcher: CollectingDispatcher, tracker: Tracker, group: str) -> List[Dict]:
        known = facts_from(tracker)
        facts = replace(known, red_flags=known.red_flags | frozenset(suspicion.GROUPS[group].codes))
        decided = decide(facts)
        # The reason is what they said yes to, in the words of the question.
        disposition = Disposition(decided.level, (suspicion.GROUPS[group].summary,), decided.red_flags)
        events = announce(dispatcher, tracker, facts, disposition)
        return events + [SlotSet(ESCALATION_IN_FORCE, FOR_SELF)]

    @staticmethod
    def _go_on(dispatcher: CollectingDispatcher, tracker: Tracker, asked_intent: Optional[str]) -> List[Dict]:
        """After a no: what the first message wanted (the check, or its answer)."""
        send(dispatcher, suspicion.thanks_for_no())
        if asked_intent in (DESCRIBE_PAIN, START_SYMPTOM_CHECK):  # the symptom check, from the start
            dispatcher.utter_message(response="utter_start_symptom_check")
            return ([SlotSet(slot, None) for slot in FORM_SLOTS]
                    + [SlotSet(TRIAGE_LEVEL, None), ActiveLoop(SYMPTOM_FORM)])
        answer = usual_answer(asked_intent)
        send(dispatcher, answer or [{"response": "utter_anything_else"}])
        return []
