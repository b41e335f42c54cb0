"""Logs carry no identifiers or message text (issue 14, finding 7)."""
import logging

from bot.ops.log_redaction import install, redact, short_hash

SESSION = "web-" + "0123456789abcdef" * 2
SMS_KEY = "sms-" + "a" * 40


def test_conversation_keys_become_a_short_hash():
    line = redact(f"could not save {SESSION} and {SMS_KEY}")
    assert SESSION not in line and SMS_KEY not in line
    assert f"web-#{short_hash(SESSION)}" in line and f"sms-#{short_hash(SMS_KEY)}" in line


def test_phone_numbers_and_emails_are_replaced():
    line = redact("From +1 (612) 555-0199 or 6125550199, mail jo.doe+x@example.org")
    assert "555" not in line and "example.org" not in line
    assert line.count("[phone]") == 2 and "[email]" in line


def test_sql_parameters_are_dropped_with_the_message_text_in_them():
    error = ("(sqlite3.OperationalError) database is locked\n"
             "[SQL: INSERT INTO events (sender_id, data) VALUES (?, ?)]\n"
             f"[parameters: ('{SESSION}', '{{\"text\": \"i wet myself]\\n\"}}')]\n"
             "(Background on this error at: https://sqlalche.me/e/14/e3q8)")
    line = redact(error)
    assert "wet myself" not in line and SESSION not in line
    assert "database is locked" in line and "[parameters: redacted]" in line and "Background" in line


def test_ordinary_lines_are_unchanged():
    for line in ["Starting Rasa server on http://127.0.0.1:5005", "took 12.5 ms", "level urgent, 3 flags"]:
        assert redact(line) == line


def test_every_record_is_redacted_before_a_handler_sees_it(caplog):
    install()
    install()  # twice is harmless
    logger = logging.getLogger("rasa.core.tracker_store")
    with caplog.at_level(logging.ERROR):
        try:
            raise RuntimeError(f"no row for {SESSION}")
        except RuntimeError:
            logger.exception("saving %s failed for +16125550199", SESSION)
    assert SESSION not in caplog.text and "6125550199" not in caplog.text
    assert "saving web-#" in caplog.text and "RuntimeError: no row for web-#" in caplog.text
