"""The replies themselves: SMS-sized, plain language, right numbers, no dead ends."""
import re
from statistics import mean

import pytest
import yaml

from bot import PROJECT_ROOT
from bot.core import answers
from bot.core.contacts import CARELINE, all_phone_numbers
from bot.eval.readability import grade_level
from bot.server.channels.sms_text import START_WHEN_OPTED_OUT, START_WORDS, STOP_WORDS

PHONE = re.compile(r"\b\d{3}-\d{3}-\d{4}\b")


def all_texts(domain):
    for name, variations in domain["responses"].items():
        for variation in variations:
            yield name, variation.get("text", "")


def test_every_reply_fits_in_one_sms(domain):
    too_long = {name: len(text) for name, text in all_texts(domain) if len(text) > 320}
    assert too_long == {}


def test_no_reply_asks_for_a_word_that_texting_would_take_as_an_opt_out(domain):
    """Over SMS, "stop" alone opts the number out of every text (Twilio's
    keywords), so no reply may tell people to type it."""
    asked = {name: word for name, text in all_texts(domain)
             for word in re.findall(r"\b(?:type|say|reply|text|send)\s+[\"']?(\w+)", text, re.I)
             if word.upper() in STOP_WORDS | START_WORDS | START_WHEN_OPTED_OUT}
    assert asked == {}


def test_replies_read_at_a_middle_school_level(domain):
    grades = {name: grade_level(text) for name, text in all_texts(domain)}
    hard = {name: round(g, 1) for name, g in grades.items() if g > 9.0}
    assert hard == {}, "replies above grade 9"
    assert mean(grades.values()) <= 8.0


def test_numbers_in_replies_are_the_plans_numbers(domain):
    known = all_phone_numbers()
    for name, text in all_texts(domain):
        unknown = set(PHONE.findall(text)) - known
        assert not unknown, f"{name} gives numbers not in bot/core/contacts.py: {unknown}"


def test_greeting_says_what_the_assistant_is_and_is_not(domain):
    text = domain["responses"]["utter_greet"][0]["text"]
    assert "automated assistant" in text
    assert "not a nurse" in text
    assert "911" in text


@pytest.mark.parametrize("name", ["utter_default", "utter_out_of_scope"])
def test_fallbacks_offer_a_way_forward(domain, name):
    reply = domain["responses"][name][0]
    assert CARELINE.phones[0] in reply["text"]
    assert len(reply.get("buttons", [])) >= 3


def test_no_reply_claims_to_be_a_nurse_or_diagnoses(domain):
    for name, text in all_texts(domain):
        lowered = text.lower()
        assert "i am a nurse" not in lowered and "i'm a nurse" not in lowered, name
        assert not re.search(r"\byou have (a |an )?(herniated|sciatica|arthritis|stenosis|strain)", lowered), name


def test_six_myths_each_have_a_myth_and_a_fact(domain):
    for intent in ("myth_disabling", "myth_rest", "myth_surgery", "myth_narcotics",
                   "myth_imaging", "causes"):
        text = domain["responses"][f"utter_{intent}"][0]["text"]
        assert text.startswith("Myth:") and "Fact:" in text, intent


def test_key_numbers_from_the_plan_page_are_given(domain):
    texts = {name: text for name, text in all_texts(domain)}
    assert "7 in 10" in texts["utter_myth_disabling"] and "9 in 10" in texts["utter_myth_disabling"]
    assert "1 in 20" in texts["utter_myth_surgery"]
    assert "48-72 hours" in texts["utter_ice_or_heat"] and "10-15 minutes" in texts["utter_ice_or_heat"]
    assert "10 seconds" in texts["utter_exercise_pelvic_tilt"]
    assert "10 times, 3-4 times a day" in texts["utter_exercise_pelvic_tilt_2"]
    assert "5 times with each leg" in texts["utter_exercise_knee_raise_2"]
    assert "30-45 minutes" in texts["utter_sitting_at_work_2"]


ANSWER_PARSERS = {
    "pain_location": answers.parse_location, "pain_pattern": answers.parse_pattern,
    "pain_duration": answers.parse_duration_days, "pain_severity": answers.parse_severity,
    "pain_impact": answers.parse_yes_no, "age": answers.parse_age,
    "red_flag_screen": lambda text: "none" if answers.is_no_to_all(text) else None,
}


def test_buttons_send_a_known_intent_or_an_answer_the_form_understands(domain):
    """'/intent' payloads name an intent; plain-text payloads are answers to the
    question asking for that slot, and must be understood."""
    intents = set(domain["intents"])
    for name, variations in domain["responses"].items():
        for variation in variations:
            for button in variation.get("buttons", []):
                assert len(button["title"]) <= 20, (name, button)
                payload = button["payload"]
                if payload.startswith("/"):
                    assert payload[1:] in intents, (name, button)
                    continue
                slot = name.replace("utter_ask_", "").replace("_urgent", "")
                assert slot in ANSWER_PARSERS, (name, button)
                assert ANSWER_PARSERS[slot](payload) is not None, (name, button)


def rule_and_story_steps():
    for path in (PROJECT_ROOT / "data").glob("*/*.yml"):
        data = yaml.safe_load(path.read_text()) or {}
        for block in data.get("rules", []) + data.get("stories", []):
            yield block["steps"]


def test_every_intent_gets_an_answer_from_a_rule(domain):
    answered = {
        steps[0]["intent"] for steps in rule_and_story_steps()
        if "intent" in steps[0] and len(steps) > 1
    }
    assert set(domain["intents"]) - answered == set()


def test_answers_that_talk_about_pain_end_with_the_safety_net():
    for steps in rule_and_story_steps():
        first = steps[0].get("intent")
        if first in {"home_care", "pain_first_time", "pain_repeat",
                     "pain_persistent", "pain_types"} and len(steps) > 1:
            actions = [s["action"] for s in steps[1:] if "action" in s]
            if actions[0] in ("action_escalation_in_force", "action_answer_suspicion",
                              "action_answer_mid_check"):
                continue  # these give the usual answer themselves (actions/lib/answers.py)
            assert "utter_safety_net" in actions, first
