"""Triage actions run against a Tracker, without servers."""
import asyncio
import re

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet

from actions.disposition import ActionGiveDisposition, ActionStartSymptomCheck
from actions.red_flags import ActionHandleRedFlag
from actions.symptom_form import ValidateSymptomForm
from bot.store.handoffs import handoffs_for
from tests.actions.helpers import make_tracker, red_flag_entities, run_action, slot_events


def red_flag_tracker(text, **kwargs):
    return make_tracker("report_red_flag", text, entities=red_flag_entities(text), **kwargs)


def test_emergency_red_flag_gets_911_payload_and_a_stored_handoff(domain, database):
    tracker = red_flag_tracker("i cant pee since this morning", sender_id="conv-1")
    events, messages = run_action(ActionHandleRedFlag(), tracker, domain)
    assert "911" in messages[0]["text"]
    assert messages[0]["custom"]["handoff"]["level"] == "emergency"
    slots = slot_events(events)
    assert slots["triage_level"] == "emergency" and slots["red_flags"] == ["urinary_retention"]
    (stored,) = handoffs_for("conv-1", database)
    assert stored["level"] == "emergency" and stored["red_flags"] == ["urinary_retention"]
    # The call card's reference code is the one stored: a CareLine nurse finds it.
    code = messages[0]["custom"]["handoff"]["code"]
    assert re.fullmatch(r"[34679ACDEFGHJKMNPQRTUVWXY]{3}-[34679ACDEFGHJKMNPQRTUVWXY]{3}", code)
    assert stored["reference_code"] == code.replace("-", "")


def test_the_call_card_uses_the_code_the_channel_gave_the_message(domain, database):
    """The channel makes one code per message, so a fail-safe card for the same
    message (given while this action was late) names the same handoff."""
    tracker = red_flag_tracker("i cant pee since this morning", sender_id="conv-code")
    tracker.latest_message["metadata"] = {"reference_code": "K7Q4MP"}
    _, messages = run_action(ActionHandleRedFlag(), tracker, domain)
    assert messages[0]["custom"]["handoff"]["code"] == "K7Q-4MP"
    (stored,) = handoffs_for("conv-code", database)
    assert stored["reference_code"] == "K7Q4MP"


def test_emergency_mid_form_stops_the_form(domain):
    tracker = red_flag_tracker("both my legs went numb", active_loop="symptom_form",
                               slots={"requested_slot": "pain_duration"})
    events, _ = run_action(ActionHandleRedFlag(), tracker, domain)
    assert ActiveLoop(None) in events and SlotSet("requested_slot", None) in events


def test_urgent_red_flag_hands_off_then_screens_for_an_emergency(domain):
    events, messages = run_action(ActionHandleRedFlag(), red_flag_tracker("i have a fever"), domain)
    assert messages[0]["custom"]["handoff"]["line"] == "careline"
    assert "612-339-3663" in messages[0]["text"]
    assert ActiveLoop("symptom_form") in events, "the form goes on to ask the emergency screen"


def test_urgent_answer_to_the_screen_ends_the_check(domain):
    tracker = red_flag_tracker("fever", active_loop="symptom_form",
                               slots={"requested_slot": "red_flag_screen"})
    events, _ = run_action(ActionHandleRedFlag(), tracker, domain)
    assert SlotSet("red_flag_screen", "fever") in events and ActiveLoop(None) in events


def test_self_harm_gets_988(domain):
    _, messages = run_action(ActionHandleRedFlag(), red_flag_tracker("i want to end my life"), domain)
    assert "988" in messages[0]["text"] and "911" in messages[0]["text"]


