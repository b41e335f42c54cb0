"""The project's own tables."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Handoff(Base):
    """An emergency or urgent handoff given to a person, for the nurses' queue."""

    __tablename__ = "handoffs"

    id = sa.Column(sa.Integer, primary_key=True)
    conversation_id = sa.Column(sa.String(255), nullable=False, index=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=_utcnow, index=True)
    level = sa.Column(sa.String(20), nullable=False, index=True)
    red_flags_json = sa.Column(sa.Text, nullable=False, default="[]")
    reasons_json = sa.Column(sa.Text, nullable=False, default="[]")
    channel = sa.Column(sa.String(50))

    @property
    def red_flags(self) -> list:
        return json.loads(self.red_flags_json)

    @property
    def reasons(self) -> list:
        return json.loads(self.reasons_json)
