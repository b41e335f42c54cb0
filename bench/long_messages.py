"""Does one long message hold up everyone else? (issue 14)

    .venv/bin/python -m bench.long_messages [--seconds 30] [--long-senders 1]

Starts our stack on a scratch SQLite file, then measures the latency of
normal messages ("ice or heat?", "my back hurts", a red flag) sent one after
another, first alone and then while other clients send maximum-size messages
(20,000 characters, the REST limit) without pause. Reports p50/p95/max of the
normal messages in both phases, the long messages' own latency, and the time
to a 911 reply for a red flag sent beside them; writes
reports/bench/long_messages.json.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Dict, List

from bot import PROJECT_ROOT, settings
from bot.ops.serve import local_stack
from bot.server.channels.rest import MAX_MESSAGE_CHARS

NORMAL = ["ice or heat?", "my back hurts", "is bed rest good for a bad back?", "i wet myself and my back hurts"]
STORY = "my back has been sore for weeks and I keep telling everyone at work about it. "
LONG = (STORY * (MAX_MESSAGE_CHARS // len(STORY) + 1))[:MAX_MESSAGE_CHARS]


def send(url: str, sender: str, text: str) -> tuple:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        replies = json.load(response)
    return time.perf_counter() - started, replies


def normal_phase(url: str, seconds: float) -> Dict[str, List[float]]:
    latencies: Dict[str, List[float]] = {"all": [], "red flag": []}
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        text = NORMAL[n % len(NORMAL)]
        took, replies = send(url, f"normal-{uuid.uuid4().hex[:8]}", text)
        latencies["all"].append(took)
        if "wet myself" in text:
            assert "911" in " ".join(r.get("text") or "" for r in replies)
            latencies["red flag"].append(took)
        n += 1
    return latencies


def summary(values: List[float]) -> Dict[str, float]:
    values = sorted(values)
    if not values:
        return {}
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    return {"n": len(values), "p50_ms": round(statistics.median(values) * 1000, 1),
            "p95_ms": round(p95 * 1000, 1), "max_ms": round(values[-1] * 1000, 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--long-senders", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder, \
            local_stack(settings.runtime_env(), f"sqlite:///{Path(folder) / 'bench.db'}") as stack:
        url = stack.rasa_url
        send(url, "warm-up", "hi")
        alone = normal_phase(url, args.seconds)
        stop = threading.Event()
        long_latencies: List[float] = []

        def long_sender() -> None:
            while not stop.is_set():
                long_latencies.append(send(url, f"long-{uuid.uuid4().hex[:8]}", LONG)[0])

        threads = [threading.Thread(target=long_sender) for _ in range(args.long_senders)]
        for thread in threads:
            thread.start()
        time.sleep(1)
        beside = normal_phase(url, args.seconds)
        stop.set()
        for thread in threads:
            thread.join()
    result = {
        "long_message_chars": len(LONG), "long_senders": args.long_senders,
        "normal_alone": summary(alone["all"]), "normal_beside_long": summary(beside["all"]),
        "red_flag_beside_long": summary(beside["red flag"]), "long_messages": summary(long_latencies),
    }
    out = PROJECT_ROOT / "reports" / "bench" / "long_messages.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
