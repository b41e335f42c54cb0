"""`bot eval`'s report, from small fake inputs: no training, no server, no spaCy."""
import json

import pytest

from bot import cli
from bot.eval import figures as eval_figures
from bot.eval import intent_scoring, red_flag_scoring
from bot.eval import report as eval_report
from bot.eval.readability import grade_level

FAKE_INTENT_REPORT = {
    "greet": {"precision": 1.0, "recall": 0.9, "f1-score": 0.947, "support": 10,
              "confused_with": {"goodbye": 1}},
    "goodbye": {"precision": 0.8, "recall": 1.0, "f1-score": 0.889, "support": 8,
                "confused_with": {}},
    "ask_mri": {"precision": 0.75, "recall": 0.5, "f1-score": 0.6, "support": 6,
                "confused_with": {"greet": 2, "nlu_fallback": 1}},
    "accuracy": 0.875,
    "macro avg": {"precision": 0.85, "recall": 0.8, "f1-score": 0.812, "support": 24},
    "weighted avg": {"precision": 0.87, "recall": 0.875, "f1-score": 0.86, "support": 24},
}


def test_rasa_intent_report_becomes_one_row_per_intent(tmp_path):
    path = tmp_path / "intent_report.json"
    path.write_text(json.dumps(FAKE_INTENT_REPORT))
    report = json.loads(path.read_text())

    rows = eval_figures.intent_rows(report)

    assert [r["intent"] for r in rows] == ["ask_mri", "goodbye", "greet"]
    assert rows[0] == {"intent": "ask_mri", "precision": 0.75, "recall": 0.5, "f1": 0.6,
                       "support": 6, "confused_with": {"greet": 2, "nlu_fallback": 1}}
    assert eval_figures.nlu_totals(report) == {"accuracy": 0.875, "macro_f1": 0.812,
                                               "weighted_f1": 0.86}
    assert [r["intent"] for r in eval_figures.lowest_f1(rows, 2)] == ["ask_mri", "goodbye"]
    assert eval_figures.confused_pairs(rows) == [
        {"intent": "ask_mri", "predicted": "greet", "count": 2},
        {"intent": "ask_mri", "predicted": "nlu_fallback", "count": 1},
        {"intent": "greet", "predicted": "goodbye", "count": 1},
    ]


def test_confusions_are_counted_from_every_misclassified_example_when_rasa_wrote_them():
    errors = [{"text": t, "intent": intent, "intent_prediction": {"name": predicted, "confidence": 0.3}}
              for t, intent, predicted in [("a", "ask_mri", "greet"), ("b", "ask_mri", "goodbye"),
                                           ("c", "ask_mri", "goodbye"), ("d", "greet", "goodbye")]]
    rows = {r["intent"]: r for r in eval_figures.intent_rows(FAKE_INTENT_REPORT, errors)}

    assert rows["ask_mri"]["confused_with"] == {"goodbye": 2, "greet": 1}
    assert list(rows["ask_mri"]["confused_with"]) == ["goodbye", "greet"]  # most frequent first
    assert rows["goodbye"]["confused_with"] == {}
    assert eval_figures.confused_pairs(list(rows.values()), 2) == [
        {"intent": "ask_mri", "predicted": "goodbye", "count": 2},
        {"intent": "ask_mri", "predicted": "greet", "count": 1},
    ]


def test_confident_wrong_counts_wrong_guesses_at_or_above_the_fallback_threshold():
    errors = [{"intent": "a", "intent_prediction": {"name": "b", "confidence": c}}
              for c in (0.2, 0.39, 0.4, 0.95)]
    config = {"pipeline": [{"name": "DIETClassifier"}, {"name": "FallbackClassifier", "threshold": 0.4}]}
    threshold = eval_figures.fallback_threshold(config)
    assert threshold == 0.4
    assert eval_figures.confident_wrong(errors, threshold) == 2
    assert eval_figures.confident_wrong(errors, None) == 4  # no fallback: every guess is acted on


