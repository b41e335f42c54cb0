"""Benchmark: the review workspace with 10,000 conversations (about 200,000
events) on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.review_store [--conversations N] [--repeat R]

Fills a fresh database with synthetic conversations in Rasa's event format,
lets the indexer catch up once (reported on its own: it happens once, when the
workspace first meets the data), then times full page renders through the
Flask app, signed in as a nurse: the queue with several filters, deep paging,
the CSV export and transcript pages. Target: under 300 ms per page. Writes
reports/bench-review-store.json.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Callable, Dict, List

import sqlalchemy as sa

from bot import PROJECT_ROOT
from bot.devtools import synthetic
from bot.review import accounts
from bot.review.app import create_app
from bot.store import migrate
from bot.store.db import engine_for, session_scope

TARGET_MS = 300
PASSWORD = "benchmark password"
QUEUE_PAGES = {
    "queue (default order)": "/queue",
    "queue: emergency only": "/queue?level=emergency",
    "queue: red flag + sms": "/queue?red_flag=fever&channel=sms",
    "queue: unreviewed, low confidence": "/queue?status=unreviewed&low_confidence=1",
    "queue: text search": "/queue?q=physical+therapy",
    "queue: intent + dates": "/queue?intent=causes&from=2023-11-01&to=2023-12-31",
    "queue: page 150": "/queue?page=150",
}


def timed(call: Callable[[], object], repeat: int) -> Dict[str, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


def run(url: str, conversations: int, repeat: int) -> Dict:
    result: Dict = {"conversations": conversations}
    migrate.upgrade(url)
    engine = sa.create_engine(url)
    start = time.perf_counter()
    with engine.begin() as connection:
        result["events"] = synthetic.fill(connection, conversations)
    engine.dispose()
    result["fill_s"] = round(time.perf_counter() - start, 1)
    with session_scope(url) as session:
        accounts.add_nurse(session, "bench", "nurse", PASSWORD)

    app = create_app(url, secret_key="benchmark")
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"name": "bench", "password": PASSWORD, "csrf_token": token})

    start = time.perf_counter()
    assert client.get("/queue").status_code == 200  # the indexer's one-time catch-up
    result["first_index_s"] = round(time.perf_counter() - start, 1)

    pages: Dict[str, Dict[str, float]] = {}
    for label, path in QUEUE_PAGES.items():
        def get(path=path):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        pages[label] = timed(get, repeat)
    ids = [int(i) for i in re.findall(r'href="/conversations/(\d+)"', client.get("/queue").text)]
    ids += [1, conversations // 2, conversations]
    transcripts: List[Dict[str, float]] = []
    for conversation_id in ids[:10]:
        transcripts.append(timed(lambda: client.get(f"/conversations/{conversation_id}"), repeat))
    pages["transcript (10 conversations)"] = {
        "median_ms": round(statistics.median(t["median_ms"] for t in transcripts), 1),
        "max_ms": round(max(t["max_ms"] for t in transcripts), 1),
    }
    pages["CSV export: emergency only"] = timed(lambda: client.get("/queue.csv?level=emergency"), 1)
    result["pages"] = pages
    result["all_under_target"] = all(
        p["median_ms"] < TARGET_MS for label, p in pages.items() if not label.startswith("CSV"))
    engine_for(url).dispose()
    return result


def postgres_database() -> str:
    admin_url = "postgresql://root@127.0.0.1:5432/postgres"
    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"postgresql://root@127.0.0.1:5432/{name}"


def drop_postgres(url: str) -> None:
    name = sa.engine.make_url(url).database
    admin = sa.create_engine("postgresql://root@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def report(results: Dict[str, Dict]) -> str:
    lines = []
    for backend, r in results.items():
        lines.append(f"\n{backend}: {r['conversations']} conversations, {r['events']} events "
                     f"(filled in {r['fill_s']} s; first indexing {r['first_index_s']} s)")
        for label, p in r["pages"].items():
            flag = "" if p["median_ms"] < TARGET_MS or label.startswith("CSV") else "  OVER TARGET"
            lines.append(f"  {label:38s} median {p['median_ms']:7.1f} ms   max {p['max_ms']:7.1f} ms{flag}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args(argv)

    results = {}
    with tempfile.TemporaryDirectory() as folder:
        print("SQLite ...", flush=True)
        results["SQLite"] = run(f"sqlite:///{Path(folder) / 'bench.db'}", args.conversations,
                                args.repeat)
    if not args.skip_postgres:
        print("PostgreSQL ...", flush=True)
        url = postgres_database()
        try:
            results["PostgreSQL"] = run(url, args.conversations, args.repeat)
        finally:
            drop_postgres(url)
    print(report(results))
    out = PROJECT_ROOT / "reports" / "bench-review-store.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"\nWritten to {out.relative_to(PROJECT_ROOT)}")
    return 0 if all(r["all_under_target"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
