"""`python -m bot.review [--host H] [--port P]`: the workspace on waitress.

`bot review` and `bot run` start it this way, after upgrading the schema."""
from __future__ import annotations

import argparse
import signal
import sys

from waitress import serve

from bot.ops import log_redaction
from bot.review.app import create_app
from bot.settings import runtime_env
from bot.store import migrate


def main(argv=None) -> int:
    log_redaction.install()
    env = runtime_env()
    parser = argparse.ArgumentParser(prog="bot review")
    parser.add_argument("--host", default=env["REVIEW_HOST"])
    parser.add_argument("--port", type=int, default=int(env["REVIEW_PORT"]))
    args = parser.parse_args(argv)
    migrate.upgrade(env["DATABASE_URL"])
    app = create_app(env["DATABASE_URL"])
    # Stop cleanly when `bot run` (or a supervisor) sends SIGTERM.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    print(f"Nurses' review workspace: http://{args.host}:{args.port}/", flush=True)
    serve(app, host=args.host, port=args.port, threads=8, ident="review")
    return 0


if __name__ == "__main__":
    sys.exit(main())
