"""Record and read emergency/urgent handoffs."""
from __future__ import annotations

import json
from typing import Iterable, List, Optional

from bot.store.db import session_scope
from bot.store.models import Handoff


def record_handoff(
    conversation_id: str, level: str, red_flags: Iterable[str], reasons: Iterable[str],
    channel: Optional[str], url: Optional[str] = None,
) -> int:
    with session_scope(url) as session:
        handoff = Handoff(
            conversation_id=conversation_id, level=level,
            red_flags_json=json.dumps(sorted(red_flags)), reasons_json=json.dumps(list(reasons)),
            channel=channel,
        )
        session.add(handoff)
        session.flush()
        return handoff.id


def handoffs_for(conversation_id: str, url: Optional[str] = None) -> List[dict]:
    with session_scope(url) as session:
        rows = (session.query(Handoff).filter_by(conversation_id=conversation_id)
                .order_by(Handoff.created_at).all())
        return [{"level": h.level, "red_flags": h.red_flags, "reasons": h.reasons,
                 "channel": h.channel, "created_at": h.created_at} for h in rows]
