"""Load benchmark: our assistant against the stock `rasa init` bot.

    .venv/bin/python -m bench.load [--users 10] [--seconds 60] [--rounds 3]
                                   [--db sqlite|postgresql|both]

It starts the stock bot that `rasa init` creates (trained on the fly in a
temporary folder, its default in-memory tracker store, no action server) and,
for each tracker store, our stack (action server + Rasa server, SQL tracker
store, SMS channel with a local fake of Twilio's Messages API) on free ports.
Then N simulated people talk to one assistant at a time, all at once and
without pauses. Ours get realistic conversations: a myth question, a symptom
check through the form, an escalation, and SMS-style short replies over the
signed SMS webhook. The time is split into rounds, and every round visits each
assistant in turn, so a host that slows down for a while slows all of them.

Reports messages per second, p50/p95/p99 latency, errors, and the peak memory
(VmHWM) of the Rasa and action servers; prints our throughput and p95 as
ratios to the stock bot's; writes reports/bench/load.json and a latency plot.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import aiohttp
from twilio.request_validator import RequestValidator

from bot import PROJECT_ROOT, settings
from bot.devtools.sms_sim import FakeTwilio
from bot.ops.serve import free_port, local_stack

OUT = PROJECT_ROOT / "reports" / "bench"
TARGETS = {"throughput_ratio": 0.8, "p95_ms": 500, "errors": 0, "rasa_peak_mb": 1536}
SMS_ENV = {"TWILIO_ACCOUNT_SID": "ACbench", "TWILIO_AUTH_TOKEN": "bench-token-not-a-secret",
           "TWILIO_FROM_NUMBER": "+15550100000", "SMS_SENDER_KEY": "bench-key-not-a-secret"}

# What people say. A conversation is ("rest" | "sms", [messages]).
MYTH = ("rest", ["is bed rest good for back pain?", "what exercises can i do?", "thanks"])
SYMPTOM_CHECK = ("rest", ["my back hurts", "/start_symptom_check", "lower back", "first time",
                          "about 3 days", "4", "no", "45", "none of those"])
ESCALATION = ("rest", ["my back is bad and i wet myself, cant feel my legs"])
SMS_SHORT = ("sms", ["hi", "2", "1", "ok thx"])
OURS = [MYTH, SYMPTOM_CHECK, ESCALATION, SMS_SHORT]
STOCK = [("rest", ["hi", "I am sad", "yes", "bye"]), ("rest", ["hello", "great", "bye"]),
         ("rest", ["are you a bot?", "good morning", "very good", "goodbye"])]


@dataclass
class Result:
    bot: str
    store: str
    users: int
    seconds: float
    messages: int = 0
    errors: int = 0
    latencies_ms: List[float] = field(default_factory=list)
    rasa_peak_mb: Optional[float] = None
    actions_peak_mb: Optional[float] = None

    def summary(self) -> Dict:
        lat = sorted(self.latencies_ms) or [0.0]

        def pct(p: float) -> float:
            return round(lat[min(len(lat) - 1, int(p / 100 * len(lat)))], 1)

        return {"bot": self.bot, "store": self.store, "users": self.users,
                "seconds": round(self.seconds, 1), "messages": self.messages,
                "errors": self.errors, "messages_per_s": round(self.messages / self.seconds, 1),
                "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99),
                "mean_ms": round(statistics.mean(lat), 1),
                "rasa_peak_mb": self.rasa_peak_mb, "actions_peak_mb": self.actions_peak_mb}


async def person(session: aiohttp.ClientSession, base: str, scripts, result: Result,
                 stop_at: float, rng: random.Random) -> None:
    """One simulated person: conversation after conversation until time is up."""
    while time.monotonic() < stop_at:
        channel, messages = rng.choice(scripts)
        sender = f"load-{uuid.uuid4().hex[:12]}"
        phone = f"+1555{rng.randint(1000000, 9999999)}"
        for text in messages:
            if time.monotonic() >= stop_at:
                return
            start = time.perf_counter()
            ok = await (send_sms(session, base, phone, text) if channel == "sms"
                        else send_rest(session, base, sender, text))
            result.latencies_ms.append((time.perf_counter() - start) * 1000)
            result.messages += 1
            result.errors += not ok


async def send_rest(session: aiohttp.ClientSession, base: str, sender: str, text: str) -> bool:
    try:
        async with session.post(f"{base}/webhooks/rest/webhook",
                                json={"sender": sender, "message": text}) as response:
            return response.status == 200 and bool(await response.json())
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        return False


async def send_sms(session: aiohttp.ClientSession, base: str, phone: str, text: str) -> bool:
    url = f"{base}/webhooks/sms/webhook"
    form = {"MessageSid": "SM" + uuid.uuid4().hex, "From": phone, "To": "+15550100000",
            "Body": text, "NumMedia": "0"}
    headers = {"X-Twilio-Signature": RequestValidator(SMS_ENV["TWILIO_AUTH_TOKEN"]).compute_signature(url, form)}
    try:
        async with session.post(url, data=form, headers=headers) as response:
            return response.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False


async def load(base: str, scripts, result: Result, seconds: float) -> None:
    """N people at once for `seconds`; adds to `result` (rounds accumulate)."""
    stop_at = time.monotonic() + seconds
    rng = random.Random(42 + len(result.latencies_ms))
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        start = time.monotonic()
        await asyncio.gather(*(person(session, base, scripts, result, stop_at,
                                      random.Random(rng.random())) for _ in range(result.users)))
        result.seconds += time.monotonic() - start


async def warm_up(base: str, scripts) -> None:
    """First-call costs (model graphs, connections) are not what we measure."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        for _, messages in scripts:
            await send_rest(session, base, "warm-up", messages[0])


