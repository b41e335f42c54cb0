"""The project's own tables, beside Rasa's `events` table in the same database.

The schema is created and upgraded only by the migrations in
`bot/store/migrations/` (`bot db upgrade`); these classes must match them
(a test compares the two).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()

ROLES = ("nurse", "supervisor")
TAGS = ("missed red flag", "over-triage", "content gap", "correct")


def utcnow() -> datetime:
    """Naive UTC, as stored in every DateTime column here."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Handoff(Base):
    """An emergency or urgent handoff given to a person, for the nurses' queue."""

    __tablename__ = "handoffs"

    id = sa.Column(sa.Integer, primary_key=True)
    conversation_id = sa.Column(sa.String(255), nullable=False, index=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow, index=True)
    level = sa.Column(sa.String(20), nullable=False, index=True)
    red_flags_json = sa.Column(sa.Text, nullable=False, default="[]")
    reasons_json = sa.Column(sa.Text, nullable=False, default="[]")
    channel = sa.Column(sa.String(50))
    # What the person reads out to a CareLine nurse (bot/core/reference_code.py).
    reference_code = sa.Column(sa.String(12), index=True)

    @property
    def red_flags(self) -> list:
        return json.loads(self.red_flags_json)

    @property
    def reasons(self) -> list:
        return json.loads(self.reasons_json)


class Nurse(Base):
    """A login to the review workspace."""

    __tablename__ = "nurses"

    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(80), nullable=False, unique=True)
    role = sa.Column(sa.String(20), nullable=False)
    password_hash = sa.Column(sa.String(255), nullable=False)
    failed_logins = sa.Column(sa.Integer, nullable=False, default=0)
    locked_until = sa.Column(sa.DateTime)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class LoginSession(Base):
    """A signed-in browser. Only a hash of its token is stored; deleting the row
    (logout, idle time-out) makes any copy of the cookie worthless."""

    __tablename__ = "login_sessions"

    token_hash = sa.Column(sa.String(64), primary_key=True)
    nurse_id = sa.Column(sa.Integer, sa.ForeignKey("nurses.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    last_seen_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class ConversationSummary(Base):
    """One row per conversation, derived from Rasa's events by the indexer so
    the queue can filter and sort without reading every event. It can always
    be rebuilt; the nurses' own work lives in the tables below, keyed by
    sender_id."""

    __tablename__ = "conversation_summaries"

    id = sa.Column(sa.Integer, primary_key=True)  # used in URLs instead of sender_id
    sender_id = sa.Column(sa.String(255), nullable=False, unique=True)
    channel = sa.Column(sa.String(50), index=True)
    started_at = sa.Column(sa.DateTime, index=True)
    last_at = sa.Column(sa.DateTime, index=True)
    user_turns = sa.Column(sa.Integer, nullable=False, default=0)
    triage_level = sa.Column(sa.String(20))
    level_rank = sa.Column(sa.Integer, nullable=False, default=0, index=True)
    min_confidence = sa.Column(sa.Float)
    fallback = sa.Column(sa.Boolean, nullable=False, default=False)
    # A possible red flag was seen but nothing escalated: a nurse should look.
    possible_red_flag = sa.Column(sa.Boolean, nullable=False, default=False, index=True)
    red_flag_codes = sa.Column(sa.String(500), nullable=False, default="")
    search_text = sa.Column(sa.Text, nullable=False, default="")
    last_event_id = sa.Column(sa.Integer, nullable=False, default=0)


class ConversationRedFlag(Base):
    __tablename__ = "conversation_red_flags"

    sender_id = sa.Column(sa.String(255), primary_key=True)
    code = sa.Column(sa.String(40), primary_key=True, index=True)


class ConversationIntent(Base):
    __tablename__ = "conversation_intents"

    sender_id = sa.Column(sa.String(255), primary_key=True)
    intent = sa.Column(sa.String(100), primary_key=True, index=True)


class IndexerState(Base):
    """How far the indexer has read Rasa's events table."""

    __tablename__ = "indexer_state"

    name = sa.Column(sa.String(40), primary_key=True)
    last_event_id = sa.Column(sa.Integer, nullable=False, default=0)


class Review(Base):
    __tablename__ = "reviews"

    sender_id = sa.Column(sa.String(255), primary_key=True)
    reviewed_by = sa.Column(sa.String(80), nullable=False)
    reviewed_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class Note(Base):
    __tablename__ = "notes"

    id = sa.Column(sa.Integer, primary_key=True)
    sender_id = sa.Column(sa.String(255), nullable=False, index=True)
    author = sa.Column(sa.String(80), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    text = sa.Column(sa.Text, nullable=False)


class Tag(Base):
    __tablename__ = "tags"

    sender_id = sa.Column(sa.String(255), primary_key=True)
    tag = sa.Column(sa.String(40), primary_key=True, index=True)
    author = sa.Column(sa.String(80), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class Correction(Base):
    """A user message the NLU got wrong, with the intent a nurse says is right."""

    __tablename__ = "corrections"

    event_id = sa.Column(sa.Integer, primary_key=True)  # Rasa's events.id
    sender_id = sa.Column(sa.String(255), nullable=False, index=True)
    text = sa.Column(sa.Text, nullable=False)
    predicted_intent = sa.Column(sa.String(100))
    correct_intent = sa.Column(sa.String(100), nullable=False)
    author = sa.Column(sa.String(80), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class AuditEntry(Base):
    """Append-only (database triggers refuse UPDATE and DELETE): who viewed or
    changed which conversation, and when."""

    __tablename__ = "audit_log"

    id = sa.Column(sa.Integer, primary_key=True)
    at = sa.Column(sa.DateTime, nullable=False, default=utcnow, index=True)
    actor = sa.Column(sa.String(80), nullable=False)
    action = sa.Column(sa.String(40), nullable=False)
    sender_id = sa.Column(sa.String(255), index=True)
    detail = sa.Column(sa.Text, nullable=False, default="")


class SmsInbound(Base):
    """Every Twilio MessageSid seen, so a repeated delivery is not answered twice."""

    __tablename__ = "sms_inbound"

    message_sid = sa.Column(sa.String(64), primary_key=True)
    sender_id = sa.Column(sa.String(255), nullable=False, index=True)
    received_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class SmsOptOut(Base):
    """Numbers (as their keyed hash) that sent STOP: nothing is sent to them
    until they send START. Kept when conversations are purged."""

    __tablename__ = "sms_opt_outs"

    sender_id = sa.Column(sa.String(255), primary_key=True)
    opted_out_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class SmsDelivery(Base):
    """A text we sent and what Twilio last said of it (queued, sent,
    delivered, undelivered, failed); `escalation` when it told someone to
    call 911 or the CareLine. A text Twilio never took has a local id."""

    __tablename__ = "sms_deliveries"

    message_sid = sa.Column(sa.String(64), primary_key=True)
    sender_id = sa.Column(sa.String(255), nullable=False, index=True)
    escalation = sa.Column(sa.Boolean, nullable=False, default=False)
    status = sa.Column(sa.String(20), nullable=False)
    error_code = sa.Column(sa.String(10))
    sent_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    updated_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class SmsMenu(Base):
    """The numbered options last sent to a number, to map "1", "2" ... back."""

    __tablename__ = "sms_menus"

    sender_id = sa.Column(sa.String(255), primary_key=True)
    options_json = sa.Column(sa.Text, nullable=False)
    updated_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