def test_accuracy_is_read_from_micro_avg_when_rasa_writes_that_instead():
    report = {k: v for k, v in FAKE_INTENT_REPORT.items() if k != "accuracy"}
    report["micro avg"] = {"precision": 0.9, "recall": 0.875, "f1-score": 0.887, "support": 24}
    assert eval_figures.nlu_totals(report)["accuracy"] == 0.875


def test_quick_config_shortens_diet_on_a_copy():
    config = {"pipeline": [{"name": "WhitespaceTokenizer"},
                           {"name": "DIETClassifier", "epochs": 100}]}
    quick = eval_figures.quick_config(config, 5)
    assert quick["pipeline"][1]["epochs"] == 5 and config["pipeline"][1]["epochs"] == 100
    assert eval_figures.diet_epochs(config) == 100
    with pytest.raises(ValueError):
        eval_figures.quick_config({"pipeline": [{"name": "WhitespaceTokenizer"}]}, 5)


def test_a_fold_is_counted_from_rasas_output_line():
    line = "\x1b[92mYour Rasa model is trained and saved at '/tmp/x/nlu-1.tar.gz'.\x1b[0m\n"
    assert eval_figures.fold_finished(line)
    assert not eval_figures.fold_finished("Epochs: 100%|##########| 5/5\n")


TINY_SET = {
    "positives": [
        {"text": "i wet myself", "codes": ["bladder_bowel_loss"]},
        {"text": "cant feel my legs and fever", "codes": ["leg_weakness_bilateral", "fever"]},
        {"text": "no fever but i cant pee", "codes": ["urinary_retention"], "not_codes": ["fever"]},
    ],
    "traps": [
        {"text": "my dad had cancer", "kind": "family"},
        {"text": "no fever", "kind": "negation"},
        {"text": "this pain is killing me", "kind": "lookalike"},
    ],
}
FAKE_DETECTOR = {  # what a (made-up) detector affirms in each text
    "i wet myself": ["bladder_bowel_loss"],
    "cant feel my legs and fever": ["fever"],
    "no fever but i cant pee": ["fever", "urinary_retention"],
    "my dad had cancer": ["cancer_history"],
    "no fever": [],
    "this pain is killing me": [],
}


def test_red_flag_figures_on_a_tiny_labelled_sample():
    figures = red_flag_scoring.score(TINY_SET, FAKE_DETECTOR.__getitem__)

    assert (figures["positives_caught"], figures["positives"]) == (2, 3)
    assert figures["recall"] == pytest.approx(2 / 3)
    assert (figures["traps_unflagged"], figures["traps"]) == (2, 3)
    assert figures["trap_precision"] == pytest.approx(2 / 3)
    assert figures["misses"] == [{"text": "cant feel my legs and fever",
                                  "codes": ["leg_weakness_bilateral"]}]
    assert figures["false_alarms"] == [
        {"text": "my dad had cancer", "kind": "family", "codes": ["cancer_history"]},
        {"text": "no fever but i cant pee", "kind": "not_codes", "codes": ["fever"]},
    ]
    by_code = {c["code"]: c for c in figures["per_code"]}
    assert by_code["fever"] == {"code": "fever", "positives": 1, "caught": 1, "recall": 1.0,
                                "false_alarms": 1, "precision": 0.5}
    assert by_code["leg_weakness_bilateral"]["recall"] == 0.0
    assert by_code["cancer_history"] == {"code": "cancer_history", "positives": 0, "caught": 0,
                                         "recall": None, "false_alarms": 1, "precision": 0.0}
    by_kind = {k["kind"]: k for k in figures["per_kind"]}
    assert by_kind["family"]["flagged"] == 1 and by_kind["negation"]["unflagged_rate"] == 1.0


def test_the_tests_counting_functions_agree_with_the_report():
    detector = FAKE_DETECTOR.__getitem__
    assert red_flag_scoring.missed_positives(TINY_SET["positives"], detector) == [
        ("cant feel my legs and fever", ["leg_weakness_bilateral"])]
    assert red_flag_scoring.wrongly_affirmed(TINY_SET["positives"], detector) == [
        ("no fever but i cant pee", ["fever"])]
    assert red_flag_scoring.flagged_traps(TINY_SET["traps"], detector) == [
        ("family", "my dad had cancer", ["cancer_history"])]


