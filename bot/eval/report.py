"""`bot eval` (and `make eval`): one evaluation report for the whole assistant.

Five parts, each printed as it runs and written to `reports/eval/`:

1. NLU cross-validation (`rasa test nlu --cross-validation`), the long part:
   K DIET trainings. `--quick` shortens it to a smoke run, `--skip-nlu` drops it;
2. the trained model's intents on the held-out set and every blind batch;
3. the red-flag detector on the labelled phrasings;
4. the triage vignettes, against an assistant started here on free ports with
   a scratch SQLite database (or a running one with `--url`);
5. the reading grade of every reply in domain.yml.

Files: report.md, its PNG plots beside it, summary.json with the raw figures,
and Rasa's own cross-validation output in nlu/. The figures are not a gate:
the exit code is 0 when every part could be measured, 1 when one could not
(the report is written anyway, saying which and why).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Mapping, Optional

import yaml

from bot import PROJECT_ROOT, settings
from bot.eval import figures as eval_figures
from bot.eval.figures import duration, percent

DEFAULT_OUT = PROJECT_ROOT / "reports" / "eval"
FOLDS = 5
QUICK_FOLDS = 2
QUICK_EPOCHS = 5
RASA_NLU_FILES = {  # what `rasa test nlu` writes that the report shows
    "intent_confusion_matrix.png": "nlu_confusion",
    "intent_histogram.png": "nlu_histogram",
}
SERVER_LOG = "servers.log"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--skip-nlu", action="store_true",
                        help="leave out the NLU cross-validation (the long part)")
    parser.add_argument("--folds", type=int, metavar="K",
                        help=f"cross-validation folds (default {FOLDS}, {QUICK_FOLDS} with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke run: DIET trained {QUICK_EPOCHS} epochs, {QUICK_FOLDS} folds; "
                             "its NLU figures are not the real quality")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="folder for report.md, the plots and summary.json "
                             "(default reports/eval)")


def main(args: argparse.Namespace) -> int:
    folds = args.folds or (QUICK_FOLDS if args.quick else FOLDS)
    if folds < 2:
        print("error: --folds must be at least 2", file=sys.stderr)
        return 2
    out = (args.out or DEFAULT_OUT).resolve()
    env = settings.runtime_env()
    # The red-flag detector runs in this process; keep TensorFlow's start-up
    # chatter out of the progress lines, as runtime_env does for subprocesses.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", env["TF_CPP_MIN_LOG_LEVEL"])
    started = time.monotonic()
    _clear_previous(out)
    summary: Dict = {"run": {"command": _command_line(args, folds),
                             "started": _now(), **_git_state()}}
    stages = [
        ("nlu", "NLU cross-validation", lambda: (
            {"skipped": "--skip-nlu"} if args.skip_nlu
            else nlu_cross_validation(out, folds, args.quick, env))),
        ("intents", "The trained model's intents on the held-out and blind sets",
         lambda: intent_set_figures(env, [args.nlu, *sorted(args.blind.glob("*/nlu.yml"))])),
        ("red_flags", "Red-flag detector on the labelled phrasings",
         lambda: red_flag_figures(args.phrasings)),
        ("triage", "Triage vignettes", lambda: triage_figures(out, env, args.vignettes, args.url, args.verbose)),
        ("readability", "Readability of the replies in domain.yml",
         lambda: readability_figures(out)),
    ]
    for number, (key, title, measure) in enumerate(stages, start=1):
        print(f"\n[{number}/{len(stages)}] {title}", flush=True)
        summary[key] = _measure(measure)
    summary["run"].update(finished=_now(), seconds=round(time.monotonic() - started, 1))
    report = write_report(out, summary)
    print(f"\nReport: {_shown(report)}  (raw figures: {_shown(out / 'summary.json')})")
    failed = [key for key, _, _ in stages if summary[key].get("error")]
    if failed:
        print(f"Could not measure: {', '.join(failed)} (see the report)", file=sys.stderr)
    return 1 if failed else 0


def _measure(measure: Callable[[], Dict]) -> Dict:
    """Run one part; a part that fails is reported as failed, and the others
    still run, so one broken piece does not hide the rest."""
    started = time.monotonic()
    try:
        part = measure()
    except Exception as error:  # noqa: BLE001 - any failure becomes a line in the report
        part = {"error": f"{type(error).__name__}: {error}"}
        print(f"  could not run: {part['error']}", flush=True)
    if part.get("skipped"):
        print(f"  skipped ({part['skipped']})", flush=True)
    part["seconds"] = round(time.monotonic() - started, 1)
    return part


# ---------------------------------------------------------------- 1. NLU

def nlu_cross_validation(out: Path, folds: int, quick: bool, env: Mapping[str, str]) -> Dict:
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    epochs = QUICK_EPOCHS if quick else eval_figures.diet_epochs(config)
    nlu_dir = out / "nlu"
    print(f"  {folds} folds, DIET {epochs} epochs{' (quick smoke run)' if quick else ''}; "
          f"Rasa's output goes to {_shown(nlu_dir / 'rasa.log')}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bot-eval-") as scratch:
        config_path = PROJECT_ROOT / "config.yml"
        if quick:  # a copy: config.yml itself is a training input (editing it means a retrain)
            config_path = Path(scratch) / "config.yml"
            config_path.write_text(yaml.safe_dump(
                eval_figures.quick_config(config, QUICK_EPOCHS), sort_keys=False))
        _run_rasa_logged(nlu_command(str(config_path), folds, str(nlu_dir)),
                         nlu_dir / "rasa.log", folds, env)
    report = json.loads((nlu_dir / "intent_report.json").read_text())
    errors_file = nlu_dir / "intent_errors.json"  # absent when nothing was wrong
    errors = json.loads(errors_file.read_text()) if errors_file.exists() else []
    rows = eval_figures.intent_rows(report, errors)
    threshold = eval_figures.fallback_threshold(config)
    figures = {
        "command": " ".join(nlu_command("config.yml", folds, _shown(nlu_dir))),
        "folds": folds, "epochs": epochs, "config_epochs": eval_figures.diet_epochs(config),
        "quick": quick,
        **eval_figures.nlu_totals(report),
        "fallback_threshold": threshold,
        "confident_wrong_rate": eval_figures.confident_wrong(errors, threshold)
        / max(1, sum(r["support"] for r in rows)),
        "intents": rows, "lowest_f1": eval_figures.lowest_f1(rows),
        "confused_pairs": eval_figures.confused_pairs(rows),
        "images": _copy_rasa_plots(nlu_dir, out),
    }
    print(f"  accuracy {percent(figures['accuracy'])}, macro F1 {figures['macro_f1']:.2f}, "
          f"confident wrong {percent(figures['confident_wrong_rate'])}; "
          "lowest F1: " + ", ".join(f"{r['intent']} {r['f1']:.2f}" for r in figures["lowest_f1"][:3]),
          flush=True)
    return figures


def nlu_command(config: str, folds: int, out: str) -> List[str]:
    return ["rasa", "test", "nlu", "--cross-validation", "--folds", str(folds),
            "--config", config, "--nlu", "data/nlu", "--out", out]


def _run_rasa_logged(command: List[str], log_path: Path, folds: int,
                     env: Mapping[str, str]) -> None:
    """Run `python -m rasa ...` with its (long, progress-bar) output in a log
    file, printing one line per finished fold instead."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    trained = 0
    with log_path.open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", *command], cwd=PROJECT_ROOT, env=dict(env),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                log.write(line)
                if eval_figures.fold_finished(line):
                    trained += 1
                    print(f"  fold {trained}/{folds}: model trained ({_elapsed(started)} so far), "
                          f"testing it", flush=True)
            proc.wait()
        finally:
            if proc.poll() is None:  # we were interrupted: leave no training behind
                proc.terminate()
                proc.wait()
    if proc.returncode != 0 or not (log_path.parent / "intent_report.json").exists():
        tail = log_path.read_text().strip().splitlines()[-5:]
        raise RuntimeError(f"rasa test nlu exited with code {proc.returncode}: "
                           + " / ".join(tail))
    print(f"  all {folds} folds tested in {_elapsed(started)}", flush=True)


