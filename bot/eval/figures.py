"""Figures and Markdown for `bot eval`: pure functions on plain data.

bot/eval/report.py runs the evaluations, draws the plots and writes the files;
everything here takes dicts and lists and returns dicts, lists or text, so it
is tested without training a model or starting a server.
"""
from __future__ import annotations

import copy
import math
import re
from collections import Counter
from statistics import mean, median
from typing import Callable, Dict, List, Mapping, Optional, Sequence

from bot.core.levels import LEVELS, level_rank

# ---------------------------------------------------------------- NLU

# Keys of Rasa's intent_report.json that are averages, not intents.
_REPORT_TOTALS = {"accuracy", "macro avg", "weighted avg", "micro avg"}


def quick_config(config: Dict, epochs: int) -> Dict:
    """A copy of config.yml's content with DIET trained for `epochs` only."""
    quick = copy.deepcopy(config)
    diet = [c for c in quick.get("pipeline", []) if c.get("name") == "DIETClassifier"]
    if not diet:
        raise ValueError("config.yml has no DIETClassifier to shorten")
    for component in diet:
        component["epochs"] = epochs
    return quick


def diet_epochs(config: Dict) -> Optional[int]:
    for component in config.get("pipeline", []):
        if component.get("name") == "DIETClassifier":
            return component.get("epochs", 300)  # Rasa's default
    return None


def intent_rows(report: Mapping, errors: Optional[Sequence[Mapping]] = None) -> List[Dict]:
    """One row per intent from Rasa's intent_report.json, by intent name.

    `confused_with` (what the intent's examples were taken for) is counted
    from intent_errors.json when given: the report's own field only looks at
    the three biggest cells of each row, the right answer included, so it
    misses mistakes when they are spread out."""
    exact = confusions(errors) if errors is not None else {}
    return [
        {"intent": name, "precision": scores["precision"], "recall": scores["recall"],
         "f1": scores["f1-score"], "support": int(scores["support"]),
         "confused_with": exact.get(name, {}) if errors is not None
         else dict(scores.get("confused_with", {}))}
        for name, scores in sorted(report.items())
        if name not in _REPORT_TOTALS and isinstance(scores, Mapping)
    ]


def confusions(errors: Sequence[Mapping]) -> Dict[str, Dict[str, int]]:
    """intent -> {predicted intent: examples}, most frequent first, from
    Rasa's intent_errors.json (one entry per misclassified example)."""
    counts = Counter((e["intent"], e["intent_prediction"]["name"]) for e in errors)
    table: Dict[str, Dict[str, int]] = {}
    for (intent, predicted), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        table.setdefault(intent, {})[predicted] = n
    return table


def fallback_threshold(config: Dict) -> Optional[float]:
    for component in config.get("pipeline", []):
        if component.get("name") == "FallbackClassifier":
            return component.get("threshold", 0.3)  # Rasa's default
    return None


def confident_wrong(errors: Sequence[Mapping], threshold: Optional[float]) -> int:
    """Misclassified examples the assistant would have acted on: Rasa's
    cross-validation undoes the fallback, so a wrong guess at or above the
    fallback threshold is a wrong answer, one below it the fallback reply."""
    return sum(1 for e in errors
               if threshold is None or e["intent_prediction"]["confidence"] >= threshold)


def nlu_totals(report: Mapping) -> Dict:
    def avg(key: str) -> Optional[float]:
        return report[key]["f1-score"] if isinstance(report.get(key), Mapping) else None

    # scikit-learn writes "micro avg" instead of "accuracy" when some
    # predictions are not among the true intents (nlu_fallback); every true
    # intent is still a label, so its recall is the accuracy.
    micro = report.get("micro avg")
    accuracy = report.get("accuracy", micro["recall"] if isinstance(micro, Mapping) else None)
    return {"accuracy": accuracy, "macro_f1": avg("macro avg"), "weighted_f1": avg("weighted avg")}


def lowest_f1(rows: Sequence[Dict], n: int = 5) -> List[Dict]:
    return sorted(rows, key=lambda r: (r["f1"], r["intent"]))[:n]


def confused_pairs(rows: Sequence[Dict], n: int = 10) -> List[Dict]:
    """The most frequent (true intent, predicted intent) mistakes."""
    pairs = [{"intent": row["intent"], "predicted": other, "count": count}
             for row in rows for other, count in row["confused_with"].items() if count]
    return sorted(pairs, key=lambda p: (-p["count"], p["intent"], p["predicted"]))[:n]


