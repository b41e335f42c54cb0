"""A small round-robin reverse proxy in front of several Rasa servers.

`bot run --servers N` starts it on RASA_PORT with the N Rasa servers behind
it; a deployment would use nginx or a load balancer instead
(deploy/nginx.conf). Any server can take any message: conversations live in
the shared tracker store and the Redis lock store keeps one conversation's
messages in order. A request that cannot even connect to one server is tried
on the next (it never reached Rasa, so nothing runs twice); other failures are
passed back as they are. Each answer names its server in X-Served-By.
"""
from __future__ import annotations

import argparse
import itertools
import sys
from typing import List

import aiohttp
from aiohttp import web

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
              "trailers", "transfer-encoding", "upgrade", "host", "content-length"}


def make_app(upstreams: List[str]) -> web.Application:
    turns = itertools.cycle(range(len(upstreams)))
    session_key = web.AppKey("session", aiohttp.ClientSession)

    async def forward(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["X-Forwarded-For"] = request.remote or ""
        first = next(turns)
        for offset in range(len(upstreams)):
            upstream = upstreams[(first + offset) % len(upstreams)]
            try:
                async with request.app[session_key].request(
                    request.method, upstream + request.path_qs, data=body, headers=headers,
                    allow_redirects=False,
                ) as answer:
                    payload = await answer.read()
                    out = {k: v for k, v in answer.headers.items() if k.lower() not in HOP_BY_HOP}
                    out["X-Served-By"] = upstream
                    return web.Response(status=answer.status, body=payload, headers=out)
            except aiohttp.ClientConnectorError:
                continue  # never reached that server: safe to try the next one
        return web.json_response({"error": "no Rasa server is reachable"}, status=502)

    async def open_session(app: web.Application):
        app[session_key] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120))
        yield
        await app[session_key].close()

    app = web.Application(client_max_size=4 * 1024 * 1024)
    app.cleanup_ctx.append(open_session)
    app.router.add_route("*", "/{tail:.*}", forward)
    return app


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.ops.proxy", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", action="append", required=True,
                        help="a Rasa server's base URL; repeat for each server")
    args = parser.parse_args(argv)
    web.run_app(make_app([u.rstrip("/") for u in args.upstream]), host=args.host,
                port=args.port, print=None, access_log=None, handle_signals=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