def _copy_rasa_plots(nlu_dir: Path, out: Path) -> List[str]:
    """Put Rasa's plots beside report.md under the report's names."""
    copied = []
    for source, key in RASA_NLU_FILES.items():
        if (nlu_dir / source).exists():
            shutil.copyfile(nlu_dir / source, out / eval_figures.IMAGES[key])
            copied.append(key)
    return copied


# ---------------------------------------------------------------- 2. intents

def intent_set_figures(env: Mapping[str, str], paths: List[Path]) -> Dict:
    """The model `make run` uses, on each labelled set (trained once if missing)."""
    from bot.eval import intent_scoring
    from bot.ops import training

    model = training.ensure_model(env)
    sets = []
    for path in paths:
        figures = intent_scoring.score_file(model, path)
        print(f"  {_shown(path)}: accuracy {percent(figures['accuracy'])}, "
              f"confident wrong {percent(figures['confident_wrong_rate'])}", flush=True)
        sets.append({"path": _shown(path), **figures})
    return {"model": model.name, "sets": sets}


# ---------------------------------------------------------------- 3. red flags

def red_flag_figures(path: Path) -> Dict:
    from bot.eval import red_flag_scoring

    phrasings = red_flag_scoring.load_phrasings(path)
    print(f"  {len(phrasings['positives'])} positives and {len(phrasings['traps'])} traps",
          flush=True)
    figures = red_flag_scoring.score(phrasings)
    print(f"  recall {percent(figures['recall'])} ({len(figures['misses'])} missed), "
          f"traps left unflagged {percent(figures['trap_precision'])}; "
          f"false alarms: {len(figures['false_alarms'])}", flush=True)
    return figures