def fold_finished(line: str) -> bool:
    """Whether a line of `rasa test nlu --cross-validation` output ends one
    fold's training (Rasa prints this once per model it trains)."""
    return "Your Rasa model is trained and saved at" in line


# ---------------------------------------------------------------- triage

NO_LEVEL = "none"  # the conversation ended without a disposition


def triage_matrix(outcomes: Sequence[Mapping]) -> Dict:
    """Expected (rows) against given (columns) level, both from lowest to
    highest, so cells left of the diagonal are under-triage and cells right of
    it over-triage. "none" (no disposition) is the lowest of all."""
    counts = Counter((o["expected"], o["given"] or NO_LEVEL) for o in outcomes)
    given = [NO_LEVEL, *LEVELS] if any(g == NO_LEVEL for _, g in counts) else list(LEVELS)
    expected = list(LEVELS)
    return {"expected": expected, "given": given,
            "counts": [[counts[(e, g)] for g in given] for e in expected]}


def triage_misses(outcomes: Sequence[Mapping]) -> List[Dict]:
    """Vignettes that got another level, the most dangerous (under-triage) first."""
    missed = [dict(o, under=level_rank(o["given"]) < level_rank(o["expected"]))
              for o in outcomes if o["given"] != o["expected"]]
    return sorted(missed, key=lambda o: (not o["under"], o["id"]))


# ---------------------------------------------------------------- readability

GRADE_LIMIT = 8.0  # the README promises replies at about a 6th-8th grade level


def response_texts(domain: Mapping) -> List[Dict]:
    """Every reply text in domain.yml, named after its response (with the
    variation number when a response has several)."""
    texts = []
    for name, variations in domain.get("responses", {}).items():
        for number, variation in enumerate(variations, start=1):
            label = name if len(variations) == 1 else f"{name}[{number}]"
            if variation.get("text"):
                texts.append({"name": label, "text": variation["text"]})
    return texts


def readability(texts: Sequence[Dict], grade: Callable[[str], float],
                limit: float = GRADE_LIMIT) -> Dict:
    grades = [dict(t, grade=round(grade(t["text"]), 1)) for t in texts]
    values = [g["grade"] for g in grades] or [0.0]
    above = sorted((g for g in grades if g["grade"] > limit), key=lambda g: (-g["grade"], g["name"]))
    return {
        "responses": len(grades), "limit": limit,
        "mean": round(mean(values), 2), "median": round(median(values), 2),
        "min": min(values), "max": max(values),
        "histogram": grade_histogram(values),
        "above_limit": above, "grades": grades,
    }


def grade_histogram(values: Sequence[float]) -> Dict[str, int]:
    """Counts per whole grade ("6" holds 6.0 to 6.9), every grade in range listed."""
    counts = Counter(math.floor(v) for v in values)
    low, high = min(counts), max(counts)
    return {str(g): counts[g] for g in range(low, high + 1)}


# ---------------------------------------------------------------- Markdown

IMAGES = {  # file names beside report.md
    "nlu_confusion": "nlu_confusion_matrix.png",
    "nlu_histogram": "nlu_confidence_histogram.png",
    "triage_confusion": "triage_confusion_matrix.png",
    "readability": "readability_grades.png",
}
LIST_LIMIT = 40  # longer lists are cut in the Markdown (summary.json has them all)


def render(summary: Mapping) -> str:
    """The whole report. `summary` is what summary.json holds."""
    nlu = summary.get("nlu", {})
    lines = []
    if nlu.get("quick") and not _failed_or_skipped(nlu):
        lines += [quick_banner(nlu), ""]
    lines += ["# Evaluation report", "", _provenance(summary.get("run", {})), "",
              *_overview(summary), ""]
    lines += _section("1. NLU cross-validation", nlu, _nlu_body)
    lines += _section("2. Intents on the held-out and blind sets", summary.get("intents", {}),
                      _intents_body)
    lines += _section("3. Red-flag detector", summary.get("red_flags", {}), _red_flag_body)
    lines += _section("4. Triage vignettes", summary.get("triage", {}), _triage_body)
    lines += _section("5. Readability of the replies", summary.get("readability", {}),
                      _readability_body)
    return "\n".join(lines).rstrip() + "\n"


