"""No identifier or message text in the logs, whatever logs it.

Rasa, SQLAlchemy and our own code log errors that can carry a conversation's
key (a widget session id is the key to its history), a phone number, or the
parameters of a failed SQL statement (which hold message text and slot
values). Every log record is redacted when it is made, before any handler
sees it: conversation keys become a short hash, phone numbers and e-mail
addresses a placeholder, SQL parameters are dropped. `install()` runs in
every server process (Rasa's, the action server, the review workspace).
"""
from __future__ import annotations

import hashlib
import logging
import re
import traceback

_CONVERSATION_KEY = re.compile(r"\b(web|sms)-[0-9a-f]{32,64}\b")
_SQL_PARAMETERS = re.compile(r"\[parameters: .*?(?=\(Background on this error|\Z)", re.S)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w-])\+?\d(?:[\s().-]*\d){9,14}(?![\w-])")


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def redact(text: str) -> str:
    text = _SQL_PARAMETERS.sub("[parameters: redacted]\n", text)
    text = _CONVERSATION_KEY.sub(lambda m: f"{m.group(1)}-#{short_hash(m.group(0))}", text)
    text = _EMAIL.sub("[email]", text)
    return _PHONE.sub("[phone]", text)


def install() -> None:
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "redacts", False):
        return

    def redacted_record(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            record.msg, record.args = redact(record.getMessage()), None
            if record.exc_info and record.exc_info[0]:
                record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip())
        except Exception:  # a log line must never break the request that logs it
            record.msg, record.args = "(log message withheld: it could not be redacted)", None
        return record

    redacted_record.redacts = True
    logging.setLogRecordFactory(redacted_record)
