"""Answer a red flag in the same turn it is disclosed, wherever it comes up."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.lib.answers import asked_beside_pain
from actions.lib.triage_state import announce, assess, escalate
from actions.escalation import respond_in_force
from actions.suspicion import ask_about
from bot.core import answers, triage_replies
from bot.core.disposition import Facts, decide
from bot.core.levels import URGENT
from bot.core.mention import entity_value, mentions_in
from bot.core.slots import (ESCALATION_IN_FORCE, FOR_SELF, FOR_SOMEONE_ELSE, RED_FLAG_SCREEN,
                            REPORT_RED_FLAG, REQUESTED_SLOT, SUSPECTED, SUSPICION_PENDING, SYMPTOM_FORM)


class ActionHandleRedFlag(Action):
    def name(self) -> Text:
        return "action_handle_red_flag"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        mentions = mentions_in(message.get("entities"))
        suspected = entity_value(message.get("entities"), SUSPECTED)
        if suspected and not any(m.needs_escalation for m in mentions):
            return self._suspected(dispatcher, tracker, suspected)
        if not any(m.escalating for m in mentions):
            others = [m for m in mentions if m.escalating_for_someone_else]
            if others:
                return self._for_someone_else(dispatcher, tracker, {m.code for m in others})
        facts, disposition = assess(tracker)
        events = announce(dispatcher, tracker, facts, disposition)

        screen_done = tracker.get_slot(RED_FLAG_SCREEN) is not None
        if tracker.get_slot(REQUESTED_SLOT) == RED_FLAG_SCREEN:
            # The red flag was their answer to the screening question.
            events.append(SlotSet(RED_FLAG_SCREEN, tracker.latest_message.get("text")))
            screen_done = True

        if disposition.level == URGENT and not screen_done:
            # Before they go: the form asks one question to catch an emergency we
            # don't know about (action_ask_red_flag_screen, short version).
            return events + [ActiveLoop(SYMPTOM_FORM)]
        if tracker.active_loop.get("name") == SYMPTOM_FORM:
            events += [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
        return events + [SlotSet(ESCALATION_IN_FORCE, FOR_SELF), SlotSet(SUSPICION_PENDING, None)]

    @staticmethod
    def _suspected(dispatcher: CollectingDispatcher, tracker: Tracker, group: str) -> List[Dict[Text, Any]]:
        """The learned net suspects a red flag the rules did not confirm: ask."""
        if tracker.active_loop.get("name") == SYMPTOM_FORM:
            return [FollowupAction(SYMPTOM_FORM)]  # the check's own last screen asks about them all
        if tracker.get_slot(ESCALATION_IN_FORCE):
            return respond_in_force(dispatcher, tracker)  # the advice is already given: again
        message = tracker.latest_message or {}
        asked = asked_beside_pain(message) or next(
            (i.get("name") for i in message.get("intent_ranking") or []
             if i.get("name") not in (REPORT_RED_FLAG, None)), None)
        return ask_about(dispatcher, group, asked)

    @staticmethod
    def _for_someone_else(dispatcher: CollectingDispatcher, tracker: Tracker,
                          codes: set) -> List[Dict[Text, Any]]:
        """Their emergency is still an emergency: tell the writer what to do for
        them, and put it in the nurses' queue, without changing the writer's own
        triage or stopping a symptom check the writer is in."""
        disposition = decide(Facts(red_flags=frozenset(codes)))
        escalate(dispatcher, tracker, disposition, triage_replies.for_someone_else(disposition),
                 about_someone_else=True)
        in_force = [] if tracker.get_slot(ESCALATION_IN_FORCE) == FOR_SELF else [
            SlotSet(ESCALATION_IN_FORCE, FOR_SOMEONE_ELSE)]  # the writer's own advice stays first
        if tracker.active_loop.get("name") == SYMPTOM_FORM:
            text = (tracker.latest_message or {}).get("text") or ""
            if tracker.get_slot(REQUESTED_SLOT) == RED_FLAG_SCREEN and not answers.NONE_ANSWER.search(text.strip()):
                # The last question answered with another person's sign: the
                # check was done for them ("he has a fever"), and it is over.
                return [SlotSet(RED_FLAG_SCREEN, text), ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), *in_force]
            # The same message may answer the writer's own question ("none of
            # those, but my friend..."): the form reads it, or asks again.
            return [FollowupAction(SYMPTOM_FORM)]
        return in_force
