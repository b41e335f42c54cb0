"""The advice to call stays in force (issue 13, layer 5), without servers."""
from actions.escalation import ActionEscalationInForce
from actions.lib.answers import usual_answer
from actions.red_flags import ActionHandleRedFlag
from bot.core.slots import ESCALATION_IN_FORCE
from tests.actions.helpers import make_tracker, red_flag_entities, run_action, slot_events

CARD = {"handoff": {"level": "emergency", "line": "911", "phones": ["911"], "tty": "",
                    "reasons": ["Can't pee (possible cauda equina)"]}}
AFTER_911 = [{"event": "bot", "text": "Call 911 now", "data": {"custom": CARD}}]


def test_an_escalation_sets_the_advice_in_force(domain):
    text = "i cant pee since this morning"
    tracker = make_tracker("report_red_flag", text, entities=red_flag_entities(text))
    events, _ = run_action(ActionHandleRedFlag(), tracker, domain)
    assert slot_events(events)[ESCALATION_IN_FORCE] == "self"


def test_a_hello_after_911_gets_the_advice_and_the_same_call_card(domain):
    tracker = make_tracker("greet", "hi", events=AFTER_911)
    _, messages = run_action(ActionEscalationInForce(), tracker, domain)
    assert "911" in messages[0]["text"] and messages[0]["custom"] == CARD
    assert not any(m.get("response") for m in messages)


def test_a_question_after_911_gets_its_answer_and_the_reminder(domain):
    tracker = make_tracker("ice_or_heat", "ice or heat?", events=AFTER_911)
    _, messages = run_action(ActionEscalationInForce(), tracker, domain)
    assert [m.get("response") for m in messages[:-1]] == ["utter_ice_or_heat", "utter_ice_or_heat_2"]
    assert "call 911" in messages[-1]["text"]


def test_putting_off_the_call_while_asking_for_a_nurse_gets_the_advice_alone(domain):
    tracker = make_tracker("talk_to_person", "i dont want to call 911 its probably nothing", events=AFTER_911)
    _, messages = run_action(ActionEscalationInForce(), tracker, domain)
    assert messages[0]["custom"] == CARD and "Nurse Navigator" not in " ".join(m["text"] or "" for m in messages)


def test_the_contact_answers_are_given_by_their_own_text():
    assert "CareLine" in " ".join(m.get("text", "") for m in usual_answer("talk_to_person"))
    assert usual_answer("describe_pain") == []


def test_without_a_call_card_the_safe_general_reply_is_given(domain):
    _, messages = run_action(ActionEscalationInForce(), make_tracker("greet", "hi"), domain)
    assert messages[0]["response"] == "utter_default"