def quick_banner(nlu: Mapping) -> str:
    return (f"**Quick smoke run (`bot eval --quick`): the NLU cross-validation used "
            f"{nlu['folds']} folds and DIET trained for {nlu['epochs']} epochs instead of "
            f"{nlu['config_epochs']}, so its NLU figures are not the model's real quality "
            f"(run `make eval` for those). The other sections are real.**")


def _provenance(run: Mapping) -> str:
    commit = run.get("commit") or "unknown commit"
    if run.get("dirty"):
        commit += " with uncommitted changes"
    return (f"Made by `{run.get('command', 'bot eval')}` on {run.get('finished', '?')} UTC "
            f"from {commit}, in {duration(run.get('seconds'))}. "
            f"Every figure is also in [summary.json](summary.json).")


def _overview(summary: Mapping) -> List[str]:
    rows = [("NLU cross-validation", summary.get("nlu", {}), _nlu_headline),
            ("Intents, held-out and blind sets", summary.get("intents", {}), _intents_headline),
            ("Red-flag detector", summary.get("red_flags", {}), _red_flag_headline),
            ("Triage vignettes", summary.get("triage", {}), _triage_headline),
            ("Readability", summary.get("readability", {}), _readability_headline)]
    lines = ["| part | result |", "|---|---|"]
    for title, part, headline in rows:
        lines.append(f"| {title} | {_failed_or_skipped(part) or headline(part)} |")
    return lines


def _failed_or_skipped(part: Mapping) -> Optional[str]:
    if part.get("error"):
        return f"could not run: {_md(part['error'])}"
    if part.get("skipped"):
        return f"skipped ({_md(part['skipped'])})"
    if not part:
        return "not run"
    return None


def _section(title: str, part: Mapping, body: Callable[[Mapping], List[str]]) -> List[str]:
    problem = _failed_or_skipped(part)
    text = [problem[0].upper() + problem[1:] + "."] if problem else body(part)
    return [f"## {title}", "", *text, ""]


def _nlu_headline(nlu: Mapping) -> str:
    quick = " (quick smoke run: not the real quality)" if nlu.get("quick") else ""
    return (f"accuracy {percent(nlu['accuracy'])}, macro F1 {_num(nlu['macro_f1'])}, "
            f"confident wrong {percent(nlu.get('confident_wrong_rate'))} over "
            f"{len(nlu['intents'])} intents, {nlu['folds']} folds{quick}")


def _nlu_body(nlu: Mapping) -> List[str]:
    examples = sum(r["support"] for r in nlu["intents"])
    lines = [
        f"`{nlu['command']}`: {nlu['folds']}-fold cross-validation on the {examples} examples "
        f"of `data/nlu/` ({len(nlu['intents'])} intents). Each example is classified by a model "
        f"trained without it, with the whole pipeline (DIET {nlu['epochs']} epochs), so the "
        f"red-flag extractor's `report_red_flag` override counts as it does in production. "
        f"Rasa's evaluation undoes `nlu_fallback` (config.yml's FallbackClassifier), so an "
        f"unsure wrong guess counts as wrong here even though the assistant would have "
        f"answered it with the fallback reply (topics and the CareLine).",
        "",
        f"- accuracy: **{percent(nlu['accuracy'])}**",
        f"- macro F1: **{_num(nlu['macro_f1'])}** (weighted F1 {_num(nlu['weighted_f1'])})",
        f"- confident wrong: **{percent(nlu.get('confident_wrong_rate'))}** (a wrong intent at "
        f"or above the fallback threshold {nlu.get('fallback_threshold')}, which the assistant "
        f"would have answered)",
        "",
        "Lowest F1:",
        "",
        "| intent | F1 | precision | recall | support | most often taken for |",
        "|---|---|---|---|---|---|",
    ]
    for row in nlu["lowest_f1"]:
        taken = ", ".join(f"{k} ({v})" for k, v in _top(row["confused_with"], 2)) or "-"
        lines.append(f"| {row['intent']} | {_num(row['f1'])} | {_num(row['precision'])} | "
                     f"{_num(row['recall'])} | {row['support']} | {taken} |")
    lines += ["", "Most confused pairs (true intent, classified as):", ""]
    if nlu["confused_pairs"]:
        lines += ["| intent | classified as | examples |", "|---|---|---|"]
        lines += [f"| {p['intent']} | {p['predicted']} | {p['count']} |"
                  for p in nlu["confused_pairs"]]
    else:
        lines.append("None: every example got its own intent.")
    lines.append("")
    if "nlu_confusion" in nlu.get("images", ()):
        lines += [f"![Intent confusion matrix]({IMAGES['nlu_confusion']})", ""]
    if "nlu_histogram" in nlu.get("images", ()):
        lines += ["How sure the classifier was of its right (left) and wrong (right) guesses:",
                  "", f"![Prediction confidence]({IMAGES['nlu_histogram']})", ""]
    lines += ["Every intent:", "",
              "| intent | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    lines += [f"| {r['intent']} | {_num(r['precision'])} | {_num(r['recall'])} | "
              f"{_num(r['f1'])} | {r['support']} |" for r in nlu["intents"]]
    lines += ["", "Rasa's own output, with every misclassified example in "
              "`intent_errors.json`, is in [nlu/](nlu/)."]
    return lines


