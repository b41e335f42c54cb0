"""Labelled messages, each the first message of a new conversation: what the
assistant's first reply did, scored against the label.

A set (tests/sets/blind/*/red_flag_phrasings.yml) lists messages with
`subject` (self | other), `status` (present, negated, hypothetical,
historical, lookalike, none), `codes`, `expect` (emergency | urgent |
no_escalation: what the first reply must do) and `own_pain` (the writer
describes their own current back pain).

What a reply did is read from the contract, not from its wording (every
reply mentions 911 as a safety net): the handoff payload's level on the call
card, the `triage_level` slot, and whether the symptom check is asking a
question (`requested_slot`).
"""
from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

import yaml

from bot.core.levels import EMERGENCY, URGENT, escalates, level_rank
from bot.core.slots import REQUESTED_SLOT, SUSPICION_PENDING, TRIAGE_LEVEL
from bot.eval.vignette_runner import Client

NO_ESCALATION = "no_escalation"


@dataclass(frozen=True)
class FirstReply:
    """What the first reply did."""
    level: Optional[str]  # the highest escalation given (call card or slot), else None
    check_started: bool   # the symptom check asked its first question (or gave a level)
    net_asked: bool = False  # the suspicion net asked its yes/no question


def read_reply(replies: Sequence[Dict], slots: Dict) -> FirstReply:
    levels = [r["custom"]["handoff"].get("level") for r in replies
              if isinstance(r.get("custom"), dict) and isinstance(r["custom"].get("handoff"), dict)]
    levels.append(slots.get(TRIAGE_LEVEL))
    escalations = [level for level in levels if escalates(level)]
    level = max(escalations, key=level_rank) if escalations else None
    return FirstReply(level, bool(slots.get(REQUESTED_SLOT) or slots.get(TRIAGE_LEVEL)),
                      bool(slots.get(SUSPICION_PENDING)))


def _rate(hits: int, total: int) -> Optional[float]:
    return hits / total if total else None


def score(cases: Sequence[Dict], replies: Sequence[FirstReply]) -> Dict:
    """The figures of issue 13's targets, with the cases behind each miss."""
    pairs = list(zip(cases, replies))

    def figure(name: str, chosen: Iterable, hit) -> Dict:
        chosen = list(chosen)
        misses = [case["id"] for case, reply in chosen if not hit(case, reply)]
        return {"name": name, "total": len(chosen), "hits": len(chosen) - len(misses),
                "rate": _rate(len(chosen) - len(misses), len(chosen)), "misses": misses}

    figures = [
        figure("own emergency told 911 in the first reply",
               ((c, r) for c, r in pairs if c["expect"] == EMERGENCY and c["subject"] == "self"),
               lambda c, r: r.level == EMERGENCY),
        figure("someone else's emergency told 911 in the first reply",
               ((c, r) for c, r in pairs if c["expect"] == EMERGENCY and c["subject"] == "other"),
               lambda c, r: r.level == EMERGENCY),
        figure("urgent escalated (CareLine or 911)",
               ((c, r) for c, r in pairs if c["expect"] == URGENT),
               lambda c, r: r.level is not None),
        figure("not under-triaged (escalations at their level or higher)",
               ((c, r) for c, r in pairs if escalates(c["expect"])),
               lambda c, r: level_rank(r.level) >= level_rank(c["expect"])),
        figure("no escalation where none is due",
               ((c, r) for c, r in pairs if c["expect"] == NO_ESCALATION),
               lambda c, r: r.level is None),
        figure("own pain without a red flag enters the symptom check",
               ((c, r) for c, r in pairs if c.get("own_pain") and c["expect"] == NO_ESCALATION),
               lambda c, r: r.check_started),
        # Per layer: what the rules escalated at once, and where they did not,
        # whether the suspicion net asked its yes/no question instead.
        figure("layer 1-2, rules: escalation due and given in the first reply",
               ((c, r) for c, r in pairs if escalates(c["expect"])),
               lambda c, r: r.level is not None),
        figure("layer 3, net: rules gave none, the net asked (escalates on yes)",
               ((c, r) for c, r in pairs if escalates(c["expect"]) and r.level is None),
               lambda c, r: r.net_asked),
        figure("layer 3, net: asked where nothing is due (the lower the better)",
               ((c, r) for c, r in pairs if c["expect"] == NO_ESCALATION),
               lambda c, r: r.net_asked),
    ]
    by_status = Counter((c["status"], c["expect"], r.level or NO_ESCALATION) for c, r in pairs)
    return {
        "messages": len(pairs),
        "figures": figures,
        "by_status": [{"status": s, "expect": e, "given": g, "count": n}
                      for (s, e, g), n in sorted(by_status.items())],
    }


def load(path: Path) -> List[Dict]:
    return yaml.safe_load(path.read_text())["phrasings"]


def run(base_url: str, path: Path, token: Optional[str] = None) -> Dict:
    """Send every message of the set to a running assistant, each in a new
    conversation, and score the first replies."""
    cases = load(path)
    client = Client(base_url, token)
    replies = []
    for case in cases:
        sender = f"first-reply-{case['id']}-{uuid.uuid4().hex[:6]}"
        answered = client.send(sender, case["text"])
        replies.append(read_reply(answered, client.slots(sender)))
    summary = score(cases, replies)
    summary["given"] = {case["id"]: {"level": reply.level, "check_started": reply.check_started,
                                     "net_asked": reply.net_asked}
                        for case, reply in zip(cases, replies)}
    return summary


def report(summary: Dict) -> str:
    lines = [f"messages: {summary['messages']}"]
    for f in summary["figures"]:
        rate = "n/a" if f["rate"] is None else f"{f['rate']:.1%}"
        lines.append(f"{f['name']:58} {f['hits']:>4}/{f['total']:<4} {rate}")
    return "\n".join(lines)