def test_someone_elses_emergency_gets_911_for_them_and_a_marked_handoff(domain, database):
    tracker = red_flag_tracker("my husband's back hurts and he can't feel his legs",
                               sender_id="conv-2")
    events, messages = run_action(ActionHandleRedFlag(), tracker, domain)
    assert "911 for them" in messages[0]["text"]
    handoff = messages[0]["custom"]["handoff"]
    assert handoff["level"] == "emergency" and handoff["for_someone_else"] is True
    assert slot_events(events) == {"escalation_in_force": "someone_else"}, \
        "the writer's own triage and check are left as they were; the advice stays in force"
    (stored,) = handoffs_for("conv-2", database)
    assert stored["level"] == "emergency" and stored["red_flags"] == ["leg_weakness_bilateral"]
    assert all(reason.startswith("For someone else:") for reason in stored["reasons"])
    assert stored["reference_code"] == handoff["code"].replace("-", "")


def test_someone_elses_urgent_sign_gets_the_careline_for_them(domain):
    events, messages = run_action(
        ActionHandleRedFlag(), red_flag_tracker("my son has a fever and his back hurts"), domain)
    assert messages[0]["custom"]["handoff"]["line"] == "careline"
    assert "612-339-3663" in messages[0]["text"] and slot_events(events) == {"escalation_in_force": "someone_else"}


def test_someone_elses_sign_as_the_answer_to_the_last_question_ends_the_check(domain):
    """A wife doing the check for her husband answers the screen "he has a
    fever": the CareLine for him, and the check is over (it used to ask the
    last question again and again)."""
    tracker = red_flag_tracker("he has a fever 101.5 and says it burns when he pees",
                               active_loop="symptom_form", slots={"requested_slot": "red_flag_screen"})
    events, messages = run_action(ActionHandleRedFlag(), tracker, domain)
    assert messages[0]["custom"]["handoff"]["for_someone_else"] is True
    assert ActiveLoop(None) in events and SlotSet("requested_slot", None) in events
    assert not any(isinstance(e, dict) and e.get("event") == "followup" for e in events)


def test_a_plain_no_beside_someone_elses_sign_lets_the_check_read_the_no(domain):
    tracker = red_flag_tracker("none of those, but my wife has a fever",
                               active_loop="symptom_form", slots={"requested_slot": "red_flag_screen"})
    events, _ = run_action(ActionHandleRedFlag(), tracker, domain)
    assert ActiveLoop(None) not in events


def test_someone_elses_crisis_gets_988_for_them(domain):
    _, messages = run_action(
        ActionHandleRedFlag(), red_flag_tracker("my son says he wants to kill himself"), domain)
    assert "988" in messages[0]["text"] and "911" in messages[0]["text"]


def test_the_writers_own_emergency_comes_first(domain):
    tracker = red_flag_tracker("my wife has a fever and i cant pee")
    events, messages = run_action(ActionHandleRedFlag(), tracker, domain)
    assert messages[0]["custom"]["handoff"]["level"] == "emergency"
    assert "for_someone_else" not in messages[0]["custom"]["handoff"]
    assert slot_events(events)["triage_level"] == "emergency"


def test_red_flags_from_earlier_messages_count(domain):
    earlier = {"event": "user", "parse_data": {"entities": red_flag_entities("i had cancer")}}
    tracker = make_tracker("describe_pain", "my back hurts", events=[earlier])
    _, messages = run_action(ActionGiveDisposition(), tracker, domain)
    assert "CareLine nurse now" in messages[0]["text"]


def test_negated_mentions_do_not_count(domain):
    tracker = make_tracker("describe_pain", "no fever no numbness",
                           entities=red_flag_entities("no fever no numbness"),
                           slots={"pain_pattern": "first_time", "age": 30, "pain_duration": 2})
    events, messages = run_action(ActionGiveDisposition(), tracker, domain)
    assert slot_events(events)["triage_level"] == "self_care"
    assert not messages[0]["custom"]


