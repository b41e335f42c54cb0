"""The nurses' review queue: filters, ordering and paging over the summaries.

Filters arrive as untrusted strings (query parameters). `QueueFilter.parse`
keeps only values it recognises; everything reaches SQL as bound parameters.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Dict, List, Mapping, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.core.levels import LEVELS, URGENT
from bot.review.plan_time import start_of_day_utc
from bot.review.transcripts import LOW_CONFIDENCE, EventRow, to_turn
from bot.store.models import (ConversationIntent, ConversationRedFlag, ConversationSummary, Note, Review,
                              SmsDelivery, Tag)
from bot.store.rasa_events import EVENTS
from bot.store.sms import NOT_DELIVERED

PAGE_SIZE = 50
CHANNEL_CHOICES = ("web", "sms")
LEVEL_CHOICES = (*reversed(LEVELS), "none")  # highest first, as the queue sorts
STATUS_CHOICES = ("unreviewed", "reviewed")
MAX_SEARCH = 200


@dataclass(frozen=True)
class QueueFilter:
    date_from: Optional[date] = None
    date_to: Optional[date] = None
    channel: str = ""
    level: str = ""
    red_flag: str = ""
    intent: str = ""
    low_confidence: bool = False
    fallback: bool = False
    possible: bool = False
    undelivered: bool = False
    status: str = ""
    search: str = ""
    page: int = 1

    @classmethod
    def parse(cls, args: Mapping[str, str], red_flag_codes: Tuple[str, ...] = (),
              intents: Tuple[str, ...] = ()) -> "QueueFilter":
        def pick(name: str, choices) -> str:
            value = (args.get(name) or "").strip()
            return value if value in choices else ""

        return cls(
            date_from=_parse_date(args.get("from")),
            date_to=_parse_date(args.get("to")),
            channel=pick("channel", CHANNEL_CHOICES),
            level=pick("level", LEVEL_CHOICES),
            red_flag=pick("red_flag", red_flag_codes),
            intent=pick("intent", intents),
            low_confidence=args.get("low_confidence") == "1",
            fallback=args.get("fallback") == "1",
            possible=args.get("possible") == "1",
            undelivered=args.get("undelivered") == "1",
            status=pick("status", STATUS_CHOICES),
            search=(args.get("q") or "").strip()[:MAX_SEARCH],
            page=_parse_page(args.get("page")),
        )

    def query_args(self, **changes) -> Dict[str, str]:
        """The filter as query parameters (for links to other pages, CSV)."""
        values = {**asdict(self), **changes}
        args = {
            "from": values["date_from"].isoformat() if values["date_from"] else "",
            "to": values["date_to"].isoformat() if values["date_to"] else "",
            "channel": values["channel"], "level": values["level"],
            "red_flag": values["red_flag"], "intent": values["intent"],
            "low_confidence": "1" if values["low_confidence"] else "",
            "fallback": "1" if values["fallback"] else "",
            "possible": "1" if values["possible"] else "",
            "undelivered": "1" if values["undelivered"] else "",
            "status": values["status"], "q": values["search"],
            "page": str(values["page"]) if values["page"] > 1 else "",
        }
        return {k: v for k, v in args.items() if v}


def _parse_date(value: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _parse_page(value: Optional[str]) -> int:
    try:
        return max(1, min(int(value or 1), 100000))
    except ValueError:
        return 1


@dataclass
class QueueRow:
    id: int
    sender_id: str
    channel: Optional[str]
    started_at: Optional[datetime]
    last_at: Optional[datetime]
    user_turns: int
    triage_level: Optional[str]
    red_flag_codes: List[str]
    min_confidence: Optional[float]
    fallback: bool
    possible_red_flag: bool
    undelivered_escalation: bool
    reviewed_by: Optional[str]
    tags: List[str]


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _undelivered_escalation(S) -> sa.sql.ColumnElement:
    """An SMS telling this person to call 911 or the CareLine never reached them."""
    return sa.exists().where((SmsDelivery.sender_id == S.sender_id) & SmsDelivery.escalation.is_(True)
                             & SmsDelivery.status.in_(NOT_DELIVERED))


def _filtered(select: sa.sql.Select, f: QueueFilter) -> sa.sql.Select:
    S = ConversationSummary
    # Dates are the plan's (Central) calendar days, as the queue shows times.
    if f.date_from:
        select = select.where(S.last_at >= start_of_day_utc(f.date_from))
    if f.date_to:
        end = start_of_day_utc(f.date_to + timedelta(days=1))
        select = select.where(S.started_at < end)
    if f.channel:
        select = select.where(S.channel == f.channel)
    if f.level == "none":
        select = select.where(S.level_rank == 0)
    elif f.level:
        select = select.where(S.level_rank == LEVELS.index(f.level) + 1)
    if f.red_flag:
        select = select.where(sa.exists().where(
            (ConversationRedFlag.sender_id == S.sender_id) & (ConversationRedFlag.code == f.red_flag)))
    if f.intent:
        select = select.where(sa.exists().where(
            (ConversationIntent.sender_id == S.sender_id) & (ConversationIntent.intent == f.intent)))
    if f.low_confidence:
        select = select.where(S.min_confidence < LOW_CONFIDENCE)
    if f.fallback:
        select = select.where(S.fallback.is_(True))
    if f.possible:
        select = select.where(S.possible_red_flag.is_(True))
    if f.undelivered:
        select = select.where(_undelivered_escalation(S))
    if f.status == "reviewed":
        select = select.where(Review.sender_id.isnot(None))
    elif f.status == "unreviewed":
        select = select.where(Review.sender_id.is_(None))
    if f.search:
        select = select.where(S.search_text.like(_like(f.search), escape="\\"))
    return select


def query(session: Session, f: QueueFilter, page_size: int = PAGE_SIZE
          ) -> Tuple[List[QueueRow], int]:
    """One page of the queue and the total.

    Order: unreviewed first, then escalation texts that never arrived, then
    emergency, then urgent together with the possible red flags that nothing
    escalated, routine, self-care, none, then the most recent activity."""
    S = ConversationSummary
    undelivered = _undelivered_escalation(S)
    base = sa.select(S, Review.reviewed_by, undelivered.label("undelivered")).outerjoin(
        Review, Review.sender_id == S.sender_id)
    base = _filtered(base, f)
    total = session.execute(
        _filtered(sa.select(sa.func.count()).select_from(S)
                  .outerjoin(Review, Review.sender_id == S.sender_id), f)
    ).scalar()
    urgent_rank = LEVELS.index(URGENT) + 1
    rank = sa.case((undelivered, len(LEVELS) + 1),
                   (S.possible_red_flag.is_(True) & (S.level_rank < urgent_rank), urgent_rank),
                   else_=S.level_rank)
    ordered = base.order_by(
        Review.sender_id.isnot(None), rank.desc(), S.last_at.desc(), S.id.desc()
    )
    ordered = ordered.limit(page_size).offset((f.page - 1) * page_size)
    results = session.execute(ordered).all()
    senders = [summary.sender_id for summary, _, _ in results]
    tags: Dict[str, List[str]] = {s: [] for s in senders}
    if senders:
        for sender, tag in session.execute(
            sa.select(Tag.sender_id, Tag.tag).where(Tag.sender_id.in_(senders)).order_by(Tag.tag)
        ):
            tags[sender].append(tag)
    rows = [
        QueueRow(
            id=s.id, sender_id=s.sender_id, channel=s.channel, started_at=s.started_at,
            last_at=s.last_at, user_turns=s.user_turns, triage_level=s.triage_level,
            red_flag_codes=s.red_flag_codes.split(), min_confidence=s.min_confidence,
            fallback=s.fallback, possible_red_flag=s.possible_red_flag,
            undelivered_escalation=bool(undelivered), reviewed_by=reviewed_by, tags=tags[s.sender_id],
        )
        for s, reviewed_by, undelivered in results
    ]
    return rows, total


def known_values(session: Session) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
    """Red-flag codes and intents present in the store, for the filter menus."""
    codes = tuple(r[0] for r in session.execute(
        sa.select(ConversationRedFlag.code).distinct().order_by(ConversationRedFlag.code)))
    intents = tuple(r[0] for r in session.execute(
        sa.select(ConversationIntent.intent).distinct().order_by(ConversationIntent.intent)))
    return codes, intents


def messages_and_notes(session: Session, senders: List[str]) -> Dict[str, Tuple[List[str], List[str]]]:
    """What each conversation's person wrote, and the nurses' notes on it, in
    order (for the CSV export)."""
    found: Dict[str, Tuple[List[str], List[str]]] = {s: ([], []) for s in senders}
    for start in range(0, len(senders), 500):
        chunk = senders[start:start + 500]
        for sender, data in session.execute(
            sa.select(EVENTS.c.sender_id, EVENTS.c.data)
            .where(EVENTS.c.sender_id.in_(chunk) & (EVENTS.c.type_name == "user"))
            .order_by(EVENTS.c.sender_id, EVENTS.c.timestamp, EVENTS.c.id)
        ):
            turn = to_turn(EventRow(0, "user", None, data))
            if turn is not None and turn.text:
                found[sender][0].append(turn.text)
        for note in session.execute(sa.select(Note).where(Note.sender_id.in_(chunk))
                                    .order_by(Note.created_at, Note.id)).scalars():
            found[note.sender_id][1].append(note.text)
    return found