FAKE_OUTCOMES = [
    {"id": "em-01", "expected": "emergency", "given": "emergency", "turns": 1},
    {"id": "em-02", "expected": "emergency", "given": "urgent", "turns": 3},
    {"id": "ur-01", "expected": "urgent", "given": None, "turns": 15},
    {"id": "sc-01", "expected": "self_care", "given": "self_care", "turns": 8},
    {"id": "sc-02", "expected": "self_care", "given": "routine", "turns": 8},
]


def test_vignette_confusion_matrix_orders_levels_so_under_triage_is_left():
    matrix = eval_figures.triage_matrix(FAKE_OUTCOMES)

    assert matrix["expected"] == ["self_care", "routine", "urgent", "emergency"]
    assert matrix["given"] == ["none", "self_care", "routine", "urgent", "emergency"]
    assert matrix["counts"] == [
        [0, 1, 1, 0, 0],  # self_care: one right, one over-triaged to routine
        [0, 0, 0, 0, 0],
        [1, 0, 0, 0, 0],  # urgent: no disposition at all
        [0, 0, 0, 1, 1],  # emergency: one under-triaged to urgent
    ]
    complete = [o for o in FAKE_OUTCOMES if o["given"]]
    assert "none" not in eval_figures.triage_matrix(complete)["given"]


def test_vignette_misses_list_under_triage_first():
    misses = eval_figures.triage_misses(FAKE_OUTCOMES)
    assert [(m["id"], m["under"]) for m in misses] == [
        ("em-02", True), ("ur-01", True), ("sc-02", False)]


def test_readability_lists_the_replies_above_grade_8():
    domain = {"responses": {
        "utter_easy": [{"text": "Keep moving. Walk a bit each day."}],
        "utter_hard": [{"text": "Comprehensive multidisciplinary rehabilitation "
                                "interventions demonstrate considerable effectiveness."}],
        "utter_two": [{"text": "Call us."}, {"text": "Ice helps."}],
        "utter_buttons_only": [{"buttons": [{"title": "Yes", "payload": "/affirm"}]}],
    }}
    texts = eval_figures.response_texts(domain)
    assert [t["name"] for t in texts] == ["utter_easy", "utter_hard", "utter_two[1]", "utter_two[2]"]

    figures = eval_figures.readability(texts, grade_level)

    assert figures["responses"] == 4 and figures["limit"] == 8.0
    assert [g["name"] for g in figures["above_limit"]] == ["utter_hard"]
    assert figures["above_limit"][0]["grade"] > 8
    assert figures["max"] == figures["above_limit"][0]["grade"]
    assert sum(figures["histogram"].values()) == 4
    assert figures["mean"] == pytest.approx(sum(g["grade"] for g in figures["grades"]) / 4, abs=0.01)


def _summary(quick=True):
    rows = eval_figures.intent_rows(FAKE_INTENT_REPORT)
    nlu = {"command": "rasa test nlu --cross-validation --folds 2", "folds": 2, "epochs": 5,
           "config_epochs": 100, "quick": quick, **eval_figures.nlu_totals(FAKE_INTENT_REPORT),
           "intents": rows, "lowest_f1": eval_figures.lowest_f1(rows),
           "confused_pairs": eval_figures.confused_pairs(rows),
           "images": ["nlu_confusion", "nlu_histogram"],
           "fallback_threshold": 0.4, "confident_wrong_rate": 0.125}
    intents = {"model": "backpain-abc.tar.gz", "sets": [
        {"path": "tests/sets/blind/x/nlu.yml",
         **intent_scoring.score(["greet", "greet", "stop", "stop"],
                                ["greet", "nlu_fallback", "greet", "stop"])}]}
    triage = {"vignettes": 5, "by_expected_level": {"emergency": 2, "urgent": 1, "self_care": 2},
              "emergency_sensitivity": 0.5, "exact_accuracy": 0.4, "under_triage": 2,
              "over_triage": 1, "self_care_over_triage_rate": 0.5, "server": "a fake server",
              "outcomes": FAKE_OUTCOMES, "matrix": eval_figures.triage_matrix(FAKE_OUTCOMES),
              "missed": eval_figures.triage_misses(FAKE_OUTCOMES)}
    domain = {"responses": {"utter_hard": [{"text": "Comprehensive multidisciplinary "
                                                    "rehabilitation | interventions."}]}}
    return {
        "run": {"command": "bot eval --quick --folds 2", "finished": "2024-01-01 12:00",
                "commit": "abc1234", "dirty": True, "seconds": 75},
        "nlu": nlu,
        "intents": intents,
        "red_flags": red_flag_scoring.score(TINY_SET, FAKE_DETECTOR.__getitem__),
        "triage": triage,
        "readability": eval_figures.readability(eval_figures.response_texts(domain), grade_level),
    }


