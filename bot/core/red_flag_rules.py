"""Load the red-flag rules and context rules that clinicians maintain as YAML."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from bot.core.levels import RED_FLAG_LEVELS

HERE = Path(__file__).resolve().parent
RED_FLAG_RULES = HERE / "red_flag_rules.yml"
CONTEXT_RULES = HERE / "context_rules.yml"

_SHORTHAND = re.compile(r"<([A-Z][A-Z0-9_]*)>")


@dataclass(frozen=True)
class RedFlag:
    code: str
    description: str
    level: str
    patterns: Tuple[str, ...]
    examples: Tuple[str, ...]
    history_counts: bool = False
    risk_factor: bool = False  # matters only for the person who has it, never for a relative


@dataclass(frozen=True)
class ContextPattern:
    category: str  # negated | hypothetical | family | historical | terminate | pseudo | self
    direction: str  # forward | backward | both | question_start | terminate | pseudo | self
    pattern: str
    max_scope: int | None
    ends: Tuple[str, ...] = ()  # for `self`: the categories it ends


def _expand(pattern: str, shorthands: Dict[str, str]) -> str:
    if not isinstance(pattern, str):
        # YAML reads "(?: x" as a mapping; write "(?:\\sx" instead.
        raise ValueError(f"pattern is not text (quote it in the YAML): {pattern!r}")
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in shorthands:
            raise ValueError(f"unknown shorthand <{name}> in {pattern!r}")
        return shorthands[name]

    return whole_words(_SHORTHAND.sub(replace, pattern))


def whole_words(pattern: str) -> str:
    """Match only whole words: "no" must not fire inside "now", "sis" inside
    "osteoporosis". Fails at load time if the pattern is not a valid regex."""
    bounded = rf"(?<![\w'])(?:{pattern})(?![\w'])"
    re.compile(bounded)
    return bounded


@lru_cache(maxsize=None)
def red_flags(path: Path = RED_FLAG_RULES) -> Dict[str, RedFlag]:
    data = yaml.safe_load(path.read_text())
    shorthands = data.get("shorthands", {})
    flags = {}
    for code, spec in data["red_flags"].items():
        if spec["level"] not in RED_FLAG_LEVELS:
            raise ValueError(f"{code}: unknown level {spec['level']!r}")
        flags[code] = RedFlag(
            code=code,
            description=spec["description"],
            level=spec["level"],
            patterns=tuple(_expand(p, shorthands) for p in spec["patterns"]),
            examples=tuple(spec.get("examples", [])),
            history_counts=bool(spec.get("history_counts", False)),
            risk_factor=bool(spec.get("risk_factor", False)),
        )
    return flags


@lru_cache(maxsize=None)
def context_patterns(path: Path = CONTEXT_RULES) -> List[ContextPattern]:
    data = yaml.safe_load(path.read_text())
    out = []
    for category, spec in data.items():
        # terminate, pseudo and self have one block; the others one per direction.
        blocks = {category: spec} if "patterns" in spec else spec
        for direction, block in blocks.items():
            for pattern in block["patterns"]:
                if not isinstance(pattern, str):
                    raise ValueError(f"context pattern is not text: {pattern!r}")
                out.append(ContextPattern(
                    category, direction, whole_words(pattern), block.get("max_scope"),
                    tuple(block.get("ends", ())),
                ))
    return out
