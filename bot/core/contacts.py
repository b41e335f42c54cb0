"""The health plan's phone lines, in one place (source: seed page 003).

Every reply that gives a number gets it from here; tests check that the
numbers written into domain responses (used when the action server is down)
are the same ones.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Optional, Tuple
from zoneinfo import ZoneInfo

CENTRAL = ZoneInfo("America/Chicago")


@dataclass(frozen=True)
class PhoneLine:
    key: str
    name: str
    purpose: str
    phones: Tuple[str, ...]
    tty: str
    # None means open 24/7. Otherwise (weekdays, open, close) in Central time;
    # weekdays use Python numbering (Monday = 0).
    hours: Optional[Tuple[Tuple[int, ...], time, time]] = None

    @property
    def hours_text(self) -> str:
        if self.hours is None:
            return "24/7"
        return "Mon-Fri 7:30 a.m.-6 p.m. Central"

    def is_open(self, now: Optional[datetime] = None) -> bool:
        if self.hours is None:
            return True
        local = _central(now)
        days, opens, closes = self.hours
        return local.weekday() in days and opens <= local.time() < closes

    def next_opening(self, now: Optional[datetime] = None) -> Optional[datetime]:
        """When the line next opens (Central time), or None if it is open now."""
        if self.is_open(now):
            return None
        local = _central(now)
        days, opens, _ = self.hours
        for offset in range(8):
            day = (local + timedelta(days=offset)).date()
            start = datetime.combine(day, opens, tzinfo=CENTRAL)
            if day.weekday() in days and start > local:
                return start
        raise AssertionError("a line with hours opens at least once a week")

    def numbers_text(self) -> str:
        """Numbers written out the same way everywhere: '612-... or 800-... (TTY ...)'."""
        return f"{' or '.join(self.phones)} (TTY {self.tty})"


def _central(now: Optional[datetime]) -> datetime:
    if now is None:
        return datetime.now(CENTRAL)
    if now.tzinfo is None:
        raise ValueError("pass a timezone-aware datetime")
    return now.astimezone(CENTRAL)


CARELINE = PhoneLine(
    key="careline",
    name="CareLine",
    purpose="registered nurses who answer health questions and talk about care options",
    phones=("612-339-3663", "800-551-0859"),
    tty="952-883-5474",
)

NURSE_NAVIGATOR = PhoneLine(
    key="nurse_navigator",
    name="Nurse Navigator",
    purpose="member advocates who explain your benefits and treatment options",
    phones=("952-883-5000", "800-883-2177"),
    tty="952-883-5127",
    hours=((0, 1, 2, 3, 4), time(7, 30), time(18, 0)),
)

EMERGENCY_NUMBER = "911"

LINES = {line.key: line for line in (CARELINE, NURSE_NAVIGATOR)}


def all_phone_numbers() -> set:
    """Every number the assistant may ever give out."""
    numbers = {EMERGENCY_NUMBER}
    for line in LINES.values():
        numbers.update(line.phones)
        numbers.add(line.tty)
    return numbers
