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
    category: str  # negated | hypothetical | family | historical | terminate | pseudo | self | self_past
    direction: str  # forward | forward_list | backward | both | question_start | terminate | pseudo | self | self_past
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


def in_plain_words(code: str) -> str:
    """A red-flag code as nurses read it: "Loss of bladder or bowel control"."""
    flag = red_flags().get(code)
    return re.sub(r"\s*\(.*?\)", "", flag.description) if flag else code.replace("_", " ")


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


RED_FLAG_CONCEPTS = HERE / "red_flag_concepts.yml"


@dataclass(frozen=True)
class ConceptRule:
    """A red flag read as concepts that occur together (red_flag_concepts.yml)."""
    code: str
    when: Tuple[Tuple[str, ...], ...]  # any one list; the first concept of a list is the anchor
    within: int = 8  # most other words between the concepts
    whole_sentence: bool = False  # may the concepts sit on both sides of a "but"?
    unless: Tuple[str, ...] = ()


@dataclass(frozen=True)
class PossibleNet:
    """A broad symptom word near a body site: worth a nurse's look."""
    symptoms: Tuple[str, ...]
    sites: Tuple[str, ...]
    within: int


@dataclass(frozen=True)
class Concepts:
    spellings: Dict[str, str]  # what people type -> the word it is read as
    terms: Dict[str, Tuple[str, ...]]  # concept -> its words and phrases
    rules: Tuple[ConceptRule, ...]
    possible: PossibleNet


@lru_cache(maxsize=None)
def concepts(path: Path = RED_FLAG_CONCEPTS) -> Concepts:
    data = yaml.safe_load(path.read_text())
    terms = {name: tuple(str(t) for t in words) for name, words in data["concepts"].items()}
    known_codes = set(red_flags())
    rules = []
    for code, spec in data["red_flags"].items():
        if code not in known_codes:
            raise ValueError(f"{path.name}: {code} is not a red flag in {RED_FLAG_RULES.name}")
        when = tuple(tuple(names) for names in spec["when"])
        unless = tuple(spec.get("unless", ()))
        for name in {n for names in when for n in names} | set(unless):
            if name not in terms:
                raise ValueError(f"{path.name}: {code} uses unknown concept {name!r}")
        rules.append(ConceptRule(code, when, int(spec.get("within", 8)),
                                 spec.get("clause") == "sentence", unless))
    spellings = {str(k).lower(): str(v) for k, v in data.get("spellings", {}).items()}
    net = data["possible"]
    possible = PossibleNet(tuple(map(str, net["symptoms"])), tuple(map(str, net["sites"])),
                           int(net["within"]))
    return Concepts(spellings, terms, tuple(rules), possible)
