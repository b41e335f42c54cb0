"""The `bot` command: the project's common tasks in one place."""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import List, Optional

from bot import PROJECT_ROOT, settings
from bot.eval import report as eval_report
from bot.ops import training
from bot.review import audit
from bot.store import migrate

# The labelled development sets `bot eval` reads unless told otherwise; the
# package's own modules take their data paths as arguments.
DEV_SETS = PROJECT_ROOT / "tests" / "sets"


def cmd_train(args: argparse.Namespace) -> int:
    training.ensure_model(settings.runtime_env(), force=args.force)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    return subprocess.call(
        [sys.executable, "-m", "rasa", "data", "validate", "--fail-on-warnings",
         "--config", "config.yml", "--domain", "domain.yml", "--data", "data"],
        cwd=PROJECT_ROOT, env=settings.runtime_env(),
    )


def cmd_test(args: argparse.Namespace) -> int:
    return subprocess.call(
        [sys.executable, "-m", "pytest", *args.pytest_args], cwd=PROJECT_ROOT
    )


def cmd_run(args: argparse.Namespace) -> int:
    from bot.ops.serve import Stack

    env = settings.runtime_env()
    problem = _cluster_problem(env, args.servers)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    stack = Stack(training.ensure_model(env), env)
    migrate.upgrade(env["DATABASE_URL"])

    def on_stop(signum, frame):  # Ctrl-C, or SIGTERM from a supervisor
        raise KeyboardInterrupt

    # Set both explicitly: a shell starting us in the background ignores SIGINT.
    signal.signal(signal.SIGINT, on_stop)
    signal.signal(signal.SIGTERM, on_stop)
    try:
        stack.start(servers=args.servers)
        stack.wait_ready()
        # The REST channel is internal: behind nginx it is on the servers themselves.
        rest = stack.rasa_url if args.servers == 1 else f"http://127.0.0.1:{stack.rasa_ports(args.servers)[0]}"
        print(
            f"\nThe assistant is running.\n"
            f"  Rasa server:   {stack.rasa_url}  (REST: {rest}/webhooks/rest/webhook)\n"
            + (f"                 nginx (deploy/nginx.conf) in front of {args.servers} Rasa servers on "
               f"ports {', '.join(stack.rasa_ports(args.servers))}; only the widget and SMS "
               f"routes pass\n" if args.servers > 1 else "") +
            f"  Action server: {stack.action_url}\n"
            f"  Web chat demo: {stack.rasa_url}/webhooks/widget/demo\n"
            f"  SMS webhook:   {stack.rasa_url}/webhooks/sms/webhook  (try: .venv/bin/bot sms-sim)\n"
            f"  Nurse review:  {stack.review_url}/  (add a login: .venv/bin/bot nurses add NAME --role nurse)\n"
            f"  Conversations: {_redacted(env['DATABASE_URL'])}\n"
            f"Try:  curl -s -XPOST {rest}/webhooks/rest/webhook "
            f"-d '{{\"sender\": \"me\", \"message\": \"hi\"}}'\n"
            f"Or chat in this terminal from another one:  .venv/bin/bot chat\n"
            f"Press Ctrl-C to stop.\n",
            flush=True,
        )
        while (dead := stack.first_exit()) is None:
            time.sleep(0.5)
        print(f"A server stopped unexpectedly (exit code {dead.returncode}).", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    finally:
        stack.stop()


def _cluster_problem(env, servers: int) -> Optional[str]:
    """Why `servers` Rasa processes cannot run with these settings, if they cannot."""
    if servers < 1:
        return "--servers must be at least 1"
    if servers == 1:
        return None
    if env["DATABASE_URL"].startswith("sqlite"):
        return ("several Rasa servers need a shared database server: set DATABASE_URL to "
                "PostgreSQL (SQLite is one file for one process)")
    if not env.get("REDIS_URL"):
        return ("several Rasa servers need the Redis lock store, or two messages of one "
                "conversation could be handled at once: set REDIS_URL")
    from bot.ops import nginx

    if nginx.find_nginx() is None:
        return f"several Rasa servers run behind nginx with deploy/nginx.conf: {nginx.INSTALL_HINT}"
    return None


def _redacted(url: str) -> str:
    """A database URL without its password, for printing."""
    import sqlalchemy as sa

    return sa.engine.make_url(url).render_as_string(hide_password=True)


def cmd_review(args: argparse.Namespace) -> int:
    from bot.review.__main__ import main as serve_review

    argv = []
    if args.host:
        argv += ["--host", args.host]
    if args.port:
        argv += ["--port", str(args.port)]
    return serve_review(argv)


def cmd_db(args: argparse.Namespace) -> int:
    url = settings.runtime_env()["DATABASE_URL"]
    if args.action == "upgrade":
        migrate.upgrade(url)
    print(f"{_redacted(url)}: revision {migrate.current_revision(url) or 'none'} "
          f"(newest {migrate.head_revision()})")
    return 0


def cmd_nurses(args: argparse.Namespace) -> int:
    from bot.review import accounts
    from bot.store.db import session_scope
    from bot.store.models import Nurse, utcnow

    url = settings.runtime_env()["DATABASE_URL"]
    migrate.upgrade(url)
    if args.action == "list":
        with session_scope(url) as session:
            for nurse in session.query(Nurse).order_by(Nurse.name):
                locked = " (locked)" if nurse.locked_until and nurse.locked_until > utcnow() else ""
                print(f"{nurse.name}\t{nurse.role}{locked}")
        return 0
    password = _read_password(args.password_stdin)
    try:
        with session_scope(url) as session:
            accounts.add_nurse(session, args.name, args.role, password)
            audit.record(session, "bot nurses add", "nurse_added", detail=f"{args.name} ({args.role})")
    except accounts.AccountError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Added {args.name} ({args.role}). They sign in at the review workspace.")
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    import getpass

    first = getpass.getpass("Password (12+ characters): ")
    if getpass.getpass("Again: ") != first:
        raise SystemExit("error: the two passwords differ")
    return first


def cmd_transcripts(args: argparse.Namespace) -> int:
    from bot.review import retention
    from bot.store.db import session_scope

    if args.older_than is None:
        args.older_than = settings.retention_days()
    if args.older_than < 1:
        print("error: --older-than must be at least 1 day", file=sys.stderr)
        return 2
    url = settings.runtime_env()["DATABASE_URL"]
    migrate.upgrade(url)
    with session_scope(url) as session:
        result = retention.purge(session, args.older_than, dry_run=args.dry_run)
    verb = "Would delete" if args.dry_run else "Deleted"
    print(f"{verb} {result.conversations} conversations ({result.events} events) with no "
          f"activity since {result.cutoff:%Y-%m-%d %H:%M} UTC.")
    return 0


def cmd_sms_sim(args: argparse.Namespace) -> int:
    from bot.devtools import sms_sim

    return sms_sim.run(settings.runtime_env(), args.phone)


def cmd_chat(args: argparse.Namespace) -> int:
    """A small terminal chat against a running server's REST channel."""
    env = settings.runtime_env()
    url = args.url or f"http://{env['RASA_HOST']}:{env['RASA_PORT']}/webhooks/rest/webhook"
    sender = f"terminal-{uuid.uuid4().hex[:8]}"
    print(f"Chatting with {url} (Ctrl-D to quit)")
    while True:
        try:
            text = input("you> ")
        except EOFError:
            print()
            return 0
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(
            url, data=body, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                replies = json.load(response)
        except OSError as error:
            print(f"(could not reach the assistant: {error}; is `make run` running?)")
            continue
        for reply in replies:
            if reply.get("text"):
                print(f"bot> {reply['text']}")
            for number, button in enumerate(reply.get("buttons") or [], start=1):
                print(f"     [{number}] {button['title']}")


def cmd_eval(args: argparse.Namespace) -> int:
    if args.what is None:  # `bot eval`: the whole report
        return eval_report.main(args)
    if args.skip_nlu or args.folds or args.quick or args.out:
        print(f"error: --skip-nlu, --folds, --quick and --out are for `bot eval` (the report), "
              f"not `bot eval {args.what}`", file=sys.stderr)
        return 2
    env = settings.runtime_env()
    url = args.url or f"http://{env['RASA_HOST']}:{env['RASA_PORT']}"
    token = env.get("RASA_AUTH_TOKEN")
    if args.what == "intents":
        return _eval_intents(args.nlu, env)
    if args.what == "suspicion":
        from bot.eval import suspicion_threshold

        print(suspicion_threshold.table(suspicion_threshold.cross_validated_scores()))
        return 0
    if args.what == "first-replies":
        from bot.eval import first_replies

        summary = first_replies.run(url, args.phrasings, token)
        print(first_replies.report(summary))
        return _write_json(args.json, summary)
    from bot.eval import vignette_runner

    summary = vignette_runner.run(url, args.vignettes, token, verbose=args.verbose)
    print(vignette_runner.report(summary))
    _write_json(args.json, summary)
    ok = (summary["emergency_sensitivity"] == 1.0 and summary["under_triage"] == 0
          and summary["exact_accuracy"] >= 0.9 and summary["self_care_over_triage_rate"] <= 0.1)
    return 0 if ok else 1


def _eval_intents(path: Path, env) -> int:
    """The current model's intents on a labelled NLU file, in this process."""
    from bot.eval import intent_scoring

    figures = intent_scoring.score_file(training.ensure_model(env), path)
    print(intent_scoring.report(figures))
    return 0


def _write_json(path: Optional[Path], summary) -> int:
    if path:
        path.write_text(json.dumps(summary, indent=1, default=str))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    train = sub.add_parser("train", help="train a model if the data changed")
    train.add_argument("--force", action="store_true", help="train even if up to date")
    train.set_defaults(func=cmd_train)

    sub.add_parser("validate", help="rasa data validate, warnings fail").set_defaults(
        func=cmd_validate
    )
    run = sub.add_parser("run", help="train if needed, start action, Rasa and review servers")
    run.add_argument("--servers", type=int, default=1,
                     help="Rasa server processes (more than 1 needs PostgreSQL, Redis and "
                          "nginx, which spreads requests across them with deploy/nginx.conf)")
    run.set_defaults(func=cmd_run)

    test = sub.add_parser("test", help="run the whole test suite; extra arguments go to pytest")
    test.set_defaults(func=cmd_test)

    review = sub.add_parser("review", help="start the nurses' review workspace")
    review.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    review.add_argument("--port", type=int, help="port (default 5010)")
    review.set_defaults(func=cmd_review)

    db = sub.add_parser("db", help="database schema (Alembic migrations)")
    db.add_argument("action", choices=["upgrade", "current"])
    db.set_defaults(func=cmd_db)

    nurses = sub.add_parser("nurses", help="review workspace logins")
    nurses_sub = nurses.add_subparsers(dest="action", required=True)
    add = nurses_sub.add_parser("add", help="create a login (asks for the password)")
    add.add_argument("name")
    add.add_argument("--role", choices=["nurse", "supervisor"], required=True)
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input (for scripts)")
    nurses_sub.add_parser("list", help="list logins")
    nurses.set_defaults(func=cmd_nurses)

    transcripts = sub.add_parser("transcripts", help="conversation retention")
    transcripts_sub = transcripts.add_subparsers(dest="action", required=True)
    purge = transcripts_sub.add_parser("purge", help="delete conversations older than DAYS")
    purge.add_argument("--older-than", type=int, metavar="DAYS",
                       help="default: RETENTION_DAYS from the environment, else "
                            f"{settings.RETENTION_DAYS}")
    purge.add_argument("--dry-run", action="store_true", help="only count what would go")
    transcripts.set_defaults(func=cmd_transcripts)

    sms = sub.add_parser("sms-sim", help="text a running assistant from the terminal, as Twilio would")
    sms.add_argument("--from", dest="phone", default="+15555550123",
                     help="the phone number you text from (default +15555550123)")
    sms.set_defaults(func=cmd_sms_sim)

    chat = sub.add_parser("chat", help="chat with a running assistant over REST")
    chat.add_argument("--url", help="REST webhook URL (default: the local server)")
    chat.set_defaults(func=cmd_chat)
    evaluate = sub.add_parser(
        "eval", help="evaluation report (NLU, red flags, vignettes, readability) in reports/eval",
        description="Without an argument: the whole evaluation report in reports/eval/. "
                    "`bot eval triage`: only play the vignettes against a running assistant.")
    evaluate.add_argument("what", nargs="?", choices=["triage", "first-replies", "intents", "suspicion"],
                          help="triage: play the vignettes against a running server; "
                               "first-replies: send each labelled phrasing to it as a new "
                               "conversation; intents: the current model on a labelled NLU file; "
                               "suspicion: cross-validate the suspicion net's threshold")
    evaluate.add_argument("--url", help="Rasa server URL (bot eval triage: default the local "
                                        "server; bot eval: default start one for the report)")
    evaluate.add_argument("--verbose", action="store_true", help="print transcripts of misses")
    evaluate.add_argument("--vignettes", type=Path, default=DEV_SETS / "vignettes.yml",
                          help="triage vignettes to play (default: the development set)")
    evaluate.add_argument("--phrasings", type=Path, default=DEV_SETS / "red_flag_phrasings.yml",
                          help="labelled red-flag phrasings (default: the development set)")
    evaluate.add_argument("--blind", type=Path, default=DEV_SETS / "blind", metavar="DIR",
                          help="the report also scores the intents of every DIR/<batch>/nlu.yml")
    evaluate.add_argument("--nlu", type=Path, default=DEV_SETS / "nlu_heldout.yml",
                          help="labelled NLU examples for `intents` (default: the held-out set)")
    evaluate.add_argument("--json", type=Path, metavar="FILE",
                          help="also write the figures as JSON (triage, first-replies)")
    eval_report.add_arguments(evaluate.add_argument_group("report options (bot eval without triage)"))
    evaluate.set_defaults(func=cmd_eval)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "test":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.pytest_args = extra
    # Conversations are health information: whatever bot and its servers
    # write (the SQLite file, logs, reports) is readable by this user only.
    os.umask(0o077)
    try:
        return args.func(args)
    except settings.SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
