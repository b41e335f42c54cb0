"""What the SMS channel keeps: delivered MessageSids, opt-outs and the last
numbered menu, all keyed by the number's keyed hash (never the number)."""
from __future__ import annotations

import json
from typing import List, Optional, Tuple

from sqlalchemy.exc import IntegrityError

from bot.store.db import session_scope
from bot.store.models import SmsInbound, SmsMenu, SmsOptOut, utcnow


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
