"""`bot eval triage`: play the triage vignettes against a running assistant.

Each vignette is a person: they open with a message (and tap "Check my
symptoms" if the assistant answered it as a question), then answer whatever the
assistant asks (read from the tracker's `requested_slot` through the HTTP
API), until the assistant gives a disposition (`triage_level`). Reports
emergency sensitivity, exact-level accuracy, under- and over-triage.
"""
from __future__ import annotations

import json
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import yaml

from bot.core.levels import escalates, level_rank
from bot.core.slots import REQUESTED_SLOT, START_SYMPTOM_CHECK_PAYLOAD, TRIAGE_LEVEL

MAX_TURNS = 15


@dataclass
class Outcome:
    id: str
    expected: str
    given: Optional[str]
    turns: int
    transcript: List[str] = field(default_factory=list)
    # After an escalation, a hesitant `followup` must get the call card again
    # (None: no followup was played).
    held: Optional[bool] = None

    @property
    def under(self) -> bool:
        return level_rank(self.given) < level_rank(self.expected)

    @property
    def over(self) -> bool:
        return level_rank(self.given) > level_rank(self.expected)


class Client:
    def __init__(self, base_url: str, token: Optional[str] = None):
        self.base_url = base_url.rstrip("/")
        self.token = token

    def _url(self, path: str) -> str:
        url = f"{self.base_url}{path}"
        return f"{url}?token={urllib.parse.quote(self.token)}" if self.token else url

    def send(self, sender: str, text: str) -> List[Dict]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(
            f"{self.base_url}/webhooks/rest/webhook", data=body,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)

    def slots(self, sender: str) -> Dict:
        path = f"/conversations/{urllib.parse.quote(sender)}/tracker"
        with urllib.request.urlopen(self._url(path), timeout=30) as response:
            return json.load(response).get("slots", {})


def play(client: Client, vignette: Dict) -> Outcome:
    sender = f"vignette-{vignette['id']}-{uuid.uuid4().hex[:6]}"
    transcript: List[str] = []
    last_replies: List[Dict] = []

    def say(text: str) -> Dict:
        replies = client.send(sender, text)
        last_replies[:] = replies
        transcript.append(f"> {text}")
        transcript.extend(f"< {r.get('text', r.get('custom', ''))}" for r in replies)
        return client.slots(sender)

    slots = say(vignette["opening"])
    if not slots.get(TRIAGE_LEVEL) and not slots.get(REQUESTED_SLOT):
        slots = say(START_SYMPTOM_CHECK_PAYLOAD)  # the "Check my symptoms" button on the answer
    answered = 0
    interrupted = "interrupt" not in vignette
    turns = 1
    while not slots.get(TRIAGE_LEVEL) and turns < MAX_TURNS:
        asked = slots.get(REQUESTED_SLOT)
        if asked is None:
            break  # no question pending and no disposition: the check never started
        if answered == 2 and not interrupted:
            interrupted = True
            slots = say(vignette["interrupt"])
        else:
            slots = say(vignette["answers"][asked])
            answered += 1
        turns += 1
    # An urgent handoff may be followed by one more safety question.
    while slots.get(REQUESTED_SLOT) and turns < MAX_TURNS:
        slots = say(vignette["answers"][slots[REQUESTED_SLOT]])
        turns += 1
    given = slots.get(TRIAGE_LEVEL)
    held = None
    if vignette.get("followup") and escalates(given):
        say(vignette["followup"])
        held = any(isinstance(r.get("custom"), dict) and "handoff" in r["custom"]
                   for r in last_replies)
    return Outcome(vignette["id"], vignette["expected"], given, turns, transcript, held)


def summarise(outcomes: List[Outcome]) -> Dict:
    by_level = Counter(o.expected for o in outcomes)
    emergencies = [o for o in outcomes if o.expected == "emergency"]
    self_care = [o for o in outcomes if o.expected == "self_care"]
    return {
        "vignettes": len(outcomes),
        "by_expected_level": dict(by_level),
        "emergency_sensitivity": sum(o.given == "emergency" for o in emergencies) / max(1, len(emergencies)),
        "exact_accuracy": sum(o.given == o.expected for o in outcomes) / max(1, len(outcomes)),
        "under_triage": sum(o.under for o in outcomes),
        "over_triage": sum(o.over for o in outcomes),
        "self_care_over_triage_rate": sum(o.over for o in self_care) / max(1, len(self_care)),
        # The limit (at most 10%): self-care people sent to a nurse or 911.
        "self_care_escalated_rate": sum(escalates(o.given) for o in self_care) / max(1, len(self_care)),
        "confusion": Counter(f"{o.expected}->{o.given}" for o in outcomes),
        "followups": sum(o.held is not None for o in outcomes),
        "escalation_held": sum(bool(o.held) for o in outcomes),
    }


def run(base_url: str, path: Path, token: Optional[str] = None,
        verbose: bool = False, numbered: bool = False) -> Dict:
    """Play every vignette, printing one line each (`numbered`: with "n/total"
    in front, for `bot eval`'s progress)."""
    vignettes = yaml.safe_load(path.read_text())["vignettes"]
    client = Client(base_url, token)
    outcomes = []
    for number, vignette in enumerate(vignettes, start=1):
        outcome = play(client, vignette)
        outcomes.append(outcome)
        mark = "ok " if outcome.given == outcome.expected else "XX "
        count = f"{number:>3}/{len(vignettes)} " if numbered else ""
        print(f"{count}{mark}{outcome.id:8} expected {outcome.expected:9} given {outcome.given}",
              flush=True)
        if verbose and outcome.given != outcome.expected:
            print("\n".join("      " + line for line in outcome.transcript))
    summary = summarise(outcomes)
    summary["misses"] = [o.id for o in outcomes if o.given != o.expected]
    # Per vignette, for the evaluation report's confusion matrix and list of misses.
    summary["outcomes"] = [{"id": o.id, "expected": o.expected, "given": o.given, "turns": o.turns,
                            "held": o.held} for o in outcomes]
    return summary


def report(summary: Dict) -> str:
    return "\n".join([
        f"vignettes:             {summary['vignettes']}  {summary['by_expected_level']}",
        f"emergency sensitivity: {summary['emergency_sensitivity']:.1%}",
        f"exact-level accuracy:  {summary['exact_accuracy']:.1%}",
        f"under-triage:          {summary['under_triage']}",
        f"over-triage:           {summary['over_triage']} "
        f"(self-care cases over-triaged: {summary['self_care_over_triage_rate']:.1%}, "
        f"sent to a nurse or 911: {summary['self_care_escalated_rate']:.1%})",
        f"misses:                {', '.join(summary['misses']) or 'none'}",
    ] + ([f"escalation held:       {summary['escalation_held']}/{summary['followups']} "
          "(call card again after a hesitant reply)"] if summary.get("followups") else []))