def _intents_headline(part: Mapping) -> str:
    return "; ".join(f"{s['path']} {percent(s['accuracy'])}" for s in part["sets"])


def _intents_body(part: Mapping) -> List[str]:
    lines = [
        f"The model `make run` uses (`{part['model']}`), trained on all of `data/nlu/`, on "
        "labelled sets it never trained on, scored as a patient meets it: `nlu_fallback` "
        "(the topics-and-CareLine reply) counts as wrong but not as a confident wrong answer. "
        "The held-out set shaped the training data, so its figure is a development figure; "
        "a blind batch's headline figure is its first run (its FIRST_RUN.md), and a batch "
        "that has since been used for development gives a development figure too "
        "(tests/sets/README.md says which).",
        "",
        "| set | examples | accuracy | macro F1 | confident wrong | fallback | lowest F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in part["sets"]:
        weak = ", ".join(f"{i['intent']} {_num(i['f1'])}"
                         for i in sorted(s["per_intent"], key=lambda i: i["f1"])[:3])
        lines.append(f"| `{s['path']}` | {s['messages']} | {percent(s['accuracy'])} | "
                     f"{_num(s['macro_f1'])} | {percent(s['confident_wrong_rate'])} | "
                     f"{percent(s['fallback_rate'])} | {weak} |")
    return lines


def _red_flag_headline(rf: Mapping) -> str:
    return (f"recall {percent(rf['recall'])} ({rf['positives_caught']}/{rf['positives']} positives), "
            f"traps left unflagged {percent(rf['trap_precision'])} "
            f"({rf['traps_unflagged']}/{rf['traps']})")


def _red_flag_body(rf: Mapping) -> List[str]:
    lines = [
        f"The {rf['positives'] + rf['traps']} labelled phrasings of "
        f"`tests/sets/red_flag_phrasings.yml`, each run alone through the detector "
        f"(`bot/nlu/red_flag_detector.py`), counted as `tests/nlu/test_red_flag_detector.py` counts them:",
        "",
        f"- recall: **{percent(rf['recall'])}**, {rf['positives_caught']} of {rf['positives']} "
        f"positives had every labelled code affirmed (the test requires 100%);",
        f"- trap precision: **{percent(rf['trap_precision'])}**, {rf['traps_unflagged']} of "
        f"{rf['traps']} traps (negation, family, hypothetical, history, lookalike words) raised "
        f"no red flag (the test requires 95%).",
        "",
        "Per code: a false alarm is the code affirmed on a trap, or on a message whose "
        "`not_codes` lists it (the negated half of a mixed message).",
        "",
        "| code | positives | caught | recall | false alarms | precision |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {c['code']} | {c['positives']} | {c['caught']} | {percent(c['recall'])} | "
              f"{c['false_alarms']} | {percent(c['precision'])} |" for c in rf["per_code"]]
    lines += ["", "Per kind of trap:", "", "| kind | traps | flagged | left unflagged |",
              "|---|---|---|---|"]
    lines += [f"| {k['kind']} | {k['traps']} | {k['flagged']} | {percent(k['unflagged_rate'])} |"
              for k in rf["per_kind"]]
    lines += ["", f"Misses ({len(rf['misses'])}):", ""]
    lines += _listing([f'"{_md(m["text"])}": missed {", ".join(m["codes"])}' for m in rf["misses"]])
    lines += ["", f"False alarms ({len(rf['false_alarms'])}):", ""]
    lines += _listing([f'"{_md(f["text"])}" ({f["kind"]}): flagged {", ".join(f["codes"])}'
                       for f in rf["false_alarms"]])
    return lines


def _triage_headline(tr: Mapping) -> str:
    return (f"emergency sensitivity {percent(tr['emergency_sensitivity'])}, exact level "
            f"{percent(tr['exact_accuracy'])}, under-triage {tr['under_triage']}, "
            f"over-triage {tr['over_triage']} ({tr['vignettes']} vignettes)")


def _triage_body(tr: Mapping) -> List[str]:
    levels = ", ".join(f"{n} {level}" for level, n in tr["by_expected_level"].items())
    lines = [
        f"The {tr['vignettes']} vignettes of `tests/sets/vignettes.yml` ({levels}) played "
        f"over REST against {tr['server']}, as `bot eval triage` plays them.",
        "",
        f"- emergency sensitivity: **{percent(tr['emergency_sensitivity'])}** "
        f"(emergencies told to call 911)",
        f"- exact level: **{percent(tr['exact_accuracy'])}**",
        f"- under-triage: **{tr['under_triage']}** (given a lower level than expected, or none)",
        f"- over-triage: **{tr['over_triage']}** (self-care cases over-triaged: "
        f"{percent(tr['self_care_over_triage_rate'])})",
        "",
        "Expected level (rows) against the level given (columns); left of the diagonal is "
        "under-triage, right of it over-triage:",
        "",
        *_matrix_table(tr["matrix"]),
        "",
        f"![Triage confusion matrix]({IMAGES['triage_confusion']})",
        "",
        f"Vignettes given another level ({len(tr['missed'])}):",
        "",
    ]
    lines += _listing([f"{m['id']}: expected {m['expected']}, given {m['given'] or NO_LEVEL}"
                       + (" (**under-triage**)" if m["under"] else "") for m in tr["missed"]])
    return lines


def _matrix_table(matrix: Mapping) -> List[str]:
    lines = ["| expected \\ given | " + " | ".join(matrix["given"]) + " |",
             "|---" * (len(matrix["given"]) + 1) + "|"]
    for level, row in zip(matrix["expected"], matrix["counts"]):
        cells = [f"**{n}**" if given == level and n else str(n)
                 for given, n in zip(matrix["given"], row)]
        lines.append(f"| {level} | " + " | ".join(cells) + " |")
    return lines


def _readability_headline(rd: Mapping) -> str:
    return (f"mean grade {rd['mean']:.1f} (Flesch-Kincaid), {len(rd['above_limit'])} of "
            f"{rd['responses']} replies above grade {rd['limit']:g}")


def _readability_body(rd: Mapping) -> List[str]:
    lines = [
        f"Flesch-Kincaid grade (`bot/eval/readability.py`) of the {rd['responses']} reply texts "
        f"in `domain.yml`; phone numbers and URLs are left out of the count.",
        "",
        f"- mean **{rd['mean']:.1f}**, median {rd['median']:.1f}, lowest {rd['min']:.1f}, "
        f"highest {rd['max']:.1f}"
        + (" (the formula gives less than 0 for very short replies)" if rd["min"] < 0 else ""),
        f"- above grade {rd['limit']:g}: **{len(rd['above_limit'])}** "
        f"(the content test allows none above 9 and a mean of at most 8)",
        "",
        f"![Reading grade of the replies]({IMAGES['readability']})",
        "",
    ]
    if rd["above_limit"]:
        lines += ["| response | grade | text |", "|---|---|---|"]
        lines += [f"| {g['name']} | {g['grade']:.1f} | {_md(_shorten(g['text']))} |"
                  for g in rd["above_limit"]]
    else:
        lines.append(f"No reply is above grade {rd['limit']:g}.")
    return lines


# ---------------------------------------------------------------- formatting

def _listing(items: Sequence[str]) -> List[str]:
    if not items:
        return ["None."]
    shown = [f"- {item}" for item in items[:LIST_LIMIT]]
    if len(items) > LIST_LIMIT:
        shown.append(f"- ... and {len(items) - LIST_LIMIT} more (all in summary.json)")
    return shown


def _top(counts: Mapping[str, int], n: int) -> List:
    return sorted(((k, v) for k, v in counts.items() if v), key=lambda kv: (-kv[1], kv[0]))[:n]


def percent(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _num(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def duration(seconds: Optional[float]) -> str:
    if seconds is None:
        return "?"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def _shorten(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(text: str) -> str:
    """Patients' words as plain text: no accidental emphasis, links or table cells."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
