"""The warm handoff: what a CareLine nurse sees for a reference code, in the
order of SBAR (situation, background, assessment, recommendation), so the
call starts where the assistant stopped.

Pure: a stored handoff and the conversation's transcript turns in, plain data
out. Only what was known when the handoff was given counts (the turns up to
the call card with this code), so a nurse reads what the assistant acted on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import List, Optional, Sequence, Tuple

from bot.core import reference_code
from bot.core.answers import UNCLEAR
from bot.core.levels import EMERGENCY
from bot.core.red_flag_rules import in_plain_words
from bot.core.slots import (AGE, LEG_SPREAD, PAIN_DURATION, PAIN_IMPACT, PAIN_LOCATION, PAIN_PATTERN,
                            PAIN_SEVERITY, RED_FLAG_SCREEN)
from bot.core.triage_replies import CRISIS_LINE, SOMEONE_ELSE
from bot.review.transcripts import Turn

# The symptom check's answers, in the order it asks, with the nurse's label.
ANSWER_LABELS = ((PAIN_LOCATION, "Where"), (LEG_SPREAD, "Spreads to the legs"),
                 (PAIN_PATTERN, "First time or recurring"), (PAIN_DURATION, "How long"),
                 (PAIN_SEVERITY, "Severity (0-10)"), (PAIN_IMPACT, "Limits daily activities"),
                 (AGE, "Age band"), (RED_FLAG_SCREEN, "Answer to the warning-sign question"))
PATTERNS = {"first_time": "first time", "repeat": "has had it before"}
SPREAD = {"none": "no", "one": "one leg", "both": "both legs"}


@dataclass(frozen=True)
class FlagSeen:
    code: str
    plain: str  # the red flag in plain words
    words: str  # what the person wrote that raised it ("" when it came from an answer)


@dataclass
class HandoffSummary:
    code: str  # as the person was shown it, "K7Q-4MP"
    level: str
    advice: str  # what the person was told to do
    for_someone_else: bool
    at: Optional[datetime]
    channel: Optional[str]
    own_words: List[Tuple[Optional[datetime], str]] = field(default_factory=list)
    red_flags: List[FlagSeen] = field(default_factory=list)
    reasons: List[str] = field(default_factory=list)
    answers: List[Tuple[str, str]] = field(default_factory=list)
    messages_after: int = 0  # the person's messages after the handoff (in the transcript)


def age_band(age: object) -> Optional[str]:
    """Bands where the triage rules change (under 18, 50+), and 70+."""
    try:
        years = int(float(age))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if years < 18:
        return "under 18"
    if years < 50:
        return "18-49"
    return "50-69" if years < 70 else "70 or older"


def duration_words(days: object) -> Optional[str]:
    try:
        value = float(days)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if value < 1:
        return "less than a day"
    if value < 14:
        return f"{value:g} day{'s' if value != 1 else ''}"
    if value < 60:
        return f"about {round(value / 7)} weeks"
    return f"about {round(value / 30)} months"


def answer_words(slot: str, value: object) -> Optional[str]:
    """An answer as a nurse reads it, or None when there is none to show."""
    if value is None or value == "":
        return None
    if value == UNCLEAR:
        return "not clear from the answer"
    if slot == AGE:
        return age_band(value)
    if slot == PAIN_DURATION:
        return duration_words(value)
    if slot == PAIN_SEVERITY:
        return f"{float(value):g}" if isinstance(value, (int, float)) else str(value)
    if slot == PAIN_IMPACT:
        return "yes" if value else "no"
    if slot == PAIN_PATTERN:
        return PATTERNS.get(str(value), str(value))
    if slot == LEG_SPREAD:
        return SPREAD.get(str(value), str(value))
    return str(value)


def advice(level: str, line: Optional[str], for_someone_else: bool) -> str:
    them = " for them" if for_someone_else else ""
    if line == CRISIS_LINE:
        return f"Call or text {CRISIS_LINE} (Suicide & Crisis Lifeline){them} now; 911 if they might act on it."
    if level == EMERGENCY:
        return f"Call 911{them} now or go to the nearest emergency room; do not drive."
    return f"Talk to a CareLine nurse{them} today."


def _handoff_turn(turns: Sequence[Turn], code: str, at: Optional[datetime]) -> int:
    """The index of the bot turn that gave this code's call card; failing that
    (a fail-safe card is not in the transcript), the first turn after `at`."""
    for index, turn in enumerate(turns):
        if turn.handoff and reference_code.parse(turn.handoff.get("code")) == code:
            return index
    for index, turn in enumerate(turns):
        if at is not None and turn.at is not None and turn.at > at:
            return index
    return len(turns)


def build(code: str, level: str, red_flags: Sequence[str], reasons: Sequence[str],
          channel: Optional[str], at: Optional[datetime], turns: Sequence[Turn]) -> HandoffSummary:
    """The summary of the handoff given under `code` (unformatted), from the
    stored handoff's fields and the conversation's transcript turns."""
    end = _handoff_turn(turns, code, at)
    before, after = turns[:end], turns[end:]
    card = turns[end].handoff if end < len(turns) and turns[end].handoff else {}
    for_someone_else = bool(card.get("for_someone_else")) or any(
        r.startswith(SOMEONE_ELSE) for r in reasons)

    flags: List[FlagSeen] = []
    for turn in before:
        for mention in turn.red_flags:
            if mention.needs_escalation and all(f.code != mention.code or f.words != mention.text
                                                for f in flags):
                flags.append(FlagSeen(mention.code, in_plain_words(mention.code), mention.text))
    for code_ in red_flags:  # raised by an answer or a yes, not by words we kept
        if all(f.code != code_ for f in flags):
            flags.append(FlagSeen(code_, in_plain_words(code_), ""))

    latest = {}
    for turn in before:
        if turn.slot is not None:
            latest[turn.slot] = turn.value
    answers = [(label, shown) for slot, label in ANSWER_LABELS
               if (shown := answer_words(slot, latest.get(slot))) is not None]

    return HandoffSummary(
        code=reference_code.shown(code), level=level,
        advice=advice(level, card.get("line"), for_someone_else),
        for_someone_else=for_someone_else, at=at, channel=channel,
        own_words=[(t.at, t.text) for t in before if t.speaker == "user"],
        red_flags=flags, reasons=list(reasons), answers=answers,
        messages_after=sum(1 for t in after if t.speaker == "user"),
    )
