"""What the SMS channel keeps: delivered MessageSids, opt-outs, the last
numbered menu and what became of each text we sent, all keyed by the
number's keyed hash (never the number)."""
from __future__ import annotations

import json
from typing import List, Optional, Tuple

from sqlalchemy.exc import IntegrityError

from bot.store.db import session_scope
from bot.store.models import SmsDelivery, SmsInbound, SmsMenu, SmsOptOut, utcnow

# Twilio's final statuses for a text that never reached the phone.
NOT_DELIVERED = ("failed", "undelivered")
# Twilio's statuses, in the order a text goes through them: a late callback
# never takes a text back (e.g. "sent" arriving after "delivered").
STATUS_ORDER = ("accepted", "queued", "sending", "sent", "delivered", "undelivered", "failed")


def first_delivery(message_sid: str, sender_id: str, url: Optional[str] = None) -> bool:
    """Record a MessageSid; False when it was seen before (a repeated delivery)."""
    try:
        with session_scope(url) as session:
            session.add(SmsInbound(message_sid=message_sid, sender_id=sender_id))
        return True
    except IntegrityError:
        return False


def set_opted_out(sender_id: str, opted_out: bool, url: Optional[str] = None) -> None:
    with session_scope(url) as session:
        row = session.get(SmsOptOut, sender_id)
        if opted_out and row is None:
            session.add(SmsOptOut(sender_id=sender_id))
        elif not opted_out and row is not None:
            session.delete(row)


def is_opted_out(sender_id: str, url: Optional[str] = None) -> bool:
    with session_scope(url) as session:
        return session.get(SmsOptOut, sender_id) is not None


def save_menu(sender_id: str, options: List[Tuple[str, str]], url: Optional[str] = None) -> None:
    with session_scope(url) as session:
        row = session.get(SmsMenu, sender_id)
        if not options:
            if row is not None:
                session.delete(row)
            return
        row = row or SmsMenu(sender_id=sender_id)
        row.options_json, row.updated_at = json.dumps(options), utcnow()
        session.add(row)


def last_menu(sender_id: str, url: Optional[str] = None) -> List[Tuple[str, str]]:
    with session_scope(url) as session:
        row = session.get(SmsMenu, sender_id)
        return [tuple(o) for o in json.loads(row.options_json)] if row else []


def record_sent(message_sid: str, sender_id: str, escalation: bool, status: str,
                error_code: Optional[str] = None, url: Optional[str] = None) -> None:
    with session_scope(url) as session:
        session.merge(SmsDelivery(message_sid=message_sid, sender_id=sender_id, escalation=escalation,
                                  status=status, error_code=error_code, sent_at=utcnow(), updated_at=utcnow()))


def update_status(message_sid: str, status: str, error_code: Optional[str] = None,
                  url: Optional[str] = None) -> bool:
    """Twilio's status callback for a text we sent; False for a MessageSid we
    never sent (ignored)."""
    with session_scope(url) as session:
        row = session.get(SmsDelivery, message_sid)
        if row is None:
            return False
        if _rank(status) >= _rank(row.status):
            row.status, row.error_code, row.updated_at = status, error_code or row.error_code, utcnow()
        return True


def _rank(status: str) -> int:
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else -1
