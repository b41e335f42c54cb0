"""The triage levels: one definition for every process and the review queue."""
from __future__ import annotations

from typing import Optional

EMERGENCY, URGENT, ROUTINE, SELF_CARE = "emergency", "urgent", "routine", "self_care"
LEVELS = (SELF_CARE, ROUTINE, URGENT, EMERGENCY)  # a disposition's level, lowest to highest
ESCALATING = (URGENT, EMERGENCY)  # levels that hand the person to 911 or a nurse now
# A red flag's own level: a `risk` factor only matters in combination (see disposition).
RISK = "risk"
RED_FLAG_LEVELS = (EMERGENCY, URGENT, ROUTINE, RISK)


def level_rank(level: Optional[str]) -> int:
    """0 for self-care up to 3 for emergency; -1 for no disposition yet."""
    return LEVELS.index(level) if level in LEVELS else -1


def escalates(level: Optional[str]) -> bool:
    return level in ESCALATING
