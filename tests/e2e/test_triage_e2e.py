"""Red flags and the symptom check, end to end over REST against `bot run`."""
import uuid

import pytest

from bot.eval import vignette_runner
from bot.store.handoffs import handoffs_for
from tests.conftest import texts
from tests.sets import VIGNETTES


def new_sender(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def slots(server, sender):
    return server.tracker(sender)["slots"]


def test_red_flag_in_the_first_message_gets_911_and_a_call_card(server):
    sender = new_sender("em")
    replies = server.send(sender, "hi my back hurts and i cant pee since this morning")
    assert "911" in replies[0]["text"]
    cards = [r["custom"]["handoff"] for r in replies if r.get("custom")]
    assert cards and cards[0]["level"] == "emergency" and "911" in cards[0]["phones"]
    state = slots(server, sender)
    assert state["triage_level"] == "emergency" and state["red_flags"] == ["urinary_retention"]
    stored = handoffs_for(sender, f"sqlite:///{server.db}")
    assert [h["level"] for h in stored] == ["emergency"] and stored[0]["channel"] == "rest"


def test_someone_elses_emergency_gets_911_for_them_in_the_first_reply(server):
    sender = new_sender("other")
    replies = server.send(sender, "my husbands back hurts and he cant feel his legs")
    assert "911 for them" in replies[0]["text"]
    (card,) = [r["custom"]["handoff"] for r in replies if r.get("custom")]
    assert card["level"] == "emergency" and card["for_someone_else"] is True
    assert slots(server, sender)["triage_level"] is None, "the writer's own triage is not theirs"
    (stored,) = handoffs_for(sender, f"sqlite:///{server.db}")
    assert stored["level"] == "emergency" and stored["reasons"][0].startswith("For someone else:")


# The messages issue 13 was filed with, each the first of a new conversation.
@pytest.mark.parametrize("message, expected", [
    ("my back hurts and i keep wetting myself", "911"),
    ("numb when i wipe after the toilet and my back is killing me", "911"),
    ("my husband's back hurts and he can't feel his legs", "911 for them"),
    ("my mom fell and now she can't walk because of her back", "911 for them"),
    ("numbness and tingling in my upper legs with my back pain", "911"),
    ("my left leg has been getting weaker over the week and my back hurts", "612-339-3663"),
    ("pain shooting down my leg, is it sciatica?", "Where is the pain"),
])
def test_the_messages_the_red_flag_issue_was_filed_with_are_answered_safely(server, message, expected):
    said = texts(server.send(new_sender("issue13"), message))
    assert expected in said, said


def test_a_relatives_sign_as_the_last_answer_ends_the_check(server):
    """Someone doing the check for her husband answers the last question with
    his fever: the CareLine for him, once, and the check is over."""
    sender = new_sender("proxy")
    server.send(sender, "my back hurts")
    for slot in ("pain_location", "pain_pattern", "pain_duration", "pain_severity", "pain_impact", "age"):
        server.send(sender, SELF_CARE[slot])
    replies = server.send(sender, "he has a fever 101.5 and says it burns when he pees")
    assert "612-339-3663" in texts(replies) and "Last question" not in texts(replies)
    assert slots(server, sender)["requested_slot"] is None


def test_someone_elses_emergency_mid_check_is_answered_and_the_check_goes_on(server):
    sender = new_sender("other-mid")
    server.send(sender, "my back hurts")
    replies = server.send(sender, "wait my wife just peed herself and her back is killing her")
    assert "911 for them" in texts(replies)
    state = slots(server, sender)
    assert state["requested_slot"] and state["triage_level"] is None, "the writer's check goes on"


def test_a_screen_answer_that_tells_of_someone_elses_past_sign_is_read_as_the_answer(server):
    sender = new_sender("other-past")
    server.send(sender, "my back hurts")
    answer_all(server, sender, {**SELF_CARE, "red_flag_screen": "none of those. my friends legs "
                                "went numb when he had back pain tho, should i worry about that?"})
    assert slots(server, sender)["triage_level"] == "self_care"


def answer_all(server, sender, answers):
    """Answer whatever is asked until a disposition is given."""
    replies = []
    for _ in range(10):
        asked = slots(server, sender).get("requested_slot")
        if not asked:
            break
        replies = server.send(sender, answers[asked])
    return replies


SELF_CARE = {"pain_location": "lower", "pain_pattern": "first time", "pain_duration": "about 3 days",
             "pain_severity": "6", "pain_impact": "no", "age": "34", "red_flag_screen": "none of those"}


def test_a_full_symptom_check_ends_in_a_home_care_plan(server):
    sender = new_sender("sc")
    first = server.send(sender, "my back has been sore since gardening")
    assert "short questions" in texts(first) and "Where is the pain" in texts(first)
    last = answer_all(server, sender, SELF_CARE)
    assert slots(server, sender)["triage_level"] == "self_care"
    assert "home care plan" in texts(last) and "pelvic tilts" in texts(last) and "911" in texts(last)
    assert not any(r.get("custom") for r in last)


def test_own_pain_with_a_question_gets_the_answer_then_a_check_that_skips_what_it_was_told(server):
    sender = new_sender("own-q")
    first = server.send(sender, "my lower back is killing me since monday, 8/10, is ice or heat better?")
    said = texts(first)
    assert "48-72 hours" in said and "short questions" in said and "Where is the pain" in said
    state = slots(server, sender)
    assert state["pain_duration"] >= 1 and state["pain_severity"] == 8
    assert state["requested_slot"] == "pain_location"  # where (and the legs) is always asked


def test_an_answer_that_looks_like_a_question_is_still_taken_as_the_answer(server):
    sender = new_sender("age-71")
    server.send(sender, "my back has been sore since gardening")
    for slot in ("pain_location", "pain_pattern", "pain_duration", "pain_severity", "pain_impact"):
        server.send(sender, SELF_CARE[slot])
    assert slots(server, sender)["requested_slot"] == "age"
    server.send(sender, "I am 71.")
    assert slots(server, sender)["age"] == 71


def test_a_red_flag_mid_form_is_answered_in_that_turn(server):
    sender = new_sender("mid")
    server.send(sender, "my back hurts")
    server.send(sender, "lower")
    replies = server.send(sender, "first time, and i think i wet myself earlier")
    assert "911" in replies[0]["text"]
    state = slots(server, sender)
    assert state["triage_level"] == "emergency" and state["requested_slot"] is None


def test_a_question_mid_form_is_answered_and_the_form_resumes(server):
    sender = new_sender("int")
    server.send(sender, "my back hurts")
    server.send(sender, "lower")
    replies = server.send(sender, "should i use ice or heat?")
    assert "48-72 hours" in texts(replies)
    assert "first time with back pain" in texts(replies), "the pending question is asked again"
    assert slots(server, sender)["requested_slot"] == "pain_pattern"


def test_urgent_flag_hands_off_then_screens_once(server):
    sender = new_sender("ur")
    replies = server.send(sender, "my lower back hurts and i have had a fever since tuesday")
    assert "CareLine nurse now" in replies[0]["text"]
    assert [r["custom"]["handoff"]["line"] for r in replies if r.get("custom")] == ["careline"]
    assert "One more question" in texts(replies)
    closing = server.send(sender, "none of these")
    assert "612-339-3663" in texts(closing)
    assert slots(server, sender)["triage_level"] == "urgent"


def test_urgent_then_emergency_in_the_screen_upgrades(server):
    sender = new_sender("up")
    server.send(sender, "i fell off a ladder yesterday and my back hurts")
    replies = server.send(sender, "yes my left leg is getting weaker")
    assert "911" in replies[0]["text"]
    assert slots(server, sender)["triage_level"] == "emergency"


@pytest.mark.parametrize("message", [
    "what if i go numb later?", "no fever, no numbness, just sore", "my mom had cancer",
])
def test_traps_do_not_escalate(server, message):
    sender = new_sender("trap")
    replies = server.send(sender, message)
    assert not any(r.get("custom") for r in replies)
    assert slots(server, sender)["triage_level"] in (None, "self_care")
    assert texts(replies).strip()


def test_stop_ends_the_check(server):
    sender = new_sender("stop")
    server.send(sender, "my back hurts")
    replies = server.send(sender, "stop")
    assert "stopped the symptom check" in texts(replies)
    assert slots(server, sender)["requested_slot"] is None


def test_vignettes_meet_the_triage_targets(server):
    summary = vignette_runner.run(server.url, VIGNETTES, server.env["RASA_AUTH_TOKEN"], verbose=True)
    print(vignette_runner.report(summary))
    assert summary["vignettes"] >= 60
    assert summary["emergency_sensitivity"] == 1.0
    assert summary["under_triage"] == 0
    assert summary["exact_accuracy"] >= 0.90
    assert summary["self_care_over_triage_rate"] <= 0.10


def test_a_red_flag_after_a_myth_question_is_answered_at_once(server):
    sender = new_sender("myth")
    server.send(sender, "do i need an mri for my back?")
    replies = server.send(sender, "ok but honestly my groin has gone numb since yesterday")
    assert "911" in replies[0]["text"]
    assert slots(server, sender)["red_flags"] == ["saddle_numbness"]


# An escalation stays in force (issue 13, layer 5).

def cards(replies):
    return [r["custom"]["handoff"] for r in replies if isinstance(r.get("custom"), dict)
            and "handoff" in r["custom"]]


@pytest.mark.parametrize("later", [
    "i dont want to call 911 its probably nothing",
    "hello?",
    "what else can you do",
    "asdfgh",
    "everything down there feels funny since my back went out",  # the net suspects: advice again
])
def test_after_911_hesitant_or_unclear_messages_get_the_advice_again_not_a_menu(server, later):
    sender = new_sender("in-force")
    server.send(sender, "my back hurts and i cant pee since this morning")
    replies = server.send(sender, later)
    assert "911" in replies[0]["text"], texts(replies)
    assert cards(replies) and cards(replies)[0]["level"] == "emergency"
    buttons = [b["title"] for r in replies for b in r.get("buttons", [])]
    assert not {"Home care", "Exercises"} & set(buttons), buttons


def test_after_911_a_question_is_answered_and_ends_with_the_reminder(server):
    sender = new_sender("in-force-q")
    server.send(sender, "my back hurts and i cant pee since this morning")
    replies = server.send(sender, "is ice or heat better for back pain")
    assert len(replies) >= 2 and "Please don't wait: call 911" in replies[-1]["text"]
    assert any("48-72 hours" in r.get("text", "") for r in replies[:-1])


def test_after_someone_elses_emergency_their_advice_stays_in_force(server):
    sender = new_sender("in-force-other")
    server.send(sender, "my husbands back hurts and he cant feel his legs")
    replies = server.send(sender, "he says hes fine and doesnt want to go")
    assert "for them" in replies[0]["text"] and cards(replies)[0]["for_someone_else"] is True