def test_the_report_has_every_section_and_image_link():
    text = eval_figures.render(_summary(quick=False))

    assert text.startswith("# Evaluation report")
    for heading in ("## 1. NLU cross-validation", "## 2. Intents on the held-out and blind sets",
                    "## 3. Red-flag detector", "## 4. Triage vignettes",
                    "## 5. Readability of the replies"):
        assert heading in text
    assert "- confident wrong: **12.5%**" in text
    assert "| `tests/sets/blind/x/nlu.yml` | 4 | 50.0% | 0.58 | 25.0% | 25.0% | greet 0.50, stop 0.67 |" in text
    for image in eval_figures.IMAGES.values():
        assert f"]({image})" in text
    assert "[summary.json](summary.json)" in text and "abc1234 with uncommitted changes" in text
    assert "| ask_mri | 0.60 |" in text  # lowest F1 first
    assert "| ask_mri | greet | 2 |" in text
    assert "cant feel my legs and fever\": missed leg_weakness_bilateral" in text
    assert "| expected \\ given | none | self_care | routine | urgent | emergency |" in text
    assert "em-02: expected emergency, given urgent (**under-triage**)" in text
    assert "rehabilitation \\| interventions" in text  # a | in a reply does not split the table


def test_a_quick_run_says_so_in_bold_on_the_first_line():
    first_line = eval_figures.render(_summary(quick=True)).splitlines()[0]
    assert first_line.startswith("**Quick smoke run") and first_line.endswith("**")
    assert "not the model's real quality" in first_line


def test_skipped_and_failed_parts_are_said_and_not_drawn():
    summary = _summary(quick=True)
    summary["nlu"] = {"skipped": "--skip-nlu"}
    summary["triage"] = {"error": "RuntimeError: the server did not start"}
    text = eval_figures.render(summary)

    assert not text.startswith("**Quick")  # no NLU figures, nothing to warn about
    assert "Skipped (--skip-nlu)." in text
    assert "Could not run: RuntimeError: the server did not start." in text
    assert eval_figures.IMAGES["nlu_confusion"] not in text
    assert eval_figures.IMAGES["triage_confusion"] not in text


def test_files_are_written_with_plots(tmp_path):
    summary = _summary()
    eval_report.plot_triage_matrix(summary["triage"]["matrix"],
                                   tmp_path / eval_figures.IMAGES["triage_confusion"])
    eval_report.plot_grade_histogram(summary["readability"],
                                     tmp_path / eval_figures.IMAGES["readability"])
    report = eval_report.write_report(tmp_path, summary)

    assert report.read_text() == eval_figures.render(summary)
    assert json.loads((tmp_path / "summary.json").read_text())["triage"]["under_triage"] == 2
    for name in ("triage_confusion", "readability"):
        assert (tmp_path / eval_figures.IMAGES[name]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bot_eval_alone_is_the_report_and_bot_eval_triage_still_parses():
    parser = cli.build_parser()
    report = parser.parse_args(["eval", "--quick", "--skip-nlu", "--out", "x"])
    assert report.what is None and report.quick and report.skip_nlu
    triage = parser.parse_args(["eval", "triage", "--url", "http://h:1", "--verbose"])
    assert (triage.what, triage.url, triage.verbose) == ("triage", "http://h:1", True)
    assert cli.cmd_eval(parser.parse_args(["eval", "triage", "--quick"])) == 2
