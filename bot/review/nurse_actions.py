"""One conversation as a nurse reviews it, and what a nurse can do to it.

Every function that shows or changes a conversation writes an audit entry in
the same transaction, so nothing is done without its record.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from bot.review import audit
from bot.review.transcripts import EventRow, Turn, transcript
from bot.store.models import TAGS, ConversationSummary, Correction, Handoff, Note, Review, SmsDelivery, Tag
from bot.store.sms import NOT_DELIVERED
from bot.store.rasa_events import EVENTS


@dataclass
class Conversation:
    summary: ConversationSummary
    turns: List[Turn]
    handoffs: List[Handoff]
    review: Optional[Review]
    notes: List[Note]
    tags: List[str]
    corrections: Dict[int, Correction] = field(default_factory=dict)
    undelivered: List[SmsDelivery] = field(default_factory=list)  # SMS replies that never arrived


def summary_by_id(session: Session, conversation_id: int) -> Optional[ConversationSummary]:
    return session.get(ConversationSummary, conversation_id)


def turns_of(session: Session, sender: str) -> List[Turn]:
    """A conversation's transcript turns, in order (the (sender_id, timestamp) index)."""
    rows = session.execute(
        sa.select(EVENTS.c.id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
        .where(EVENTS.c.sender_id == sender).order_by(EVENTS.c.timestamp, EVENTS.c.id)
    )
    return transcript(EventRow(*row) for row in rows)


def load(session: Session, summary: ConversationSummary, actor: str) -> Conversation:
    sender = summary.sender_id
    turns = turns_of(session, sender)
    audit.record(session, actor, "view", sender)
    return Conversation(
        summary=summary,
        turns=turns,
        handoffs=list(session.execute(sa.select(Handoff).where(Handoff.conversation_id == sender)
                                      .order_by(Handoff.created_at)).scalars()),
        review=session.get(Review, sender),
        notes=list(session.execute(sa.select(Note).where(Note.sender_id == sender)
                                   .order_by(Note.created_at, Note.id)).scalars()),
        tags=[t.tag for t in session.execute(
            sa.select(Tag).where(Tag.sender_id == sender).order_by(Tag.tag)).scalars()],
        corrections={c.event_id: c for c in session.execute(
            sa.select(Correction).where(Correction.sender_id == sender)).scalars()},
        undelivered=list(session.execute(
            sa.select(SmsDelivery).where((SmsDelivery.sender_id == sender)
                                         & SmsDelivery.status.in_(NOT_DELIVERED))
            .order_by(SmsDelivery.sent_at)).scalars()),
    )


def set_reviewed(session: Session, sender: str, actor: str, reviewed: bool) -> None:
    existing = session.get(Review, sender)
    if reviewed and existing is None:
        session.add(Review(sender_id=sender, reviewed_by=actor))
    elif not reviewed and existing is not None:
        session.delete(existing)
    audit.record(session, actor, "reviewed" if reviewed else "unreviewed", sender)


def add_note(session: Session, sender: str, actor: str, text: str) -> None:
    session.add(Note(sender_id=sender, author=actor, text=text))
    audit.record(session, actor, "note", sender, detail=f"{len(text)} characters")


def set_tag(session: Session, sender: str, actor: str, tag: str, on: bool) -> None:
    if tag not in TAGS:
        raise ValueError(f"unknown tag {tag!r}")
    existing = session.get(Tag, (sender, tag))
    if on and existing is None:
        session.add(Tag(sender_id=sender, tag=tag, author=actor))
    elif not on and existing is not None:
        session.delete(existing)
    audit.record(session, actor, "tag" if on else "untag", sender, detail=tag)


def correct_intent(session: Session, sender: str, actor: str, event_id: int,
                   correct_intent: str) -> bool:
    """Record the right intent for one of this conversation's user messages."""
    row = session.execute(
        sa.select(EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
        .where((EVENTS.c.id == event_id) & (EVENTS.c.sender_id == sender))
    ).first()
    turns = transcript([EventRow(event_id, *row)]) if row else []
    if not turns or turns[0].speaker != "user":
        return False
    turn = turns[0]
    correction = session.get(Correction, event_id) or Correction(event_id=event_id)
    correction.sender_id, correction.text = sender, turn.text
    correction.predicted_intent, correction.correct_intent = turn.intent, correct_intent
    correction.author = actor
    session.add(correction)
    audit.record(session, actor, "correction", sender,
                 detail=f"event {event_id}: {turn.intent} -> {correct_intent}")
    return True


def corrections_yaml(examples: Iterable[Tuple[str, str]]) -> str:
    """Rasa 3 NLU training data from (intent, text) pairs, one block per intent."""
    by_intent: Dict[str, List[str]] = {}
    for intent, text in examples:
        text = " ".join(text.split())
        if text and text not in by_intent.setdefault(intent, []):
            by_intent[intent].append(text)
    nlu = [{"intent": intent, "examples": "".join(f"- {t}\n" for t in texts)}
           for intent, texts in sorted(by_intent.items())]
    return yaml.dump({"version": "3.1", "nlu": nlu}, Dumper=_LiteralDumper,
                     sort_keys=False, allow_unicode=True)


def all_corrections(session: Session) -> List[Correction]:
    return list(session.execute(
        sa.select(Correction).order_by(Correction.correct_intent, Correction.event_id)).scalars())


class _LiteralDumper(yaml.SafeDumper):
    """Writes multi-line strings as `|` blocks, as Rasa's own files do."""


def _literal(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _literal)
