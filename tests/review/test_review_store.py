"""The workspace's own logic on the stored conversations: indexer, queue,
nurse actions, accounts and retention, each on SQLite and on the machine's
PostgreSQL."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from bot.devtools import synthetic as syn
from bot.review import accounts, audit, indexer, nurse_actions, queue, retention
from bot.review.queue import QueueFilter
from bot.store.db import session_scope
from bot.store.models import (AuditEntry, ConversationSummary, Correction, LoginSession, Note,
                              Nurse, Review, Tag, utcnow)
from tests.review.conversations import NOW, T0, add, convo


def synced(url):
    with session_scope(url) as session:
        return indexer.sync(session)


def queue_senders(url, **filters):
    with session_scope(url) as session:
        rows, total = queue.query(session, QueueFilter(**filters))
        assert total == len(rows)
        return [r.sender_id for r in rows]


# --- indexer and queue --------------------------------------------------------

def test_the_indexer_summarises_an_escalation(db_url):
    add(db_url, "esc", convo(T0, "emergency", "bladder_bowel_loss", channel="sms",
                             confidence=0.42, negated="fever"))
    assert synced(db_url) == 1
    with session_scope(db_url) as session:
        s = session.execute(sa.select(ConversationSummary)).scalar_one()
        assert (s.triage_level, s.level_rank, s.channel) == ("emergency", 4, "sms")
        assert s.red_flag_codes == "bladder_bowel_loss"  # the negated fever is not a red flag
        assert s.user_turns == 3 and s.min_confidence == pytest.approx(0.42)
    assert synced(db_url) == 0  # nothing new


def test_the_indexer_picks_up_new_turns_of_a_known_conversation(db_url):
    add(db_url, "c1", convo(T0))
    synced(db_url)
    add(db_url, "c1", convo(T0 + 60, "urgent", "fever"))
    synced(db_url)
    assert queue_senders(db_url, level="urgent") == ["c1"]


def test_queue_order_unreviewed_then_level_then_newest(db_url):
    add(db_url, "self-care", convo(T0 + 50))
    add(db_url, "urgent-old", convo(T0, "urgent", "fever"))
    add(db_url, "urgent-new", convo(T0 + 10, "urgent", "fever"))
    add(db_url, "emergency-reviewed", convo(T0, "emergency", "saddle_numbness"))
    add(db_url, "emergency", convo(T0, "emergency", "bladder_bowel_loss"))
    synced(db_url)
    with session_scope(db_url) as session:
        nurse_actions.set_reviewed(session, "emergency-reviewed", "ann", True)
    assert queue_senders(db_url) == ["emergency", "urgent-new", "urgent-old", "self-care",
                                     "emergency-reviewed"]


def test_possible_red_flags_sort_with_the_urgent_ones_and_have_a_filter(db_url):
    add(db_url, "self-care", convo(T0 + 50))
    add(db_url, "urgent", convo(T0, "urgent", "fever"))
    add(db_url, "possible", convo(T0 + 20, text="my legs feel strange", intent="describe_pain"))
    add(db_url, "emergency", convo(T0, "emergency", "bladder_bowel_loss"))
    synced(db_url)
    assert queue_senders(db_url) == ["emergency", "possible", "urgent", "self-care"]
    assert queue_senders(db_url, possible=True) == ["possible"]


@pytest.mark.parametrize("filters, expected", [
    ({"channel": "sms"}, ["sms"]),
    ({"level": "emergency"}, ["emergency"]),
    ({"level": "none"}, ["sms", "low", "fallback"]),
    ({"red_flag": "bladder_bowel_loss"}, ["emergency"]),
    ({"intent": "report_red_flag"}, ["emergency"]),
    ({"low_confidence": True}, ["low", "fallback"]),
    ({"fallback": True}, ["fallback"]),
    ({"status": "reviewed"}, ["sms"]),
    ({"search": "100% sure"}, ["fallback"]),
    ({"search": "ICE OR"}, ["sms", "low", "emergency"]),
    ({"date_from": (NOW + timedelta(days=1)).date()}, []),
    ({"date_to": (NOW - timedelta(days=1)).date()}, []),
])
def test_queue_filters(db_url, filters, expected):
    add(db_url, "sms", convo(T0 + 30, channel="sms"))
    add(db_url, "low", convo(T0 + 20, confidence=0.3))
    add(db_url, "fallback", convo(T0 + 10, text="i am 100% sure_of it", intent="nlu_fallback",
                                  confidence=0.2) + [syn.action(T0 + 12, "action_default_fallback")])
    add(db_url, "emergency", convo(T0, "emergency", "bladder_bowel_loss"))
    synced(db_url)
    with session_scope(db_url) as session:
        nurse_actions.set_reviewed(session, "sms", "ann", True)
    order = ["emergency", "low", "fallback", "sms"]
    assert queue_senders(db_url, **filters) == [s for s in order if s in expected]


@pytest.mark.parametrize("hostile", [
    "' OR 1=1 --", "%", "_", "\\", "\"; DROP TABLE events; --", "<script>x</script>", "%' OR '1'='1",
])
def test_hostile_search_text_is_matched_literally(db_url, hostile):
    add(db_url, "plain", convo(T0, text="my back hurts"))
    add(db_url, "literal", convo(T0, text=f"i typed {hostile} here"))
    synced(db_url)
    assert queue_senders(db_url, search=hostile) == ["literal"]
    engine = sa.create_engine(db_url)
    assert "events" in sa.inspect(engine).get_table_names()
    engine.dispose()


def test_filters_from_the_query_string_keep_only_known_values():
    f = QueueFilter.parse({"channel": "sms' OR 1=1", "level": "emergency", "red_flag": "x",
                           "intent": "greet", "from": "2026-13-45", "to": "2026-11-01",
                           "page": "-3", "low_confidence": "1", "q": "a" * 500},
                          red_flag_codes=("fever",), intents=("greet",))
    assert (f.channel, f.level, f.red_flag, f.intent) == ("", "emergency", "", "greet")
    assert f.date_from is None and f.date_to.isoformat() == "2026-11-01"
    assert f.page == 1 and f.low_confidence and len(f.search) == queue.MAX_SEARCH


def test_paging(db_url):
    engine = sa.create_engine(db_url)
    with engine.begin() as connection:
        syn.fill(connection, queue.PAGE_SIZE + 5, events_each=4)
    engine.dispose()
    synced(db_url)
    with session_scope(db_url) as session:
        first, total = queue.query(session, QueueFilter(page=1))
        second, _ = queue.query(session, QueueFilter(page=2))
    assert total == queue.PAGE_SIZE + 5
    assert len(first) == queue.PAGE_SIZE and len(second) == 5
    assert not {r.sender_id for r in first} & {r.sender_id for r in second}


# --- nurse actions --------------------------------------------------------------

def test_review_actions_are_stored_and_audited(db_url):
    add(db_url, "c1", convo(T0, "urgent", "fever"))
    synced(db_url)
    with session_scope(db_url) as session:
        summary = session.execute(sa.select(ConversationSummary)).scalar_one()
        conversation = nurse_actions.load(session, summary, "ann")
        user_turn = next(t for t in conversation.turns if t.speaker == "user")
        nurse_actions.set_reviewed(session, "c1", "ann", True)
        nurse_actions.add_note(session, "c1", "ann", "Called back, went to urgent care.")
        nurse_actions.set_tag(session, "c1", "ann", "correct", True)
        assert nurse_actions.correct_intent(session, "c1", "ann", user_turn.event_id, "myth_bed_rest")
        # A bot message, or another conversation's event, cannot be "corrected".
        bot_turn = next(t for t in conversation.turns if t.speaker == "bot")
        assert not nurse_actions.correct_intent(session, "c1", "ann", bot_turn.event_id, "greet")
        assert not nurse_actions.correct_intent(session, "other", "ann", user_turn.event_id, "greet")
        with pytest.raises(ValueError):
            nurse_actions.set_tag(session, "c1", "ann", "made-up tag", True)
    with session_scope(db_url) as session:
        assert session.get(Review, "c1").reviewed_by == "ann"
        assert session.execute(sa.select(Note.text)).scalar() == "Called back, went to urgent care."
        assert session.execute(sa.select(Tag.tag)).scalar() == "correct"
        fix = session.execute(sa.select(Correction)).scalar_one()
        assert (fix.text, fix.predicted_intent, fix.correct_intent) == (
            "ice or heat?", "ice_or_heat", "myth_bed_rest")
        actions = [e.action for e in audit.recent(session)]
    assert actions == ["correction", "tag", "note", "reviewed", "view"]


def test_corrections_export_is_rasa_training_data(tmp_path):
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    text = nurse_actions.corrections_yaml([("myth_bed_rest", "should i  stay in bed"),
                                    ("myth_bed_rest", "should i stay in bed"),
                                    ("greet", "hello: there # not a comment")])
    data = RasaYAMLReader().reads(text)
    examples = {(m.get("intent"), m.get("text")) for m in data.training_examples}
    assert examples == {("myth_bed_rest", "should i stay in bed"),
                        ("greet", "hello: there # not a comment")}


# --- accounts ---------------------------------------------------------------------

def test_nurse_accounts_use_argon2id_and_reject_bad_input(db_url):
    with session_scope(db_url) as session:
        nurse = accounts.add_nurse(session, "ann", "nurse", "correct horse battery")
        assert nurse.password_hash.startswith("$argon2id$")
        assert "correct horse" not in nurse.password_hash
        for name, role, password in [("ann", "nurse", "another long password"),
                                     ("x", "nurse", "long enough password"),
                                     ("bob smith", "nurse", "long enough password"),
                                     ("bob", "admin", "long enough password"),
                                     ("bob", "nurse", "short")]:
            with pytest.raises(accounts.AccountError):
                accounts.add_nurse(session, name, role, password)


def test_login_lockout_after_repeated_failures(db_url):
    with session_scope(db_url) as session:
        accounts.add_nurse(session, "ann", "nurse", "correct horse battery")
    for _ in range(accounts.MAX_FAILED_LOGINS):
        with session_scope(db_url) as session:
            assert accounts.authenticate(session, "ann", "wrong password", NOW).nurse is None
    with session_scope(db_url) as session:  # even the right password is refused now
        result = accounts.authenticate(session, "ann", "correct horse battery", NOW)
        assert result.nurse is None and "Too many" in result.message
    with session_scope(db_url) as session:
        later = NOW + accounts.LOCKOUT + timedelta(seconds=1)
        assert accounts.authenticate(session, "ann", "correct horse battery", later).nurse
    with session_scope(db_url) as session:
        assert accounts.authenticate(session, "nobody", "whatever password").nurse is None


def test_login_sessions_end_on_logout_and_after_15_idle_minutes(db_url):
    with session_scope(db_url) as session:
        nurse = accounts.add_nurse(session, "ann", "nurse", "correct horse battery")
        active, idle = accounts.open_session(session, nurse), accounts.open_session(session, nurse)
    start = utcnow()
    with session_scope(db_url) as session:
        assert accounts.nurse_for_token(session, active, start + timedelta(minutes=14)).name == "ann"
        assert accounts.nurse_for_token(session, idle, start + timedelta(minutes=16)) is None
        stored = session.execute(sa.select(LoginSession.token_hash)).scalars().all()
        assert active not in stored  # only hashes are kept
        accounts.close_session(session, active)
    with session_scope(db_url) as session:
        assert accounts.nurse_for_token(session, active) is None
        assert session.execute(sa.select(sa.func.count()).select_from(LoginSession)).scalar() == 0
        assert session.execute(sa.select(Nurse.name)).scalar() == "ann"


# --- retention ----------------------------------------------------------------------

def test_purge_deletes_old_conversations_and_records_it(db_url):
    old = T0 - 40 * 86400
    add(db_url, "old", convo(old, "urgent", "fever"))
    add(db_url, "recent", convo(T0))
    synced(db_url)
    with session_scope(db_url) as session:
        nurse_actions.add_note(session, "old", "ann", "note on an old conversation")
        preview = retention.purge(session, 30, now=NOW, dry_run=True)
    assert (preview.conversations, preview.events) == (1, len(convo(old, "urgent", "fever")))
    with session_scope(db_url) as session:
        result = retention.purge(session, 30, now=NOW)
    assert result.conversations == 1
    engine = sa.create_engine(db_url)
    with engine.connect() as connection:
        senders = {r[0] for r in connection.execute(sa.text("SELECT DISTINCT sender_id FROM events"))}
        notes = connection.execute(sa.text("SELECT COUNT(*) FROM notes")).scalar()
    engine.dispose()
    assert senders == {"recent"} and notes == 0
    assert queue_senders(db_url) == ["recent"]
    with session_scope(db_url) as session:
        entries = session.execute(sa.select(AuditEntry).where(AuditEntry.action == "purge")).scalars().all()
        assert len(entries) == 1 and entries[0].detail.startswith("1 conversations")
        assert session.execute(sa.select(sa.func.count()).select_from(AuditEntry)
                               .where(AuditEntry.sender_id == "old")).scalar() == 1  # the note's


def test_purge_refuses_zero_days(db_url):
    with session_scope(db_url) as session, pytest.raises(ValueError):
        retention.purge(session, 0)


@pytest.mark.parametrize("query", ["6125550199", "612-555-0199", "jo.doe@example.org", "doe@example"])
def test_a_search_cannot_confirm_a_masked_phone_number_or_email(db_url, query):
    add(db_url, "contact", convo(T0, text="call me at 612-555-0199 or jo.doe@example.org"))
    synced(db_url)
    assert queue_senders(db_url, search=query) == []
    assert queue_senders(db_url, search="0199") == ["contact"]  # what nurses see stays searchable
