"""A red-flag mention: what the detector found in a message, as it crosses
process boundaries (Rasa server -> tracker -> action server and review
workspace) inside a Rasa entity."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional

from bot.core.levels import ESCALATING

ENTITY = "red_flag"
EXTRACTOR = "RedFlagExtractor"
CONTEXT_FLAGS = ("negated", "hypothetical", "family", "historical")


@dataclass(frozen=True)
class RedFlagMention:
    code: str
    level: str
    start: int = 0
    end: int = 0
    text: str = ""  # the words that raised it
    negated: bool = False
    hypothetical: bool = False
    family: bool = False  # about someone else
    historical: bool = False
    affirmed: bool = True  # the writer's own current (or, where history counts, past) red flag
    someone_else_now: bool = False  # another person's present sign, not a risk factor

    @property
    def escalating(self) -> bool:
        """Affirmed, and urgent or an emergency on its own."""
        return self.affirmed and self.level in ESCALATING

    @property
    def escalating_for_someone_else(self) -> bool:
        """Someone else's present sign that is urgent or an emergency: still an
        emergency, only theirs ("my husband can't feel his legs")."""
        return self.someone_else_now and self.level in ESCALATING

    @property
    def needs_escalation(self) -> bool:
        """Someone must be told to call 911 or the CareLine: the writer or for another."""
        return self.escalating or self.escalating_for_someone_else

    @property
    def why_not(self) -> str:
        """Why it does not count ("negated", "family", ...), empty when affirmed."""
        return ", ".join(flag for flag in CONTEXT_FLAGS if getattr(self, flag))

    def to_entity(self) -> Dict[str, Any]:
        return {
            "entity": ENTITY, "value": self.code, "start": self.start, "end": self.end,
            "confidence_entity": 1.0, "extractor": EXTRACTOR, "level": self.level,
            "negated": self.negated, "hypothetical": self.hypothetical, "family": self.family,
            "historical": self.historical, "affirmed": self.affirmed,
            "someone_else_now": self.someone_else_now,
        }

    @classmethod
    def from_entity(cls, entity: Mapping[str, Any], message_text: str = "") -> "RedFlagMention":
        """The mention back from a stored entity; `message_text` gives back its words."""
        start, end = entity.get("start"), entity.get("end")
        spans = isinstance(start, int) and isinstance(end, int)
        return cls(
            code=str(entity.get("value")), level=str(entity.get("level", "")),
            start=start if spans else 0, end=end if spans else 0,
            text=message_text[start:end] if spans else "",
            affirmed=bool(entity.get("affirmed")),
            someone_else_now=bool(entity.get("someone_else_now")),
            **{flag: bool(entity.get(flag)) for flag in CONTEXT_FLAGS},
        )


def is_red_flag_entity(entity: Mapping[str, Any]) -> bool:
    return entity.get("entity") == ENTITY


def entity_value(entities: Iterable[Mapping[str, Any]], name: str) -> Optional[str]:
    """The value of the first entity called `name` (`asked`, `suspected`), if any."""
    return next((e.get("value") for e in entities or [] if e.get("entity") == name), None)


def mentions_in(entities: Iterable[Mapping[str, Any]], message_text: str = "") -> List[RedFlagMention]:
    """The red-flag mentions among a message's entities."""
    return [RedFlagMention.from_entity(e, message_text) for e in entities or [] if is_red_flag_entity(e)]
