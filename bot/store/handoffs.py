"""Record and read emergency/urgent handoffs.

A handoff the database cannot take now (locked, read-only, gone) is kept in
the spool (bot/store/spool.py) and written with the next handoff, or by the
Rasa server's tracker store once it can write again."""
from __future__ import annotations

import json
import logging
from datetime import datetime
from functools import lru_cache
from typing import Iterable, List, Optional

from sqlalchemy.exc import SQLAlchemyError

from bot.store.db import database_url, session_scope
from bot.store.models import Handoff, utcnow
from bot.store.spool import Spool, spool_path

HANDOFFS = "handoff"  # the spool's kind for handoffs
logger = logging.getLogger(__name__)


@lru_cache(maxsize=None)
def _spool(url: str) -> Spool:
    return Spool(spool_path(url))


def record_handoff(
    conversation_id: str, level: str, red_flags: Iterable[str], reasons: Iterable[str],
    channel: Optional[str], url: Optional[str] = None, reference_code: Optional[str] = None,
) -> Optional[int]:
    """The new handoff's id, or None when it went to the spool (with its code,
    so the code the person was given finds it once it is written)."""
    item = {"conversation_id": conversation_id, "level": level, "red_flags": sorted(red_flags),
            "reasons": list(reasons), "channel": channel, "created_at": utcnow().isoformat(),
            "reference_code": reference_code}
    spool = _spool(url or database_url())
    spooled = spool.claim(HANDOFFS)
    try:
        with session_scope(url) as session:
            for _, _, earlier in spooled:
                session.add(_handoff(earlier))
            handoff = _handoff(item)
            session.add(handoff)
            session.flush()
            new_id = handoff.id
    except SQLAlchemyError as error:
        logger.error("could not record a %s handoff (%s); it is in the spool", level, type(error).__name__)
        spool.release(row_id for row_id, _, _ in spooled)
        spool.add(HANDOFFS, conversation_id, [item])
        return None
    spool.remove(row_id for row_id, _, _ in spooled)
    return new_id


def hand_over_spooled_handoffs(spool: Spool, url: Optional[str] = None) -> None:
    """Spooled handoffs into the database, when it takes them again."""
    spooled = spool.claim(HANDOFFS)
    if not spooled:
        return
    try:
        with session_scope(url) as session:
            for _, _, item in spooled:
                session.add(_handoff(item))
    except SQLAlchemyError as error:
        logger.error("spooled handoffs not handed over yet (%s)", type(error).__name__)
        spool.release(row_id for row_id, _, _ in spooled)
        return
    spool.remove(row_id for row_id, _, _ in spooled)


def _handoff(item: dict) -> Handoff:
    return Handoff(
        conversation_id=item["conversation_id"], level=item["level"],
        red_flags_json=json.dumps(item["red_flags"]), reasons_json=json.dumps(item["reasons"]),
        channel=item["channel"], created_at=datetime.fromisoformat(item["created_at"]),
        reference_code=item.get("reference_code"),  # spooled before codes existed: none
    )


def handoffs_for(conversation_id: str, url: Optional[str] = None) -> List[dict]:
    with session_scope(url) as session:
        rows = (session.query(Handoff).filter_by(conversation_id=conversation_id)
                .order_by(Handoff.created_at).all())
        return [{"level": h.level, "red_flags": h.red_flags, "reasons": h.reasons,
                 "channel": h.channel, "created_at": h.created_at,
                 "reference_code": h.reference_code} for h in rows]
