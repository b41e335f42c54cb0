"""The learned suspicion net end to end (issue 13, layer 3): a message the
rules do not confirm, but the net suspects, gets one yes/no question; yes
escalates, no goes on."""
import uuid

from tests.conftest import texts

VAGUE = "everything down there feels funny since my back went out"


def new_sender(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_the_net_marks_what_the_rules_did_not_confirm(nlu_parser):
    (parsed,) = nlu_parser([VAGUE])
    assert parsed["intent"]["name"] == "report_red_flag"
    assert [e["value"] for e in parsed["entities"] if e["entity"] == "suspected"] == ["cauda_equina"]
    (plain,) = nlu_parser(["is ice or heat better for back pain"])
    assert not [e for e in plain["entities"] if e["entity"] == "suspected"]


def test_a_suspicion_gets_a_yes_no_question_and_yes_gets_911(server):
    sender = new_sender("net-yes")
    asked = server.send(sender, VAGUE)
    assert "numbness between your legs" in texts(asked) and [b["title"] for b in asked[0]["buttons"]] == ["Yes", "No"]
    replies = server.send(sender, "yes")
    cards = [r["custom"]["handoff"] for r in replies if isinstance(r.get("custom"), dict)]
    assert cards and cards[0]["level"] == "emergency" and "911" in replies[0]["text"]


def test_no_goes_on_to_the_symptom_check(server):
    sender = new_sender("net-no")
    server.send(sender, VAGUE)
    replies = server.send(sender, "no")
    assert "If that changes" in texts(replies) and "Where is the pain" in texts(replies)
    assert server.tracker(sender)["slots"]["requested_slot"] == "pain_location"