def test_disposition_after_an_urgent_handoff_is_a_short_reminder(domain):
    tracker = make_tracker("deny", "none of these", slots={"triage_level": "urgent"},
                           events=[{"event": "user", "parse_data": {
                               "entities": red_flag_entities("i have a fever")}}])
    events, messages = run_action(ActionGiveDisposition(), tracker, domain)
    assert len(messages) == 1 and "612-339-3663" in messages[0]["text"]
    assert "triage_level" not in slot_events(events)


def test_starting_a_check_clears_old_answers(domain):
    events, messages = run_action(ActionStartSymptomCheck(), make_tracker("describe_pain"), domain)
    assert messages[0]["response"] == "utter_start_symptom_check"
    assert SlotSet("pain_location", None) in events and SlotSet("triage_level", None) in events


def asked_then_replied(slot, replies):
    """Events of the check asking for `slot`, then the person's replies."""
    return [{"event": "slot", "name": "requested_slot", "value": slot},
            *({"event": "user", "text": reply} for reply in replies)]


def extract(slot, text, intent="nlu_fallback", confidence=0.9, earlier_replies=(), **slots):
    form = ValidateSymptomForm()
    tracker = make_tracker(intent, text, confidence=confidence, active_loop="symptom_form",
                           slots={"requested_slot": slot, **slots},
                           entities=red_flag_entities(text),
                           events=asked_then_replied(slot, [*earlier_replies, text]))
    from rasa_sdk.executor import CollectingDispatcher
    dispatcher = CollectingDispatcher()
    result = asyncio.run(getattr(form, f"extract_{slot}")(dispatcher, tracker, {}))
    return result, dispatcher.messages


@pytest.mark.parametrize("slot, text, value", [
    ("pain_duration", "about 3 days", 3), ("pain_severity", "8/10", 8),
    ("pain_location", "lower", "lower back"), ("age", "im 62", 62),
    ("pain_pattern", "keeps coming back", "repeat"), ("pain_impact", "no", False),
    ("red_flag_screen", "none of those", "none"),
])
def test_answers_fill_their_slot(slot, text, value):
    result, messages = extract(slot, text)
    assert result == {slot: value} and messages == []


def test_a_question_mid_form_is_left_to_the_rules():
    assert extract("pain_duration", "should i use ice or heat?", intent="ice_or_heat") == ({}, [])


def test_a_red_flag_mid_form_is_left_to_the_rules():
    assert extract("pain_duration", "a week, and i wet myself", intent="report_red_flag") == ({}, [])


def test_an_unclear_answer_is_asked_again_with_a_hint():
    result, messages = extract("pain_severity", "hmm dunno")
    assert result == {"pain_severity": None}
    assert messages[0]["response"] == "utter_unclear_pain_severity"


def test_a_second_unreadable_answer_moves_on_as_unclear_instead_of_looping():
    result, messages = extract("pain_pattern", "the odd twinge over the years",
                               earlier_replies=["the odd twinge over the years"])
    assert result == {"pain_pattern": "unclear"}
    assert messages[0]["response"] == "utter_moving_on"


def test_a_reply_taken_for_a_question_a_third_time_is_an_unclear_answer():
    earlier = ["i have had the odd twinge over the years"] * 2
    assert extract("pain_pattern", earlier[0], intent="pain_persistent", earlier_replies=earlier)[0] \
        == {"pain_pattern": "unclear"}
    assert extract("pain_pattern", earlier[0], intent="pain_persistent",
                   earlier_replies=earlier[:1]) == ({}, [])


def test_the_mid_check_answer_is_given_twice_then_left_to_the_form(domain):
    from actions.symptom_form import ActionAnswerMidCheck

    def mid_check(replies):
        tracker = make_tracker("ice_or_heat", replies[-1], active_loop="symptom_form",
                               slots={"requested_slot": "pain_pattern"},
                               events=asked_then_replied("pain_pattern", replies))
        return run_action(ActionAnswerMidCheck(), tracker, domain)[1]

    assert mid_check(["ice or heat?"]) and mid_check(["ice or heat?"] * 2)
    assert mid_check(["ice or heat?"] * 3) == []


