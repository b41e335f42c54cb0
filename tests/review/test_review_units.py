"""Pure pieces of the review workspace: identifier masking, reading Rasa's
events, and the `bot` commands for logins, schema and retention."""
import io
import json

import pytest

from bot import cli
from bot.devtools import synthetic as syn
from bot.review import plan_time
from bot.review.masking import mask_identifiers, mask_sender
from bot.review.transcripts import EventRow, summarize, transcript
from bot.store import migrate


@pytest.mark.parametrize("text, shown", [
    ("call me at 612-555-0134 please", "call me at ••••••0134 please"),
    ("(612) 555 0134", "••••••0134"),
    ("+1 612 555 0134", "•••••••0134"),
    ("member id 123456789", "member id •••••6789"),
    ("born 01/02/1960", "born ••••1960"),
    ("write to jo.smith@example.com", "write to j•••@•••.com"),
])
def test_identifiers_are_masked_to_their_last_4_digits(text, shown):
    assert mask_identifiers(text) == shown


@pytest.mark.parametrize("text", [
    "pain 7/10 for 10 days", "since 2021", "i am 72", "it was 3 or 4 days ago", "ice 15-20 min",
])
def test_symptom_numbers_are_left_alone(text):
    assert mask_identifiers(text) == text


def test_sender_ids_show_only_their_end():
    assert mask_sender("+16125550134") == "…0134" and mask_sender("abc") == "…"


def rows(events):
    return [EventRow(i, e["event"], e["timestamp"], json.dumps(e)) for i, e in enumerate(events, 1)]


def test_transcript_turns_from_rasa_events():
    events = [
        syn.user(1.0, "no fever but i wet myself", "report_red_flag", 1.0, "socketio", [
            syn.red_flag_entity("fever", "urgent", "fever", affirmed=False, negated=True),
            syn.red_flag_entity("bladder_bowel_loss", "emergency", "wet myself")]),
        syn.action(1.1, "action_handle_red_flag"),
        syn.slot(1.1, "triage_level", "emergency"),
        syn.slot(1.1, "requested_slot", None),
        syn.bot(1.2, "Call 911 now.", {"level": "emergency", "phones": ["911"]}),
        syn.action(1.3, "action_default_fallback"),
    ]
    turns = transcript(rows(events))
    assert [t.speaker for t in turns] == ["user", "system", "bot", "system"]
    user = turns[0]
    assert (user.channel, user.intent) == ("web", "report_red_flag")
    assert [(m.code, m.affirmed, m.why_not, m.text) for m in user.red_flags] == [
        ("fever", False, "negated", "fever"), ("bladder_bowel_loss", True, "", "wet myself")]
    assert (turns[1].slot, turns[1].value) == ("triage_level", "emergency")
    assert turns[2].handoff["level"] == "emergency"
    summary = summarize(rows(events))
    assert summary.triage_level == "emergency" and summary.level_rank == 4
    assert summary.red_flag_codes == ["bladder_bowel_loss"] and summary.fallback


def test_only_the_fallback_reply_marks_a_fallback_not_an_unsure_answer_the_check_took():
    took_it = [syn.user(1.0, "about a 6", "nlu_fallback", 0.40), syn.slot(1.1, "pain_severity", 6)]
    assert not summarize(rows(took_it)).fallback
    gave_up = [syn.user(1.0, "zxcv", "nlu_fallback", 0.20), syn.action(1.1, "utter_default")]
    assert summarize(rows(gave_up)).fallback


def test_an_sms_menu_number_shows_what_was_typed_and_what_it_meant():
    typed = syn.user(1.0, "/start_symptom_check", "start_symptom_check", 1.0, "sms")
    typed["metadata"] = {"sms_choice": {"typed": "1", "meant": "Check my symptoms"}}
    (turn,) = transcript(rows([typed]))
    assert turn.text == "1 -> Check my symptoms" and turn.intent == "start_symptom_check"


def test_unreadable_event_data_does_not_break_a_transcript():
    broken = [EventRow(1, "user", 1.0, "{not json"), EventRow(2, "bot", None, "")]
    assert [t.speaker for t in transcript(broken)] == ["user", "bot"]


def test_handoff_levels_count_even_without_a_slot():
    assert summarize(rows([syn.user(1.0, "hi", "greet", 0.9)]), ["urgent"]).triage_level == "urgent"


def test_cli_nurses_db_and_purge(db_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert cli.main(["nurses", "add", "ann", "--role", "supervisor", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert cli.main(["nurses", "add", "ann", "--role", "nurse", "--password-stdin"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert cli.main(["nurses", "list"]) == 0
    assert "ann\tsupervisor" in capsys.readouterr().out
    assert cli.main(["db", "current"]) == 0
    head = migrate.head_revision()
    assert f"revision {head} (newest {head})" in capsys.readouterr().out
    assert cli.main(["transcripts", "purge", "--older-than", "30", "--dry-run"]) == 0
    assert "Would delete 0 conversations" in capsys.readouterr().out


# The nurses' net (issue 13, layer 7).

@pytest.mark.parametrize("text", ["my legs feel strange since yesterday", "burning down there when i pee",
                                  "it feels weird when i wipe", "cant feel my feet"])
def test_a_symptom_word_near_a_body_site_is_a_possible_red_flag(text):
    from bot.core.possible_red_flag import possible_red_flag
    assert possible_red_flag(text)


@pytest.mark.parametrize("text", ["my back hurts", "ice or heat?", "what stretches help my lower back",
                                  "my leg day at the gym went great"])
def test_ordinary_messages_are_not(text):
    from bot.core.possible_red_flag import possible_red_flag
    assert not possible_red_flag(text)


def test_a_possible_red_flag_that_nothing_escalated_is_marked():
    quiet = summarize(rows([syn.user(1.0, "my legs feel strange", "describe_pain", 0.8),
                            syn.slot(1.1, "triage_level", "self_care")]))
    assert quiet.possible_red_flag
    asked = summarize(rows([syn.user(1.0, "what if i go numb", "when_to_get_care", 0.9, "rest", [
        syn.red_flag_entity("saddle_numbness", "emergency", "numb", affirmed=False)])]))
    assert asked.possible_red_flag
    escalated = summarize(rows([syn.user(1.0, "my legs feel strange", "describe_pain", 0.8)]), ["urgent"])
    assert not escalated.possible_red_flag  # a nurse already has it
    assert not summarize(rows([syn.user(1.0, "ice or heat?", "ice_or_heat", 0.9)])).possible_red_flag


def test_times_are_shown_in_the_plans_time_zone_with_the_zone_named():
    from datetime import date, datetime
    assert plan_time.shown(datetime(2026, 11, 20, 18, 30)) == "2026-11-20 12:30 CST"
    assert plan_time.shown(datetime(2026, 7, 1, 3, 5), "%H:%M") == "22:05 CDT"  # the day before, summer time
    assert plan_time.shown(None) == ""
    assert plan_time.start_of_day_utc(date(2026, 11, 20)) == datetime(2026, 11, 20, 6, 0)
