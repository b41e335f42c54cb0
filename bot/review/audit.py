"""The append-only audit log: who viewed or changed which conversation, when."""
from __future__ import annotations

from typing import List, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.store.models import AuditEntry


def record(session: Session, actor: str, action: str, sender_id: Optional[str] = None,
           detail: str = "") -> None:
    session.add(AuditEntry(actor=actor, action=action, sender_id=sender_id, detail=detail))


def recent(session: Session, limit: int = 200, offset: int = 0,
           sender_id: Optional[str] = None) -> List[AuditEntry]:
    select = sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    if sender_id:
        select = select.where(AuditEntry.sender_id == sender_id)
    return list(session.execute(select).scalars())
