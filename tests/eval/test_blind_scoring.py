"""Scoring of the labelled sets from small fake inputs (no server, no model)."""
import pytest

from bot.eval import first_replies, intent_scoring
from bot.eval.first_replies import FirstReply, read_reply


def card(level):
    return {"custom": {"handoff": {"level": level, "phones": ["911"]}}}


def test_the_first_reply_is_read_from_the_call_card_and_the_slots():
    safety_net_only = [{"text": "In an emergency, call 911."}]
    assert read_reply(safety_net_only, {}) == FirstReply(None, False)
    assert read_reply([{"text": "Where is the pain?"}], {"requested_slot": "pain_location"}) == \
        FirstReply(None, True)
    assert read_reply([{"text": "Call 911 now."}, card("emergency")], {}).level == "emergency"
    assert read_reply([], {"triage_level": "urgent"}) == FirstReply("urgent", True)
    # A routine level is not an escalation.
    assert read_reply([], {"triage_level": "routine"}).level is None
    # The higher of the card and the slot counts.
    assert read_reply([card("urgent")], {"triage_level": "emergency"}).level == "emergency"


CASES = [
    {"id": "e1", "subject": "self", "status": "present", "expect": "emergency", "own_pain": True},
    {"id": "e2", "subject": "self", "status": "present", "expect": "emergency", "own_pain": True},
    {"id": "o1", "subject": "other", "status": "present", "expect": "emergency"},
    {"id": "u1", "subject": "self", "status": "present", "expect": "urgent", "own_pain": True},
    {"id": "n1", "subject": "self", "status": "negated", "expect": "no_escalation", "own_pain": True},
    {"id": "n2", "subject": "self", "status": "none", "expect": "no_escalation", "own_pain": False},
]
GIVEN = [FirstReply("emergency", True), FirstReply("urgent", True), FirstReply(None, False),
         FirstReply("emergency", True), FirstReply("urgent", True), FirstReply(None, False)]


def test_first_reply_figures_count_each_target_and_name_the_misses():
    figures = {f["name"]: f for f in first_replies.score(CASES, GIVEN)["figures"]}
    own = figures["own emergency told 911 in the first reply"]
    assert (own["hits"], own["total"], own["misses"]) == (1, 2, ["e2"])
    other = figures["someone else's emergency told 911 in the first reply"]
    assert (other["hits"], other["total"], other["misses"]) == (0, 1, ["o1"])
    assert figures["urgent escalated (CareLine or 911)"]["rate"] == 1.0
    under = figures["not under-triaged (escalations at their level or higher)"]
    assert under["misses"] == ["e2", "o1"]
    assert figures["no escalation where none is due"]["misses"] == ["n1"]
    # n1 escalated, so it is not an "own pain without a red flag" success either.
    assert figures["own pain without a red flag enters the symptom check"]["total"] == 1


def test_intent_scoring_separates_confident_wrong_answers_from_fallbacks():
    expected = ["greet", "greet", "thanks", "thanks"]
    predicted = ["greet", "nlu_fallback", "greet", "thanks"]
    figures = intent_scoring.score(expected, predicted)
    assert figures["accuracy"] == 0.5
    assert figures["confident_wrong_rate"] == 0.25 and figures["fallback_rate"] == 0.25
    f1 = {i["intent"]: i["f1"] for i in figures["per_intent"]}
    assert f1["greet"] == pytest.approx(0.5) and f1["thanks"] == pytest.approx(2 / 3)
    assert figures["top_confusions"] == [{"expected": "thanks", "predicted": "greet", "count": 1}]
