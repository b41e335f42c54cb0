"""A CareLine nurse looks up an escalation by the reference code the person
reads out (issue 15, warm handoff).

- Every lookup is audited in the same transaction: a hit with the
  conversation, a miss without the typed text.
- A wrong, malformed or expired code gets the same answer as no code at
  all: nothing about whether it ever existed.
- Lookups are limited per login, counted from the audit log (so the limit
  holds across workspace processes and restarts): at most MAX_LOOKUPS in
  WINDOW, and at most MAX_MISSES wrong codes in WINDOW.
- Codes expire with the retention window (RETENTION_DAYS): the purge deletes
  the conversation, and an older handoff is not shown even before it runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.core import reference_code
from bot.review import audit
from bot.review.handoff_summary import HandoffSummary, build
from bot.review.nurse_actions import turns_of
from bot.review.transcripts import channel_label
from bot.store.models import AuditEntry, ConversationSummary, Handoff, utcnow

WINDOW = timedelta(minutes=15)
MAX_LOOKUPS = 30
MAX_MISSES = 5
HIT, MISS = "handoff_lookup", "handoff_lookup_miss"  # audit actions


@dataclass
class Found:
    summary: HandoffSummary
    conversation_id: Optional[int]  # the queue's id, for the link to the whole transcript


def limited(session: Session, actor: str, now: Optional[datetime] = None) -> bool:
    """True when this login has used up its lookups for now."""
    since = (now or utcnow()) - WINDOW
    counts = dict(session.execute(
        sa.select(AuditEntry.action, sa.func.count())
        .where((AuditEntry.actor == actor) & (AuditEntry.at >= since)
               & AuditEntry.action.in_((HIT, MISS)))
        .group_by(AuditEntry.action)).all())
    return (counts.get(HIT, 0) + counts.get(MISS, 0) >= MAX_LOOKUPS
            or counts.get(MISS, 0) >= MAX_MISSES)


def look_up(session: Session, typed: object, actor: str, retention_days: int,
            now: Optional[datetime] = None) -> Optional[Found]:
    """The handoff for a typed code, audited; None for anything else."""
    code = reference_code.parse(typed)
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    handoff = None
    if code is not None:
        handoff = session.execute(
            sa.select(Handoff).where((Handoff.reference_code == code) & (Handoff.created_at >= cutoff))
            .order_by(Handoff.created_at.desc()).limit(1)).scalar()
    if handoff is None:
        audit.record(session, actor, MISS, detail="no escalation matched")
        return None
    summary = build(code, handoff.level, handoff.red_flags, handoff.reasons,
                    channel_label(handoff.channel), handoff.created_at,
                    turns_of(session, handoff.conversation_id))
    audit.record(session, actor, HIT, handoff.conversation_id,
                 detail=f"reference code {summary.code}")
    conversation_id = session.execute(sa.select(ConversationSummary.id).where(
        ConversationSummary.sender_id == handoff.conversation_id)).scalar()
    return Found(summary, conversation_id)
