"""Free-text answers to the symptom-check questions."""
from datetime import date

import pytest

from bot.core import answers

SUNDAY = date(2026, 11, 22)


@pytest.mark.parametrize("text, days", [
    ("about 3 days", 3), ("3 days", 3), ("a couple of weeks", 14), ("couple weeks", 14),
    ("2 months", 60), ("since yesterday", 1), ("today", 0), ("a week", 7),
    ("like 5 wks", 35), ("a few days", 3), ("more than 3 weeks", 21), ("1 year", 365),
    ("since last tuesday", 5), ("since monday", 6), ("a week and a half", 10),
    ("2.5 weeks", 18), ("since lunch", 0), ("20 min ago", 0),
    ("4 dias", 4), ("2 semanas", 14), ("3 meses", 90), ("un mes", 30),
    ("yeers", 365), ("for months now", 60),
])
def test_durations(text, days):
    assert answers.parse_duration_days(text, today=SUNDAY) == days


@pytest.mark.parametrize("text", ["idk", "not sure", "hmm"])
def test_unclear_durations_are_not_guessed(text):
    assert answers.parse_duration_days(text, today=SUNDAY) is None


@pytest.mark.parametrize("text, score", [
    ("8", 8), ("8/10", 8), ("eight", 8), ("pretty bad like a 7", 7), ("10 out of 10", 10),
    ("0", 0), ("mild", 3), ("its a 4 maybe 5", 4),
])
def test_severity(text, score):
    assert answers.parse_severity(text) == score


@pytest.mark.parametrize("text, location", [
    ("lower", "lower back"), ("low back", "lower back"), ("upper back", "upper back"),
    ("between my shoulder blades", "upper back"), ("middle", "middle back"), ("neck", "neck"),
    ("lower back and down one leg", "lower back"),
])
def test_location(text, location):
    assert answers.parse_location(text) == location


@pytest.mark.parametrize("text, spread", [
    ("lower back and down one leg", "one"), ("lower back and down both legs", "both"),
    ("lower back, it doesn't go down my legs", "none"), ("just my back", "none"),
    ("no, nothing in my legs", "none"), ("into my left leg", "one"),
])
def test_leg_spread(text, spread):
    assert answers.parse_leg_spread(text) == spread


@pytest.mark.parametrize("text, pattern", [
    ("first time", "first_time"), ("never had it before", "first_time"),
    ("not the first time", "repeat"), ("brand new", "first_time"),
    ("it keeps coming back", "repeat"), ("comes and goes", "repeat"),
    ("all the time", "persistent"), ("every day for years", "persistent"),
])
def test_pattern(text, pattern):
    assert answers.parse_pattern(text) == pattern


@pytest.mark.parametrize("text, value", [
    ("yes", True), ("yeah kinda", True), ("i cant work", True), ("no", False),
    ("no, i can still work", False), ("not really", False), ("ya", True), ("some", True),
    ("Minimal, I'm working full duty.", False), ("im working normally", False),
])
def test_yes_no(text, value):
    assert answers.parse_yes_no(text) == value


@pytest.mark.parametrize("text, age", [
    ("34", 34), ("im 62", 62), ("50s", 55), ("in my forties", 45), ("70 or older", 70),
    ("under 18", 17), ("18 to 49", 18), ("im 16 lol", 16),
])
def test_age(text, age):
    assert answers.parse_age(text) == age


@pytest.mark.parametrize("text", ["none", "none of those", "nope", "no", "No to all",
                                  "nothing like that", "nada de eso, estoy bien", "ninguno, todo normal"])
def test_no_to_all(text):
    assert answers.is_no_to_all(text)


@pytest.mark.parametrize("text", ["yes", "fever", "i have a fever"])
def test_not_no_to_all(text):
    assert not answers.is_no_to_all(text)


@pytest.mark.parametrize("text, items", [
    ("the fall and the leg", {"trauma", "leg_weakness"}),
    ("yes both legs", {"leg_weakness_bilateral"}),
    ("fever", {"fever"}),
    ("no fever, but the night pain", {"night_pain"}),
    ("none besides the peeing", {"bladder_bowel_loss"}),
    ("peeing more often", {"urinary_symptoms"}),
    ("just what i said", set()),
])
def test_short_answers_to_the_screen_name_its_items(text, items):
    assert answers.screen_items(text) == items


def test_a_vague_screen_answer_points_back_at_what_was_said():
    assert answers.prefer_known({"bladder_bowel_loss"}, {"urinary_symptoms"}) == {"urinary_symptoms"}
    assert answers.prefer_known({"leg_weakness"}, {"trauma"}) == {"leg_weakness"}


def test_none_except_is_not_a_no():
    assert not answers.is_no_to_all("none besides the peeing")
    assert not answers.is_no_to_all("nada, pero tengo fiebre")


@pytest.mark.parametrize("text", [
    "No, none of those now. I had some leaking after my baby was born but that was 12 years ago and it went away completely.",
    "nope none of that, i did have a cold 2 months ago but thats long gone",
    "no, but years ago I used to get kidney stones",
    "no non. docter say my bons thin but no fall",
])
def test_a_no_with_only_old_history_or_more_denials_is_a_no(text):
    assert answers.is_no_with_nothing_current(text)


@pytest.mark.parametrize("text", [
    "no, but 2 months ago I had a fall and now my legs are weak",  # names list items
    "no, but I feel kind of off down there",                     # nothing over and done
    "none of those but I'm not feeling right down there",         # not a denial of a list item
    "yes, a fever, it went away yesterday",                       # not a no
])
def test_a_no_with_something_current_is_not_read_as_a_plain_no(text):
    assert not answers.is_no_with_nothing_current(text)


# What a first message already tells the symptom check (issue 13, layer 4).

def test_prefill_takes_only_what_the_first_message_says_without_doubt():
    from datetime import date

    from bot.core.answers import prefill
    said = prefill("my lower back is killing me since monday, 8/10, im 45, shoots down my leg",
                   today=date(2026, 11, 29))  # a Sunday
    assert said == {"pain_duration": 6, "pain_severity": 8, "age": 45}  # where: always asked
    assert prefill("im 5 minutes from home and my back hurts") == {}
    assert prefill("back hurts again, it flared up") == {"pain_pattern": "repeat"}


@pytest.mark.parametrize("text, pattern", [
    ("it happens sometimes", "repeat"), ("hert befor sum time", "repeat"), ("a veces me pasa", "repeat"),
    ("I've had a twinge now and then over the years, but nothing like this.", "repeat"),
    ("all the tim", "persistent"), ("firs tim", "first_time"),
    ("Occasional episodes, maybe once a year.", "repeat"), ("comes n goes, like every few months", "repeat"),
])
def test_pattern_answers_in_everyday_words_typos_and_spanish(text, pattern):
    from bot.core.answers import parse_pattern
    assert parse_pattern(text) == pattern


@pytest.mark.parametrize("text, limits", [
    ("I called out of my shift today", True), ("I stayed in bed yesterday.", True),
    ("I can potter about, but I've had to leave the lawn.", True), ("she's lying on the couch", True),
    ("i work thru it", False), ("Manageable, I work full shifts.", False),
])
def test_impact_answers_in_everyday_words(text, limits):
    from bot.core.answers import parse_yes_no
    assert parse_yes_no(text) is limits


def test_a_number_that_ends_a_sentence_is_still_read():
    from bot.core.answers import parse_age, parse_severity
    assert parse_age("I am 71.") == 71 and parse_severity("About an 8.") == 8
