"""The rule table: red flags and risk combinations to dispositions, with reasons."""
import pytest

from bot.core import triage_replies
from bot.core.disposition import Facts, decide
from bot.core.red_flag_rules import red_flags


def facts(*codes, **kwargs):
    return Facts(red_flags=frozenset(codes), **kwargs)


@pytest.mark.parametrize("code", [c for c, f in red_flags().items() if f.level == "emergency"])
def test_every_emergency_flag_alone_is_an_emergency(code):
    result = decide(facts(code))
    assert result.level == "emergency" and result.reasons


@pytest.mark.parametrize("code", [c for c, f in red_flags().items() if f.level == "urgent"])
def test_every_urgent_flag_alone_is_urgent(code):
    assert decide(facts(code)).level == "urgent"


@pytest.mark.parametrize("codes, level", [
    (("trauma", "leg_weakness"), "emergency"),
    (("trauma", "saddle_numbness"), "emergency"),
    (("trauma",), "urgent"),
    (("trauma", "osteoporosis"), "urgent"),
    (("osteoporosis",), "routine"),
    (("steroid_use",), "routine"),
    (("urinary_symptoms",), "routine"),
    (("urinary_symptoms", "fever"), "urgent"),
    (("sciatica",), "routine"),
    (("arm_numbness",), "routine"),
    (("fever", "urinary_retention"), "emergency"),
])
def test_combinations(codes, level):
    assert decide(facts(*codes)).level == level


@pytest.mark.parametrize("kwargs, level", [
    (dict(pattern="first_time", duration_days=3, age=34), "self_care"),
    (dict(pattern="repeat", duration_days=5, age=40, limits_activity=False), "self_care"),
    (dict(pattern="repeat", duration_days=5, age=40, limits_activity=True), "routine"),
    (dict(pattern="persistent", duration_days=400, age=40), "routine"),
    (dict(pattern="first_time", duration_days=25, age=30), "routine"),
    (dict(pattern="first_time", duration_days=20, age=30), "self_care"),
    (dict(pattern="first_time", duration_days=3, age=55), "routine"),
    (dict(pattern="repeat", duration_days=3, age=55, limits_activity=False), "self_care"),
    (dict(pattern="first_time", duration_days=3, age=16), "routine"),
    (dict(pattern="first_time", duration_days=3, age=30, leg_spread="one"), "routine"),
    (dict(pattern="first_time", duration_days=3, age=30, severity=9), "self_care"),
    # an answer the check could not read is not taken as the harmless one
    (dict(duration_days=3, age=30, unclear=frozenset({"pain_pattern"})), "routine"),
    (dict(pattern="first_time", duration_days=3, age=30, unclear=frozenset({"age"})), "routine"),
    (dict(pattern="first_time", duration_days=3, age=30, unclear=frozenset({"pain_severity"})),
     "self_care"),
])
def test_answers_without_red_flags(kwargs, level):
    assert decide(Facts(**kwargs)).level == level


def test_an_unclear_answer_never_lowers_a_red_flag():
    assert decide(facts("fever", unclear=frozenset({"age"}))).level == "urgent"


def test_highest_level_wins_and_keeps_all_its_reasons():
    result = decide(facts("fever", "cancer_history", "sciatica", pattern="persistent"))
    assert result.level == "urgent"
    assert len(result.reasons) == 2 and result.red_flags == ("cancer_history", "fever", "sciatica")


def test_self_care_still_has_a_reason():
    assert decide(Facts()).reasons


@pytest.mark.parametrize("codes, line, must_say", [
    (("bladder_bowel_loss",), "911", "911"),
    (("self_harm",), "988", "988"),
    (("fever",), "careline", "612-339-3663"),
])
def test_escalation_replies_carry_the_handoff_payload(codes, line, must_say):
    result = decide(facts(*codes))
    messages = triage_replies.for_disposition(result, facts(*codes))
    payloads = [m["json_message"]["handoff"] for m in messages if "json_message" in m]
    assert payloads and payloads[0]["line"] == line and payloads[0]["level"] == result.level
    assert set(payloads[0]) == {"level", "line", "phones", "tty", "reasons"}
    assert must_say in messages[0]["text"]
    assert "911" in " ".join(m["text"] for m in messages)


def test_self_harm_gives_988_and_911():
    text = " ".join(m["text"] for m in triage_replies.for_disposition(decide(facts("self_harm")), facts()))
    assert "988" in text and "911" in text


@pytest.mark.parametrize("location, stretch", [("upper back", "shoulder"), ("lower back", "pelvic")])
def test_self_care_plan_fits_upper_or_lower_back(location, stretch):
    f = Facts(pattern="first_time", location=location)
    text = " ".join(m["text"] for m in triage_replies.for_disposition(decide(f), f))
    assert stretch in text and "48-72 hours" in text and "CareLine" in text and "911" in text


@pytest.mark.parametrize("f", [facts("fever", "cancer_history", "weight_loss", "night_pain"),
                               facts("self_harm"), Facts(pattern="persistent"),
                               Facts(pattern="repeat", location="upper back")])
def test_disposition_messages_fit_in_an_sms(f):
    for message in triage_replies.for_disposition(decide(f), f):
        assert len(message["text"]) <= 320


@pytest.mark.parametrize("codes, line", [
    (["leg_weakness_bilateral"], "911"), (["fever"], "careline"), (["self_harm"], "988"),
    (["trauma", "leg_weakness"], "911"),  # an injury with a weak leg is an emergency for them too
])
def test_someone_elses_red_flag_tells_the_writer_what_to_do_for_them(codes, line):
    from bot.eval.readability import grade_level

    first, then = triage_replies.for_someone_else(decide(Facts(red_flags=frozenset(codes))))
    assert first["json_message"]["handoff"]["line"] == line
    assert first["json_message"]["handoff"]["for_someone_else"] is True
    assert "them" in first["text"] and "you have" not in first["text"].lower()
    assert all(grade_level(m["text"]) <= 8 for m in (first, then))
    assert "nurse" in then["text"].lower()