# ---------------------------------------------------------------- 4. vignettes

def triage_figures(out: Path, env: Mapping[str, str], vignettes: Path, url: Optional[str] = None,
                   verbose: bool = False) -> Dict:
    from bot.eval import vignette_runner

    server = _given_server(url) if url else running_assistant(env, out / SERVER_LOG)
    with server as (server_url, described):
        print(f"  playing the vignettes against {described}", flush=True)
        figures = vignette_runner.run(server_url, vignettes, env.get("RASA_AUTH_TOKEN"), verbose=verbose,
                                  numbered=True)
    figures["server"] = described
    figures["matrix"] = eval_figures.triage_matrix(figures["outcomes"])
    figures["missed"] = eval_figures.triage_misses(figures["outcomes"])
    plot_triage_matrix(figures["matrix"], out / eval_figures.IMAGES["triage_confusion"])
    print("  " + vignette_runner.report(figures).replace("\n", "\n  "), flush=True)
    return figures


@contextmanager
def _given_server(url: str) -> Iterator:
    yield url, f"the running server at {url}"


@contextmanager
def running_assistant(env: Mapping[str, str], log_path: Path) -> Iterator:
    """The current model served by a Rasa and an action server of our own, on
    free local ports with a scratch SQLite database, stopped afterwards. Their
    output goes to `log_path`, so progress lines stay readable."""
    from bot.ops.serve import local_stack

    with tempfile.TemporaryDirectory(prefix="bot-eval-") as scratch, log_path.open("w") as log:
        print(f"  starting the assistant; its output goes to {_shown(log_path)}", flush=True)
        with local_stack(env, f"sqlite:///{Path(scratch) / 'rasa.db'}", output=log) as stack:
            yield stack.rasa_url, f"model `{stack.model.name}`, started for this report"


