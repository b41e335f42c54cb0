"""An escalation stays in force (issue 13, layer 5): bot/core/escalation.py."""
import pytest

from bot.core import escalation
from bot.core.triage_replies import handoff_payload
from bot.core.disposition import Disposition

EMERGENCY_CARD = handoff_payload(Disposition("emergency", ("Can't pee (possible cauda equina)",)),
                                 "911", ["911", "612-339-3663"])["handoff"]
URGENT_CARD = handoff_payload(Disposition("urgent", ("Fever with back pain",)),
                              "careline", ["612-339-3663"])["handoff"]
ANSWER = [{"response": "utter_medicines"}]


@pytest.mark.parametrize("text", [
    "i dont want to call 911 its probably nothing",
    "I'll wait and see how I feel tomorrow",
    "no ride and too expensive",
    "im fine now honestly",
    "do i really have to go?",
    # for the person they wrote about
    "he says hes fine and doesnt want to go",
    "she doesn't want to bother anyone",
    "my dad refuses to go to the ER",
    "they're ok now, she feels better",
])
def test_hesitation_is_recognised(text):
    assert escalation.hesitant(text)


@pytest.mark.parametrize("text", ["can i take ibuprofen for it", "what stretches help", "",
                                  "does heat help him"])
def test_a_plain_question_is_not_hesitation(text):
    assert not escalation.hesitant(text)


def test_a_message_that_is_not_a_question_gets_the_advice_again_with_the_call_card():
    messages = escalation.reply("ok", EMERGENCY_CARD, answer=[])
    first = messages[0]
    assert "call 911" in first["text"].lower() and "can't pee" in first["text"].lower()
    assert first["json_message"] == {"handoff": EMERGENCY_CARD}
    assert not any("response" in m for m in messages)  # no topic menu, no answer


def test_a_question_gets_its_answer_then_the_reminder():
    messages = escalation.reply("can i take ibuprofen", URGENT_CARD, answer=ANSWER)
    assert messages[0] == ANSWER[0]
    assert "CareLine" in messages[-1]["text"] and "don't wait" in messages[-1]["text"]


def test_hesitation_with_a_question_gets_the_advice_first_then_the_answer():
    messages = escalation.reply("its probably nothing, can i take ibuprofen?", EMERGENCY_CARD, ANSWER)
    assert "json_message" in messages[0] and messages[-1] == ANSWER[0]


def test_someone_elses_emergency_is_repeated_for_them():
    card = dict(EMERGENCY_CARD, for_someone_else=True)
    text = escalation.reply("he says he is fine", card, answer=[])[0]["text"]
    assert "for them" in text and "They should not drive" in text
    assert "for them" in escalation.reminder(card)[0]["text"]


def test_the_last_call_card_is_the_one_in_force():
    payloads = [None, {"handoff": URGENT_CARD}, {"buttons": []}, {"handoff": EMERGENCY_CARD}, None]
    assert escalation.last_handoff(payloads) == EMERGENCY_CARD
    assert escalation.last_handoff([None, {"x": 1}]) is None
