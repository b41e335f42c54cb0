"""The warm handoff in the review workspace: a CareLine nurse types the code a
person was given and sees where the assistant stopped (SBAR), every lookup is
audited, a wrong code reveals nothing, lookups are limited, codes expire."""
import json
import re
from datetime import datetime, timedelta

import pytest

from bot.devtools import synthetic as syn
from bot.review import accounts, warm_handoff
from bot.review.app import create_app
from bot.review.handoff_summary import age_band, build, duration_words
from bot.review.transcripts import EventRow, transcript
from bot.store.db import session_scope
from bot.store.handoffs import record_handoff
from bot.store.models import AuditEntry, Handoff
from tests.review.conversations import add
from tests.review.test_review_app import PASSWORD, csrf, login

CODE = "K7Q4MP"
SENDER = "+16125550123"
NOW = datetime.utcnow()
T = NOW.timestamp() - 600  # ten minutes ago


def escalated_check(ts, code=CODE):
    """A symptom check that ended in an emergency, then one more message."""
    card = {"level": "emergency", "line": "911", "phones": ["911", "612-339-3663"],
            "reasons": ["Loss of bladder or bowel control"], "code": code[:3] + "-" + code[3:]}
    return [
        syn.user(ts, "my lower back hurts, call me at 612-555-0134", "describe_pain", 0.9, "sms"),
        syn.slot(ts + 1, "pain_location", "lower back"), syn.slot(ts + 1, "leg_spread", "one"),
        syn.user(ts + 10, "about 3 weeks", "inform", 0.8, "sms"),
        syn.slot(ts + 11, "pain_duration", 21.0),
        syn.user(ts + 20, "62", "inform", 0.9, "sms"), syn.slot(ts + 21, "age", 62.0),
        syn.user(ts + 30, "and i peed myself this morning", "report_red_flag", 1.0, "sms",
                 [syn.red_flag_entity("bladder_bowel_loss", "emergency", "peed myself")]),
        syn.slot(ts + 31, "triage_level", "emergency"),
        syn.bot(ts + 31, "This could be serious. Call 911 now.", card),
        syn.user(ts + 60, "ok", "affirm", 0.9, "sms"),
    ]


def rows(events):
    return [EventRow(i, e["event"], e["timestamp"], json.dumps(e))
            for i, e in enumerate(events, 1)]


def test_the_summary_holds_what_was_known_when_the_card_was_given():
    turns = transcript(rows(escalated_check(T)))
    summary = build(CODE, "emergency", ["bladder_bowel_loss"], ["Loss of bladder or bowel control"],
                    "sms", NOW, turns)
    assert summary.code == "K7Q-4MP" and summary.advice.startswith("Call 911 now")
    assert [text for _, text in summary.own_words] == [
        "my lower back hurts, call me at 612-555-0134", "about 3 weeks", "62",
        "and i peed myself this morning"]
    assert [(f.code, f.words) for f in summary.red_flags] == [("bladder_bowel_loss", "peed myself")]
    assert summary.red_flags[0].plain == "Loss of bladder or bowel control"
    assert dict(summary.answers) == {"Where": "lower back", "Spreads to the legs": "one leg",
                                     "How long": "about 3 weeks", "Age band": "50-69"}
    assert summary.messages_after == 1 and not summary.for_someone_else


def test_answer_wording():
    assert [age_band(a) for a in (15, 18, 49, 50, 69, 70, "x", None)] == [
        "under 18", "18-49", "18-49", "50-69", "50-69", "70 or older", None, None]
    assert [duration_words(d) for d in (0.5, 1, 3, 21, 90)] == [
        "less than a day", "1 day", "3 days", "about 3 weeks", "about 3 months"]


def test_a_flag_raised_by_an_answer_is_listed_without_words_and_someone_else_is_marked():
    summary = build(CODE, "urgent", ["fever"], ["For someone else: Fever"], "widget", NOW, [])
    assert [(f.code, f.words) for f in summary.red_flags] == [("fever", "")]
    assert summary.for_someone_else and summary.advice == "Talk to a CareLine nurse for them today."


@pytest.fixture
def app(db_url):
    with session_scope(db_url) as session:
        accounts.add_nurse(session, "ann", "nurse", PASSWORD)
        accounts.add_nurse(session, "bob", "nurse", PASSWORD)
    add(db_url, SENDER, escalated_check(T))
    record_handoff(SENDER, "emergency", ["bladder_bowel_loss"], ["Loss of bladder or bowel control"],
                   "sms", db_url, reference_code=CODE)
    application = create_app(db_url, secret_key="test-only")
    application.config["DB"] = db_url
    return application


def look_up(client, code):
    return client.post("/handoff", data={"code": code, "csrf_token": csrf(client.get("/handoff").text)})


def audit_entries(app):
    with session_scope(app.config["DB"]) as session:
        return [(e.actor, e.action, e.sender_id, e.detail) for e in session.query(AuditEntry)
                if e.action.startswith("handoff_lookup")]


def test_a_nurse_types_the_code_and_sees_the_sbar_summary(app):
    client = app.test_client()
    assert client.get("/handoff").status_code == 302  # not without signing in
    login(client)
    page = look_up(client, "k7q 4mp").text  # as it may be typed
    for words in ("Code K7Q-4MP", "Situation", "Call 911 now", "Background: their own words",
                  "and i peed myself this morning", "Loss of bladder or bowel control",
                  "“peed myself”", "lower back", "about 3 weeks", "50-69", "Recommendation given",
                  "They wrote 1 more message after this.", "CST"):
        assert words in page, words
    assert "call me at" in page and "612-555-0134" not in page, "nurses see identifiers masked"
    link = re.search(r'href="(/conversations/\d+)" id="whole-conversation"', page).group(1)
    assert "peed myself" in client.get(link).text
    assert audit_entries(app)[0] == ("ann", "handoff_lookup", SENDER, "reference code K7Q-4MP")


def test_a_wrong_malformed_or_expired_code_reveals_nothing(app):
    client = app.test_client()
    login(client)
    answers = {code: look_up(client, code) for code in ("K7Q4MX", "hello <b>", "")}
    with session_scope(app.config["DB"]) as session:  # the handoff is now past the retention window
        session.query(Handoff).update({Handoff.created_at: NOW - timedelta(days=91)})
    answers["expired"] = look_up(client, CODE)
    for code, response in answers.items():
        assert response.status_code == 200, code
        assert "No escalation matches that code." in response.text, code
        assert "peed myself" not in response.text and "Situation" not in response.text, code
    assert audit_entries(app) == [("ann", "handoff_lookup_miss", None, "no escalation matched")] * 4


def test_lookups_are_limited_per_login(app):
    client = app.test_client()
    login(client)
    for _ in range(warm_handoff.MAX_MISSES):
        assert look_up(client, "AAAAAA").status_code == 200
    refused = look_up(client, CODE)  # even the right code, until the window has passed
    assert refused.status_code == 429 and "Too many lookups" in refused.text
    assert "peed myself" not in refused.text
    other = app.test_client()  # another nurse is not held up
    login(other, "bob")
    assert "peed myself" in look_up(other, CODE).text


def test_the_lookup_needs_a_csrf_token(app):
    client = app.test_client()
    login(client)
    assert client.post("/handoff", data={"code": CODE}).status_code == 400
    assert audit_entries(app) == []