def plot_triage_matrix(matrix: Mapping, path: Path) -> None:
    plt = _pyplot()
    counts = matrix["counts"]
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.imshow(counts, cmap="Blues")
    ax.set_xticks(range(len(matrix["given"])), labels=matrix["given"])
    ax.set_yticks(range(len(matrix["expected"])), labels=matrix["expected"])
    ax.set_xlabel("level given by the assistant")
    ax.set_ylabel("expected level")
    ax.set_title("Triage vignettes: expected vs given\n(left of the diagonal = under-triage)")
    top = max(max(row) for row in counts) or 1
    for y, row in enumerate(counts):
        for x, n in enumerate(row):
            ax.text(x, y, str(n), ha="center", va="center",
                    color="white" if n > top / 2 else "black")
    _save(fig, path)


# ---------------------------------------------------------------- 5. readability

def readability_figures(out: Path) -> Dict:
    from bot.eval.readability import grade_level

    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    figures = eval_figures.readability(eval_figures.response_texts(domain), grade_level)
    plot_grade_histogram(figures, out / eval_figures.IMAGES["readability"])
    print(f"  {figures['responses']} replies: mean grade {figures['mean']:.1f}, "
          f"{len(figures['above_limit'])} above grade {figures['limit']:g}", flush=True)
    return figures


def plot_grade_histogram(figures: Mapping, path: Path) -> None:
    plt = _pyplot()
    bins = [int(grade) for grade in figures["histogram"]]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.bar([b + 0.5 for b in bins], list(figures["histogram"].values()), width=0.9,
           color="#4878a8")
    ax.axvline(figures["limit"], color="#b03030", linestyle="--",
               label=f"grade {figures['limit']:g}")
    ax.axvline(figures["mean"], color="#303030", linestyle=":",
               label=f"mean {figures['mean']:.1f}")
    ax.set_xticks(bins + [bins[-1] + 1])
    ax.set_xlabel("Flesch-Kincaid grade")
    ax.set_ylabel("replies")
    ax.set_title(f"Reading grade of the {figures['responses']} replies in domain.yml")
    ax.legend()
    _save(fig, path)


# ---------------------------------------------------------------- files

def write_report(out: Path, summary: Dict) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
    report = out / "report.md"
    report.write_text(eval_figures.render(summary))
    return report


def _clear_previous(out: Path) -> None:
    """Remove what an earlier run wrote (only our own files: --out may be a
    folder with other things in it), so no stale plot is linked."""
    out.mkdir(parents=True, exist_ok=True)
    for name in ["report.md", "summary.json", SERVER_LOG, *eval_figures.IMAGES.values()]:
        (out / name).unlink(missing_ok=True)
    shutil.rmtree(out / "nlu", ignore_errors=True)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # files only; no display on servers and CI
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    _pyplot().close(fig)


def _git_state() -> Dict:
    """Which code the report is about (nothing when git is not there)."""
    def git(*args: str) -> Optional[str]:
        try:
            result = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True,
                                    text=True, timeout=10)
        except OSError:
            return None
        return result.stdout.strip() if result.returncode == 0 else None

    commit = git("rev-parse", "--short", "HEAD")
    return {"commit": commit, "dirty": bool(git("status", "--porcelain")) if commit else None}


def _command_line(args: argparse.Namespace, folds: int) -> str:
    """The options that shaped the figures, for the report's first lines."""
    parts = ["bot eval"]
    if args.skip_nlu:
        parts.append("--skip-nlu")
    else:
        parts += ["--quick"] * args.quick + [f"--folds {folds}"]
    if args.url:
        parts.append(f"--url {args.url}")
    return " ".join(parts)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")


def _elapsed(started: float) -> str:
    return duration(time.monotonic() - started)


def _shown(path: Path) -> str:
    """A path relative to the project when it is inside it, for shorter lines."""
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
