"""Times as the plan's nurses read them: stored in UTC (naive), shown in the
plan's time zone (America/Chicago) with the zone named. Pure."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Optional

from bot.core.contacts import CENTRAL


def shown(moment: Optional[datetime], fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time in Central time, e.g. "2026-11-20 06:00 CST"."""
    if moment is None:
        return ""
    return moment.replace(tzinfo=timezone.utc).astimezone(CENTRAL).strftime(f"{fmt} %Z")


def start_of_day_utc(day: date) -> datetime:
    """Midnight of a Central calendar day, as the stored (naive UTC) time."""
    return datetime.combine(day, time.min, tzinfo=CENTRAL).astimezone(timezone.utc).replace(tzinfo=None)