def peak_mb(pid: int) -> Optional[float]:
    """The process's peak resident memory (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


@contextmanager
def database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    from bench.review_store import drop_postgres, postgres_database

    url = postgres_database()
    try:
        yield url
    finally:
        drop_postgres(url)


@dataclass
class Target:
    """One running assistant under test."""
    result: Result
    base: str
    scripts: list
    rasa_pid: int
    actions_pid: Optional[int] = None
    fake: Optional[FakeTwilio] = None

    def record_memory(self) -> None:
        self.result.rasa_peak_mb = peak_mb(self.rasa_pid)
        if self.actions_pid:
            self.result.actions_peak_mb = peak_mb(self.actions_pid)

    def summary(self) -> Dict:
        summary = self.result.summary()
        if self.fake is not None:
            summary["sms_texts_sent"] = len(self.fake.sent)
        return summary


@contextmanager
def our_stack(store: str, users: int) -> Iterator[Target]:
    fake = FakeTwilio(SMS_ENV["TWILIO_ACCOUNT_SID"], SMS_ENV["TWILIO_AUTH_TOKEN"])
    env = dict(settings.runtime_env(), **SMS_ENV, TWILIO_API_BASE=fake.url)
    try:
        with database(store) as url, local_stack(env, url) as stack:
            actions, rasa = stack.processes[0], stack.processes[1]
            yield Target(Result("ours", store, users, 0.0), stack.rasa_url, OURS,
                         rasa.pid, actions.pid, fake)
    finally:
        fake.close()


@contextmanager
def stock_bot(users: int, folder: Path) -> Iterator[Target]:
    env = settings.runtime_env()
    if not list((folder / "models").glob("*.tar.gz")):
        print("  training the stock `rasa init` bot (a minute or two) ...", flush=True)
        subprocess.run([sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir",
                        str(folder)], cwd=folder, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "rasa", "run", "--enable-api", "--port", str(port),
         "--model", str(folder / "models")],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while not _up(f"{base}/status"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the stock bot did not start")
            time.sleep(0.5)
        yield Target(Result("stock rasa init", "in-memory (its default)", users, 0.0),
                     base, STOCK, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _up(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


def plot(latencies: Dict[str, List[float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    figure, axis = plt.subplots(figsize=(8, 4.5))
    for label, values in latencies.items():
        values = sorted(values)
        if values:
            axis.plot(values, [i / len(values) for i in range(1, len(values) + 1)], label=label)
    axis.axvline(TARGETS["p95_ms"], color="grey", linestyle="--", label="500 ms")
    axis.set_xscale("log")
    axis.set_xticks([50, 100, 200, 300, 500, 1000, 2000])
    axis.xaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
    axis.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    axis.set_xlabel("latency per message (ms, log scale)")
    axis.set_ylabel("share of messages at or below")
    axis.set_title("Latency under load (cumulative)")
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def verdict(ours: Dict, stock: Dict) -> Dict:
    ratio = ours["messages_per_s"] / stock["messages_per_s"] if stock["messages_per_s"] else 0.0
    return {
        "throughput_ratio": round(ratio, 2),
        "p95_ratio": round(ours["p95_ms"] / stock["p95_ms"], 2) if stock["p95_ms"] else None,
        "meets": {
            "throughput >= 0.8 x stock": ratio >= TARGETS["throughput_ratio"],
            "p95 < 500 ms": ours["p95_ms"] < TARGETS["p95_ms"],
            "zero errors": ours["errors"] == TARGETS["errors"],
            "Rasa server < 1.5 GB": (ours["rasa_peak_mb"] or 0) < TARGETS["rasa_peak_mb"],
        },
    }


def table(rows: List[Dict]) -> str:
    head = f"{'bot':17} {'tracker store':24} {'msg/s':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'errors':>6} {'Rasa MB':>8} {'actions MB':>10}"
    lines = [head]
    for r in rows:
        lines.append(f"{r['bot']:17} {r['store']:24} {r['messages_per_s']:6.1f} {r['p50_ms']:7.1f} "
                     f"{r['p95_ms']:7.1f} {r['p99_ms']:7.1f} {r['errors']:6d} "
                     f"{r['rasa_peak_mb'] or 0:8.0f} {r['actions_peak_mb'] or 0:10.0f}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60,
                        help="load time per assistant, split over the rounds")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args(argv)
    stores = ["sqlite", "postgresql"] if args.db == "both" else [args.db]

    with tempfile.TemporaryDirectory(prefix="stock-rasa-") as folder, ExitStack() as running:
        print("Starting the stock bot and ours on " + " and ".join(stores) + " ...", flush=True)
        targets = [running.enter_context(stock_bot(args.users, Path(folder)))]
        targets += [running.enter_context(our_stack(store, args.users)) for store in stores]
        for target in targets:
            asyncio.run(warm_up(target.base, target.scripts))
        # Machine speed drifts (shared hosts): each assistant gets its share of
        # every round, so the ratios compare like with like.
        share = args.seconds / args.rounds
        for round_number in range(1, args.rounds + 1):
            for target in targets:
                print(f"  round {round_number}/{args.rounds}: {target.result.bot}, "
                      f"{target.result.store}, {args.users} users, {share:.0f} s", flush=True)
                asyncio.run(load(target.base, target.scripts, target.result, share))
        for target in targets:
            target.record_memory()
        summaries = [target.summary() for target in targets]
        latencies = {("stock rasa init" if t.result.bot != "ours" else f"ours, {t.result.store}"):
                     t.result.latencies_ms for t in targets}

    stock, rows = summaries[0], summaries
    results = {"stock": stock, "ours": {}}
    for store, ours in zip(stores, summaries[1:]):
        ours["vs_stock"] = verdict(ours, stock)
        results["ours"][store] = ours
    print("\n" + table(rows))
    for store, ours in results["ours"].items():
        v = ours["vs_stock"]
        print(f"\nOurs on {store}: throughput {v['throughput_ratio']} x stock, "
              f"p95 {v['p95_ratio']} x stock")
        for name, ok in v["meets"].items():
            print(f"  {'ok  ' if ok else 'MISS'} {name}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "load.json").write_text(json.dumps(results, indent=2))
    plot(latencies, OUT / "load-latency.png")
    print(f"\nWritten to {(OUT / 'load.json').relative_to(PROJECT_ROOT)} and load-latency.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
