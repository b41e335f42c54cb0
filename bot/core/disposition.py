"""The disposition engine: red flags and risk combinations -> one of four levels.

Pure Python (no Rasa). The rule table below is the single place where the
assistant decides how urgent something is; every decision lists its reasons.

| level     | when (any one is enough)                                                       |
|-----------|--------------------------------------------------------------------------------|
| emergency | cauda equina signs (bladder/bowel loss, can't urinate, saddle numbness, new    |
|           | sexual dysfunction); both legs weak or numb; chest pain, breathing trouble,    |
|           | pain into arm or jaw, heavy sweating or fainting; sudden tearing pain;         |
|           | self-harm; trauma together with any leg weakness or cauda equina sign          |
| urgent    | fever or chills; IV drug use; weakened immune system; recent infection;        |
|           | cancer now or in the past; unexplained weight loss; night pain not eased by    |
|           | lying down; one leg weak or getting weaker (foot drop, trouble walking);       |
|           | a significant injury (fall, crash); urinary symptoms with fever; a "yes" to  |
|           | the warning-sign question that stays unclear after asking which              |
| routine   | pain for 3 weeks or more; persistent pain; repeat pain that limits work,       |
|           | sleep or daily life; pain into one or both legs without weakness (sciatica);   |
|           | numbness in arms or hands; osteoporosis or long-term steroids (no injury);     |
|           | urinary symptoms without fever; age 50+ with first-time pain; age under 18;    |
|           | an unread answer that could have raised it (pattern, duration, age, impact)    |
| self_care | everything else: new or repeat pain under 3 weeks, no red flags                |

The highest level wins; ties keep every reason at that level.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, FrozenSet, Iterable, List, Optional, Tuple

from bot.core.levels import EMERGENCY, LEVELS, ROUTINE, SELF_CARE, URGENT, escalates
from bot.core.red_flag_rules import red_flags
from bot.core.slots import AGE, PAIN_DURATION, PAIN_IMPACT, PAIN_PATTERN

CAUDA_EQUINA = frozenset({"bladder_bowel_loss", "urinary_retention", "saddle_numbness",
                          "sexual_dysfunction"})
NERVE_SIGNS = CAUDA_EQUINA | {"leg_weakness", "leg_weakness_bilateral"}
LONG_PAIN_DAYS = 21
# The symptom-check answers that can raise self-care to a routine visit.
DECIDING_ANSWERS = frozenset({PAIN_PATTERN, PAIN_DURATION, AGE, PAIN_IMPACT})


@dataclass(frozen=True)
class Facts:
    """What the person told us. Unknown values are None."""
    red_flags: FrozenSet[str] = frozenset()
    age: Optional[int] = None
    pattern: Optional[str] = None  # first_time | repeat | persistent
    duration_days: Optional[int] = None
    severity: Optional[int] = None
    limits_activity: Optional[bool] = None
    leg_spread: Optional[str] = None  # none | one | both
    location: Optional[str] = None
    unclear: FrozenSet[str] = frozenset()  # questions whose answer could not be read


@dataclass(frozen=True)
class Disposition:
    level: str
    reasons: Tuple[str, ...] = field(default_factory=tuple)
    red_flags: Tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_escalation(self) -> bool:
        return escalates(self.level)


Rule = Tuple[str, Callable[[Facts], Iterable[str]]]


def _flags_at(level: str) -> Callable[[Facts], List[str]]:
    def check(facts: Facts) -> List[str]:
        table = red_flags()
        return [table[c].description for c in sorted(facts.red_flags)
                if c in table and table[c].level == level]
    return check


def _when(condition: Callable[[Facts], bool], reason: str) -> Callable[[Facts], List[str]]:
    return lambda facts: [reason] if condition(facts) else []


RULES: Tuple[Rule, ...] = (
    (EMERGENCY, _flags_at(EMERGENCY)),
    (EMERGENCY, _when(lambda f: "trauma" in f.red_flags and bool(f.red_flags & NERVE_SIGNS),
                        "Injury together with leg weakness or nerve signs")),
    (URGENT, _flags_at(URGENT)),
    (URGENT, _when(lambda f: "urinary_symptoms" in f.red_flags and "fever" in f.red_flags,
                     "Urinary symptoms with fever")),
    (URGENT, _when(lambda f: "screen_unclear" in f.red_flags,
                     "Said yes to a warning sign but we could not tell which")),
    (ROUTINE, _when(lambda f: (f.duration_days or 0) >= LONG_PAIN_DAYS,
                      "Pain for 3 weeks or more")),
    (ROUTINE, _when(lambda f: f.pattern == "persistent", "Pain all the time (persistent)")),
    (ROUTINE, _when(lambda f: f.pattern == "repeat" and bool(f.limits_activity),
                      "Repeat pain that limits work, sleep or daily life")),
    (ROUTINE, _when(lambda f: f.leg_spread in ("one", "both")
                      and not f.red_flags & {"leg_weakness", "leg_weakness_bilateral"},
                      "Pain going into the leg (sciatica) without weakness")),
    (ROUTINE, _flags_at(ROUTINE)),
    (ROUTINE, _when(lambda f: bool(f.red_flags & {"osteoporosis", "steroid_use"})
                      and "trauma" not in f.red_flags,
                      "Osteoporosis or long-term steroids")),
    (ROUTINE, _when(lambda f: f.age is not None and f.age >= 50 and f.pattern == "first_time",
                      "Age 50 or over with first-time back pain")),
    (ROUTINE, _when(lambda f: f.age is not None and f.age < 18, "Under 18 with back pain")),
    # Without the answer we cannot rule out what would need a visit (pain for
    # weeks, all the time, age 50+, limits daily life); severity and location
    # never change the level on their own.
    (ROUTINE, _when(lambda f: bool(f.unclear & DECIDING_ANSWERS), "Some answers were unclear")),
)


def decide(facts: Facts) -> Disposition:
    """The highest level any rule reaches, with every reason at that level."""
    found = {level: [] for level in LEVELS}
    for level, rule in RULES:
        for reason in rule(facts):
            if reason not in found[level]:
                found[level].append(reason)
    for level in reversed(LEVELS):
        if found[level]:
            return Disposition(level, tuple(found[level]), tuple(sorted(facts.red_flags)))
    return Disposition(
        SELF_CARE, ("New or repeat back pain without red flags",), tuple(sorted(facts.red_flags))
    )
