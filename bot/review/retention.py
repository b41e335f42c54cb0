"""Delete conversations whose last activity is older than the retention period.

Removes Rasa's events and everything the project keeps about those
conversations (summaries, handoffs, reviews, notes, tags, corrections, SMS
delivery records and menus; not SMS opt-outs). The
audit log is append-only and keeps its entries; the purge itself is recorded
there.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import List, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.review import audit, indexer
from bot.store.models import (ConversationIntent, ConversationRedFlag, ConversationSummary,
                              Correction, Handoff, Note, Review, SmsDelivery, SmsInbound, SmsMenu, Tag)
from bot.store.rasa_events import EVENTS

BATCH = 500


@dataclass(frozen=True)
class PurgeResult:
    conversations: int
    events: int
    cutoff: datetime


def purge(session: Session, older_than_days: int, actor: str = "bot transcripts purge",
          now: Optional[datetime] = None, dry_run: bool = False) -> PurgeResult:
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    cutoff = now - timedelta(days=older_than_days)
    indexer.sync(session)  # so conversations no one has opened are found too
    senders = [r[0] for r in session.execute(
        sa.select(ConversationSummary.sender_id).where(ConversationSummary.last_at < cutoff))]
    events = 0
    for start in range(0, len(senders), BATCH):
        chunk = senders[start:start + BATCH]
        if dry_run:
            events += session.execute(sa.select(sa.func.count()).select_from(EVENTS)
                                      .where(EVENTS.c.sender_id.in_(chunk))).scalar()
        else:
            events += _delete(session, chunk)
    if not dry_run:
        audit.record(session, actor, "purge",
                     detail=f"{len(senders)} conversations, {events} events, "
                            f"last activity before {cutoff:%Y-%m-%d %H:%M} UTC "
                            f"({older_than_days} days)")
    return PurgeResult(len(senders), events, cutoff)


def _delete(session: Session, senders: List[str]) -> int:
    deleted = session.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(senders))).rowcount
    session.execute(sa.delete(Handoff).where(Handoff.conversation_id.in_(senders)))
    # SMS opt-outs are kept on purpose: a STOP must outlive the conversation.
    for model in (ConversationSummary, ConversationRedFlag, ConversationIntent, Review, Note,
                  Tag, Correction, SmsInbound, SmsMenu, SmsDelivery):
        session.execute(sa.delete(model).where(model.sender_id.in_(senders))
                        .execution_options(synchronize_session=False))
    return deleted
