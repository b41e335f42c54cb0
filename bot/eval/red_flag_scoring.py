"""The labelled red-flag phrasings and how the detector is scored on them.

One place for the counting rules written at the top of
tests/sets/red_flag_phrasings.yml, shared by tests/nlu/test_red_flag_detector.py (which
asserts on them) and `bot eval` (which reports them):

- a positive is caught when every code in `codes` is affirmed; codes in
  `not_codes` must not be affirmed; any other code is not scored;
- a trap must have no affirmed code at all.

The detector is a parameter (text -> affirmed codes) so the counting can be
checked with a fake one, without loading spaCy.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import yaml

Detector = Callable[[str], Iterable[str]]


def load_phrasings(path: Path) -> Dict[str, List[Dict]]:
    return yaml.safe_load(path.read_text())


def _detector(affirmed: Optional[Detector]) -> Detector:
    if affirmed is not None:
        return affirmed
    # Imported here: it loads spaCy and medspaCy, which callers with their own
    # detector do not need.
    from bot.nlu.red_flag_detector import affirmed_codes

    return affirmed_codes


def missed_positives(positives: Sequence[Dict], affirmed: Optional[Detector] = None
                     ) -> List[Tuple[str, List[str]]]:
    """(text, labelled codes not affirmed) for each positive not fully caught."""
    affirmed = _detector(affirmed)
    missed = []
    for case in positives:
        found = set(affirmed(case["text"]))
        if not set(case["codes"]) <= found:
            missed.append((case["text"], sorted(set(case["codes"]) - found)))
    return missed


def wrongly_affirmed(positives: Sequence[Dict], affirmed: Optional[Detector] = None
                     ) -> List[Tuple[str, List[str]]]:
    """(text, codes) where a `not_codes` code (the negated or family half of a
    mixed message) was affirmed anyway."""
    affirmed = _detector(affirmed)
    wrong = []
    for case in positives:
        extra = set(case.get("not_codes", [])) & set(affirmed(case["text"]))
        if extra:
            wrong.append((case["text"], sorted(extra)))
    return wrong


def flagged_traps(traps: Sequence[Dict], affirmed: Optional[Detector] = None
                  ) -> List[Tuple[str, str, List[str]]]:
    """(kind, text, affirmed codes) for each trap that raised a red flag."""
    affirmed = _detector(affirmed)
    flagged = [(c["kind"], c["text"], list(affirmed(c["text"]))) for c in traps]
    return [f for f in flagged if f[2]]


def score(phrasings: Dict[str, List[Dict]], affirmed: Optional[Detector] = None) -> Dict:
    """Every figure the evaluation report shows, as plain data (JSON-ready)."""
    affirmed = _detector(affirmed)
    positives, traps = phrasings["positives"], phrasings["traps"]
    # The detector is the slow part: run it once per text.
    found = {case["text"]: list(affirmed(case["text"])) for case in [*positives, *traps]}
    cached = found.__getitem__
    missed = missed_positives(positives, cached)
    wrong = wrongly_affirmed(positives, cached)
    flagged = flagged_traps(traps, cached)
    return {
        "positives": len(positives),
        "positives_caught": len(positives) - len(missed),
        "recall": _ratio(len(positives) - len(missed), len(positives)),
        "traps": len(traps),
        "traps_unflagged": len(traps) - len(flagged),
        # What tests/nlu/test_red_flag_detector.py calls trap precision: traps left alone.
        "trap_precision": _ratio(len(traps) - len(flagged), len(traps)),
        "per_code": per_code(positives, flagged, wrong, cached),
        "per_kind": per_kind(traps, flagged),
        "misses": [{"text": text, "codes": codes} for text, codes in missed],
        "false_alarms": (
            [{"text": text, "kind": kind, "codes": codes} for kind, text, codes in flagged]
            + [{"text": text, "kind": "not_codes", "codes": codes} for text, codes in wrong]
        ),
    }


def per_code(positives: Sequence[Dict], flagged: Sequence[Tuple[str, str, List[str]]],
             wrong: Sequence[Tuple[str, List[str]]], affirmed: Detector) -> List[Dict]:
    """Recall and precision per code. A false alarm for a code is that code
    affirmed on a trap or listed in a positive's `not_codes`; codes affirmed on
    a positive without being labelled either way are not scored."""
    labelled: Counter = Counter()
    caught: Counter = Counter()
    for case in positives:
        found = set(affirmed(case["text"]))
        for code in case["codes"]:
            labelled[code] += 1
            caught[code] += code in found
    false: Counter = Counter(code for _, _, codes in flagged for code in codes)
    false.update(code for _, codes in wrong for code in codes)
    return [
        {"code": code, "positives": labelled[code], "caught": caught[code],
         "recall": _ratio(caught[code], labelled[code]), "false_alarms": false[code],
         "precision": _ratio(caught[code], caught[code] + false[code])}
        for code in sorted(set(labelled) | set(false))
    ]


def per_kind(traps: Sequence[Dict], flagged: Sequence[Tuple[str, str, List[str]]]) -> List[Dict]:
    """How often each kind of trap (negation, family, ...) raised a flag."""
    total = Counter(case["kind"] for case in traps)
    raised = Counter(kind for kind, _, _ in flagged)
    return [{"kind": kind, "traps": total[kind], "flagged": raised[kind],
             "unflagged_rate": _ratio(total[kind] - raised[kind], total[kind])}
            for kind in sorted(total)]


def _ratio(part: int, whole: int) -> Optional[float]:
    return part / whole if whole else None
