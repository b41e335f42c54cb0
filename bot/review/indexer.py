"""Keep `conversation_summaries` up to date with Rasa's events table.

Incremental: it reads events newer than the last one it saw and rebuilds the
summary of each conversation they belong to. It re-reads a small overlap
below that mark because, on PostgreSQL, two servers can commit event ids out
of order; rebuilding a summary twice is harmless.
"""
from __future__ import annotations

from typing import Iterable, List

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.review.transcripts import EventRow, summarize
from bot.store.models import (ConversationIntent, ConversationRedFlag, ConversationSummary, Handoff,
                              IndexerState)
from bot.store.rasa_events import EVENTS

OVERLAP = 200  # event ids re-read below the mark
BATCH = 500  # conversations rebuilt per round


def sync(session: Session) -> int:
    """Bring the summaries up to date; returns how many conversations it rebuilt."""
    state = session.get(IndexerState, "events") or IndexerState(name="events", last_event_id=0)
    session.add(state)
    start = max(0, state.last_event_id - OVERLAP)
    newest = session.execute(sa.select(sa.func.max(EVENTS.c.id))).scalar() or 0
    if newest <= state.last_event_id:
        return 0
    senders = [row[0] for row in session.execute(
        sa.select(EVENTS.c.sender_id).where(EVENTS.c.id > start).distinct()
    )]
    for chunk in _chunks(senders, BATCH):
        rebuild(session, chunk)
    state.last_event_id = newest
    session.flush()
    return len(senders)


def rebuild(session: Session, sender_ids: List[str]) -> None:
    rows = session.execute(
        sa.select(EVENTS.c.sender_id, EVENTS.c.id, EVENTS.c.type_name, EVENTS.c.timestamp,
                  EVENTS.c.data)
        .where(EVENTS.c.sender_id.in_(sender_ids)).order_by(EVENTS.c.sender_id, EVENTS.c.id)
    )
    events = {sender: [] for sender in sender_ids}
    for sender, *row in rows:
        events[sender].append(EventRow(*row))
    handoffs = {sender: [] for sender in sender_ids}
    for sender, level in session.execute(
        sa.select(Handoff.conversation_id, Handoff.level)
        .where(Handoff.conversation_id.in_(sender_ids))
    ):
        handoffs[sender].append(level)
    existing = {s.sender_id: s for s in session.execute(
        sa.select(ConversationSummary).where(ConversationSummary.sender_id.in_(sender_ids))
    ).scalars()}
    session.execute(sa.delete(ConversationRedFlag).where(
        ConversationRedFlag.sender_id.in_(sender_ids)))
    session.execute(sa.delete(ConversationIntent).where(
        ConversationIntent.sender_id.in_(sender_ids)))
    for sender in sender_ids:
        if not events[sender]:
            continue
        summary = summarize(events[sender], handoffs[sender])
        row = existing.get(sender) or ConversationSummary(sender_id=sender)
        row.channel = summary.channel
        row.started_at, row.last_at = summary.started_at, summary.last_at
        row.user_turns = summary.user_turns
        row.triage_level, row.level_rank = summary.triage_level, summary.level_rank
        row.min_confidence, row.fallback = summary.min_confidence, summary.fallback
        row.possible_red_flag = summary.possible_red_flag
        row.red_flag_codes = " ".join(summary.red_flag_codes)[:500]
        row.search_text = summary.search_text
        row.last_event_id = summary.last_event_id
        session.add(row)
        session.add_all(ConversationRedFlag(sender_id=sender, code=c)
                        for c in summary.red_flag_codes)
        session.add_all(ConversationIntent(sender_id=sender, intent=i) for i in summary.intents)
    session.flush()


def _chunks(items: List[str], size: int) -> Iterable[List[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