def test_screen_answer_with_a_risk_factor_is_kept():
    result, _ = extract("red_flag_screen", "i have osteoporosis")
    assert result == {"red_flag_screen": "i have osteoporosis"}


@pytest.mark.parametrize("level, response", [
    ("urgent", "utter_ask_red_flag_screen_urgent"), (None, "utter_ask_red_flag_screen")])
def test_the_screen_question_is_short_after_an_urgent_handoff(domain, level, response):
    from actions.symptom_form import ActionAskRedFlagScreen
    _, messages = run_action(ActionAskRedFlagScreen(), make_tracker(slots={"triage_level": level}), domain)
    assert messages[0]["response"] == response


@pytest.mark.parametrize("text", ["no. my mom had cancer but i never did",
                                  "no. had a fever last year with the flu but nothing now"])
def test_screen_answers_that_only_deny_are_a_no(text):
    assert extract("red_flag_screen", text)[0] == {"red_flag_screen": "none"}


def test_after_an_urgent_handoff_only_the_screen_is_left():
    form = ValidateSymptomForm()
    slots = asyncio.run(form.required_slots(
        ["pain_location", "red_flag_screen"], None, make_tracker(slots={"triage_level": "urgent"}), {}))
    assert slots == ["red_flag_screen"]


def test_every_interruption_rule_is_known_to_the_form():
    """The form lets go of exactly the intents that have a rule inside it."""
    import yaml

    from actions.symptom_form import NOT_ANSWERS
    from bot import PROJECT_ROOT

    in_form = set()
    for name in ("interruptions", "symptom_check"):
        rules = yaml.safe_load((PROJECT_ROOT / "data" / "rules" / f"{name}.yml").read_text())["rules"]
        for rule in rules:
            conditions = rule.get("condition", [])
            first = rule["steps"][0].get("intent")
            if {"active_loop": "symptom_form"} in conditions and first and first != "report_red_flag":
                in_form.add(first)
    assert NOT_ANSWERS == in_form


def test_the_second_unclear_screen_answer_counts_as_a_warning_sign():
    events = [{"event": "slot", "name": "requested_slot", "value": "age"},
              {"event": "user"},
              {"event": "slot", "name": "requested_slot", "value": "red_flag_screen"},
              {"event": "user"},
              {"event": "slot", "name": "requested_slot", "value": "red_flag_screen"},
              {"event": "user"}]
    form = ValidateSymptomForm()
    tracker = make_tracker("nlu_fallback", "just what i said", active_loop="symptom_form",
                           slots={"requested_slot": "red_flag_screen"}, events=events)
    from rasa_sdk.executor import CollectingDispatcher
    result = asyncio.run(form.extract_red_flag_screen(CollectingDispatcher(), tracker, {}))
    assert result == {"red_flag_screen": "unsure"}
    validated = form.validate_red_flag_screen("unsure", None, tracker, {})
    assert "screen_unclear" in validated["red_flags"]


def test_an_answer_the_classifier_took_for_a_question_is_left_to_the_check(domain):
    from actions.symptom_form import ActionAnswerMidCheck
    tracker = make_tracker("bot_challenge", "I am 71.", slots={"requested_slot": "age"},
                           active_loop="symptom_form")
    events, messages = run_action(ActionAnswerMidCheck(), tracker, domain)
    assert events == [] and messages == []  # the form, next, reads 71 as the age


def test_a_real_question_mid_check_gets_its_usual_answer(domain):
    from actions.symptom_form import ActionAnswerMidCheck
    tracker = make_tracker("ice_or_heat", "is ice or heat better?", slots={"requested_slot": "age"},
                           active_loop="symptom_form")
    _, messages = run_action(ActionAnswerMidCheck(), tracker, domain)
    assert messages[0]["response"] == "utter_ice_or_heat"
