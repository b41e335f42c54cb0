"""The suspicion net's question, asked and answered (issue 13, layer 3), without servers."""
from rasa_sdk.events import ActiveLoop

from actions.red_flags import ActionHandleRedFlag
from actions.suspicion import ActionAnswerSuspicion
from bot.core import suspicion
from bot.core.slots import ESCALATION_IN_FORCE, SUSPICION_PENDING
from bot.store.handoffs import handoffs_for
from tests.actions.helpers import make_tracker, run_action, slot_events

SUSPECTED = [{"entity": "suspected", "value": "both_legs", "start": 0, "end": 0}]


def suspected_tracker(**kwargs):
    tracker = make_tracker("report_red_flag", "my legs feel like they belong to someone else",
                           entities=SUSPECTED, **kwargs)
    tracker.latest_message["intent_ranking"] = [{"name": "report_red_flag"}, {"name": "describe_pain"}]
    return tracker


def test_a_suspicion_the_rules_did_not_confirm_gets_one_yes_no_question(domain):
    events, messages = run_action(ActionHandleRedFlag(), suspected_tracker(), domain)
    assert messages[0]["text"].endswith(suspicion.GROUPS["both_legs"].question)
    assert [b["title"] for b in messages[0]["buttons"]] == ["Yes", "No"]
    assert slot_events(events) == {SUSPICION_PENDING: "both_legs|describe_pain|0"}


def test_after_the_advice_a_suspicion_gets_the_advice_again_not_a_question(domain):
    card = {"handoff": {"level": "emergency", "line": "911", "phones": ["911"], "tty": "", "reasons": ["x"]}}
    tracker = suspected_tracker(slots={"escalation_in_force": "self"},
                                events=[{"event": "bot", "text": "Call 911", "data": {"custom": card}}])
    events, messages = run_action(ActionHandleRedFlag(), tracker, domain)
    assert events == [] and messages[0]["custom"] == card  # the same call card, no yes/no question
    assert not messages[0].get("buttons")


def test_mid_check_the_check_takes_the_message_and_its_screen_asks_later(domain):
    events, messages = run_action(ActionHandleRedFlag(), suspected_tracker(active_loop="symptom_form"),
                                  domain)
    assert messages == [] and events[0]["event"] == "followup" and events[0]["name"] == "symptom_form"


def answer(text, pending="both_legs|describe_pain|0", sender="s1"):
    return make_tracker("nlu_fallback", text, slots={SUSPICION_PENDING: pending}, sender_id=sender)


def test_yes_escalates_with_what_they_said_yes_to(domain, database):
    events, messages = run_action(ActionAnswerSuspicion(), answer("yes", sender="yes-1"), domain)
    assert "911" in messages[0]["text"] and "weak or numb legs" in messages[0]["text"]
    slots = slot_events(events)
    assert slots["triage_level"] == "emergency" and slots[ESCALATION_IN_FORCE] == "self"
    assert slots[SUSPICION_PENDING] is None
    (stored,) = handoffs_for("yes-1", database)
    assert stored["level"] == "emergency" and stored["red_flags"] == ["leg_weakness_bilateral"]


def test_no_goes_on_to_what_the_first_message_wanted(domain):
    events, messages = run_action(ActionAnswerSuspicion(), answer("no"), domain)
    assert "If that changes" in messages[0]["text"]
    assert messages[1]["response"] == "utter_start_symptom_check" and ActiveLoop("symptom_form") in events
    _, messages = run_action(ActionAnswerSuspicion(), answer("nope", "both_legs|ice_or_heat|0"), domain)
    assert messages[1]["response"] == "utter_ice_or_heat"


def test_unclear_is_asked_again_then_read_as_yes(domain, database):
    events, messages = run_action(ActionAnswerSuspicion(), answer("huh"), domain)
    assert messages[0]["text"].startswith("Sorry, please answer yes or no")
    assert slot_events(events)[SUSPICION_PENDING] == "both_legs|describe_pain|1"
    _, messages = run_action(ActionAnswerSuspicion(), answer("huh", "both_legs|describe_pain|1"), domain)
    assert "911" in messages[0]["text"]


def test_a_button_pressed_instead_of_answering_moves_on_to_it(domain):
    tracker = make_tracker("start_symptom_check", "/start_symptom_check",
                           slots={SUSPICION_PENDING: "both_legs|ice_or_heat|0"})
    events, messages = run_action(ActionAnswerSuspicion(), tracker, domain)
    assert ActiveLoop("symptom_form") in events and messages[0]["text"].startswith("Thank you")
    assert not any(m.get("custom") for m in messages)  # read as "no": no call card
