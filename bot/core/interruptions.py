"""Questions asked in the middle of the symptom check.

Every question the assistant answers outside the check is answered inside it
too, after which the check asks its pending question again. The answer rules
in data/rules/ are the one source: scripts/make_generated_rules.py writes
data/rules/interruptions.yml from them, and the symptom form reads them so it
never takes such a question for an answer.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, FrozenSet, Iterator, Tuple

import yaml

from bot import PROJECT_ROOT
from bot.core.slots import STOP

RULES_DIR = PROJECT_ROOT / "data" / "rules"
# The rule files whose rules answer a question (each rule: intent -> responses).
ANSWER_RULE_FILES = ("chitchat", "contacts", "myths", "pain_types", "self_care", "exercises",
                     "treatments", "symptoms")
# Ends the conversation instead; see data/rules/symptom_check.yml.
NOT_RESUMED = frozenset({"goodbye"})


def answer_rules(rules_dir: Path = RULES_DIR) -> Iterator[Tuple[str, Dict]]:
    """(intent, rule) for every answer rule, in file order."""
    for name in ANSWER_RULE_FILES:
        for rule in yaml.safe_load((rules_dir / f"{name}.yml").read_text())["rules"]:
            yield rule["steps"][0]["intent"], rule


def not_answers(rules_dir: Path = RULES_DIR) -> FrozenSet[str]:
    """Intents that are questions or requests, never an answer to the check's
    question: every answered question, and `stop`."""
    return frozenset(intent for intent, _ in answer_rules(rules_dir)) | {STOP}


def answer_actions(rules_dir: Path = RULES_DIR) -> Dict[str, Tuple[str, ...]]:
    """intent -> the actions (mostly responses) that answer it."""
    return {intent: tuple(step["action"] for step in rule["steps"][1:])
            for intent, rule in answer_rules(rules_dir)}
