"""The action server: rasa_sdk's own app, locked to the Rasa server.

- It listens on ACTION_HOST, 127.0.0.1 unless a deployment opens it to its
  private network (the action server writes handoffs: nobody else may call it).
- Every call but /health must carry the shared ACTION_SERVER_TOKEN in the
  X-Action-Token header, which the Rasa server sends (endpoints.yml); any
  other call gets 403 and runs nothing.
- No CORS: browsers have no business here.

Run: python -m bot.ops.action_server --port 5055
"""
from __future__ import annotations

import argparse
import hmac
import logging
import os
from typing import Optional, Sequence

from rasa_sdk.endpoint import create_app
from sanic import response
from sanic.request import Request

from bot.ops import log_redaction
from bot.settings import require_secret

TOKEN_HEADER = "X-Action-Token"
OPEN_PATHS = {"/health"}
logger = logging.getLogger(__name__)


def build_app(token: str):
    app = create_app("actions", cors_origins="")

    async def only_the_rasa_server(request: Request):
        if request.path in OPEN_PATHS:
            return None
        given = request.headers.get(TOKEN_HEADER, "")
        if not hmac.compare_digest(given.encode(), token.encode()):
            logger.warning("action server: call without the right token refused")
            return response.json({"error": "forbidden"}, status=403)
        return None

    app.register_middleware(only_the_rasa_server, "request")
    return app


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("ACTION_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTION_PORT", "5055")))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    log_redaction.install()
    app = build_app(require_secret(os.environ, "ACTION_SERVER_TOKEN"))
    app.run(host=args.host, port=args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
