"""A report of one's own pain now (issue 13, layer 4): bot/nlu/own_pain.py and
the router that sends it to the symptom check."""
import pytest

from bot.nlu.own_pain import own_current_pain
from bot.nlu.own_pain_router import route


@pytest.mark.parametrize("text", [
    "pain shooting down my leg, is it sciatica?",
    "my lower back is killing me, should i use ice or heat",
    "i threw my back out lifting boxes, can i take ibuprofen",
    "back pain since monday, what helps",
    "ugh my back. what stretches are safe",
    "i have had a backache for 4 months on and off",
    "me duele la espalda, que hago",
    "why does my back hurt so much",
    "my back has been on and off for 4 months",
    # from development batch 2026-11-29g
    "overdid it at the gym, lower back's been sore since tuesday",
    "bak sor. no fevor. legs ok",
    "I was moving a chest of drawers and my back went. It is sore but I am managing.",
    "Left-sided sciatica x 2 weeks, strength intact",
    "back sore from the gym, just wanna know what stretches",
    "Could back pain ever cause chest pain? I don't have any, I'm just anxious and my lower back is sore.",
    # wordings like development batch 2026-11-29h's, written afresh
    "ugh this back pain is killin me, did it at work monday",
    "my lower back has been grumpy ever since the move",
    "Mild lumbar strain after gardening, 4/10, nothing else.",
    "my uncle had a bad back for years, i just tweaked mine shoveling",
    "On methotrexate for RA, now some mild low back pain.",
    "no fever or anything, just my low back from lifting",
    "I currently have lower back pain but my legs are strong.",
    # and like development batch 2026-11-29i's
    "la espalda me duele desde el lunes, que hago",
    "Lumbar pain radiating to the left buttock, 3 days, no weakness.",
    "some low back stiffness this week after painting",
    "slept funny and now my back is mad at me",
    "back been achin on n off for weeks, what helps",
])
def test_own_current_pain_is_read_beside_a_question(text):
    assert own_current_pain(text)


@pytest.mark.parametrize("text", [
    "what causes back pain",
    "is ice or heat better for back pain",
    "what should i do if my back hurts at work",   # a question about later
    "how do i keep my back from hurting when i lift",
    "my back doesn't hurt anymore, thanks",
    "i used to have back pain years ago",
    "my husband's back is killing him",            # someone else's pain: the check is the writer's
    "my back is fine now",
    "my coworker is clutching her chest and says her upper back is killing her, what do I do",
    "my son got in a car crash yesterday his back hurts",
    "my roommate wants to know if the plan covers massage therapy for back pain",
    "",
])
def test_questions_and_other_peoples_or_old_pain_are_not_own_current_pain(text):
    assert not own_current_pain(text)


def test_own_pain_with_a_question_becomes_the_check_and_keeps_the_question():
    assert route("ice_or_heat", "my back hurts, ice or heat?") == ("describe_pain", "ice_or_heat")
    assert route("greet", "hi my back hurts") == ("describe_pain", None)
    assert route("nlu_fallback", "bak hurts rn") == ("describe_pain", None)
    # the classifier's own guess of a red flag: the red-flag extractor decides that next
    assert route("report_red_flag", "my back hurts and i pee a lot") == ("describe_pain", None)


@pytest.mark.parametrize("intent", ["talk_to_person", "ask_benefits", "stop", "goodbye"])
def test_explicit_requests_are_left_alone(intent):
    assert route(intent, "my back hurts so much") == (None, None)


def test_no_own_pain_no_change():
    assert route("ice_or_heat", "is ice or heat better?") == (None, None)
