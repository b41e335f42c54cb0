"""The `bot` command: the project's common tasks in one place."""
from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from typing import List, Optional

from bot import PROJECT_ROOT, settings, training


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
    from bot.serve import Stack

    env = settings.runtime_env()
    stack = Stack(training.ensure_model(env), env)

    def on_stop(signum, frame):  # Ctrl-C, or SIGTERM from a supervisor
        raise KeyboardInterrupt

    # Set both explicitly: a shell starting us in the background ignores SIGINT.
    signal.signal(signal.SIGINT, on_stop)
    signal.signal(signal.SIGTERM, on_stop)
    try:
        stack.start()
        stack.wait_ready()
        print(
            f"\nThe assistant is running.\n"
            f"  Rasa server:   {stack.rasa_url}  (REST: {stack.rasa_url}/webhooks/rest/webhook)\n"
            f"  Action server: {stack.action_url}\n"
            f"  Conversations: {env['DATABASE_URL']}\n"
            f"Try:  curl -s -XPOST {stack.rasa_url}/webhooks/rest/webhook "
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
    from bot import eval_triage

    env = settings.runtime_env()
    url = args.url or f"http://{env['RASA_HOST']}:{env['RASA_PORT']}"
    summary = eval_triage.run(url, env.get("RASA_AUTH_TOKEN"), verbose=args.verbose)
    print(eval_triage.report(summary))
    ok = (summary["emergency_sensitivity"] == 1.0 and summary["under_triage"] == 0
          and summary["exact_accuracy"] >= 0.9 and summary["self_care_over_triage_rate"] <= 0.1)
    return 0 if ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    train = sub.add_parser("train", help="train a model if the data changed")
    train.add_argument("--force", action="store_true", help="train even if up to date")
    train.set_defaults(func=cmd_train)

    sub.add_parser("validate", help="rasa data validate, warnings fail").set_defaults(
        func=cmd_validate
    )
    sub.add_parser("run", help="train if needed, start action + Rasa servers").set_defaults(
        func=cmd_run
    )

    test = sub.add_parser("test", help="run the whole test suite; extra arguments go to pytest")
    test.set_defaults(func=cmd_test)

    chat = sub.add_parser("chat", help="chat with a running assistant over REST")
    chat.add_argument("--url", help="REST webhook URL (default: the local server)")
    chat.set_defaults(func=cmd_chat)
    evaluate = sub.add_parser("eval", help="evaluate against a running assistant")
    evaluate.add_argument("what", choices=["triage"], help="triage: play the vignettes")
    evaluate.add_argument("--url", help="Rasa server URL (default: the local server)")
    evaluate.add_argument("--verbose", action="store_true", help="print transcripts of misses")
    evaluate.set_defaults(func=cmd_eval)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "test":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.pytest_args = extra
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
