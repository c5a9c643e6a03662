#!/usr/bin/env python
"""Load benchmark of the Africa's Talking channels: USSD sessions and inbound SMS callbacks.

Replays full USSD sessions (form posts shaped like Africa's Talking's: sessionId, serviceCode,
phoneNumber, networkCode, text with every input so far joined by "*"), in English and Kiswahili,
some abandoned half-way and followed by the session-end event, and inbound SMS callbacks (from, to,
text, date, id, linkId, networkCode), some sent twice with the same `id` as the provider does when it
retries. Requests go to a running server from this second process, from several threads at once.

A failure is any answer other than 200, a USSD body not starting "CON " or "END ", or a transport
error. Printed: throughput (requests/s), median, 95th and 99th percentile latency (ms) per kind of
request and overall, and the failures.

    bench/channels_bench.py [URL] --secret SECRET [--sessions 600] [--concurrency 16] [--rate 0]

`--rate R` paces the requests at R a second in total (an open loop: latency is counted from the time
each request was due, so a server that falls behind shows it); without it each thread sends its next
request as soon as the last one answered (closed loop, the highest throughput the server reaches at
that concurrency). See bench/README.md.
"""

from __future__ import annotations

import argparse
import math
import os
import queue
import random
import statistics
import threading
import time
import uuid
from dataclasses import dataclass, field

import httpx

SERVICE_CODE = "*384*1234#"
NETWORKS = ("63902", "63903", "63907")
PLACES = (
    "Kibera near the church",
    "Eastleigh 1st Avenue",
    "Kawangware stage",
    "Mathare 4A",
    "Karibu na soko la Gikomba",
    "Nyuma ya kanisa, Kariobangi",
)
SMS_TEXTS = (
    "There are young girls locked in a house near the market, please help",
    "Kuna watoto wanafanya kazi kwa nyumba ya jirani na hawaendi shule",
    "A man is recruiting girls for work in Dubai, he takes their passports",
    "Wasichana wanaletwa usiku kwa gari nyeupe huko Eastleigh SILENT",
)


@dataclass
class Step:
    kind: str  # "ussd", "ussd-end" or "sms"
    path: str
    form: dict[str, str]


@dataclass
class Result:
    kind: str
    latency: float
    ok: bool
    reason: str = ""


@dataclass
class Plan:
    scripts: list[list[Step]] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(len(s) for s in self.scripts)


def _phone(rng: random.Random) -> str:
    return f"+2547{rng.randint(0, 99999999):08d}"


def ussd_session(rng: random.Random, *, abandon: bool, end_event: bool) -> list[Step]:
    """One reporter's session: language, what, where, danger, callback; or part of it."""
    session_id = f"ATUid_{uuid.UUID(int=rng.getrandbits(128)).hex}"
    phone = _phone(rng)
    network = rng.choice(NETWORKS)
    inputs = [
        rng.choice(("1", "2")),
        rng.choice(("1", "2", "3", "4")),
        rng.choice(PLACES),
        rng.choice(("1", "2")),
        rng.choice(("0", "0", "0712345678")),
    ]
    if abandon:
        inputs = inputs[: rng.randint(2, 3)]
    steps = []
    for count in range(len(inputs) + 1):
        text = "*".join(inputs[:count])
        steps.append(
            Step(
                "ussd",
                "ussd/",
                {
                    "sessionId": session_id,
                    "serviceCode": SERVICE_CODE,
                    "phoneNumber": phone,
                    "networkCode": network,
                    "text": text,
                },
            )
        )
    if end_event:
        steps.append(
            Step(
                "ussd-end",
                "ussd-events/",
                {
                    "date": time.strftime("%Y-%m-%d %H:%M:%S"),
                    "sessionId": session_id,
                    "serviceCode": SERVICE_CODE,
                    "networkCode": network,
                    "phoneNumber": phone,
                    "status": "Incomplete" if abandon else "Success",
                    "cost": "KES 0.0000",
                    "durationInMillis": str(rng.randint(20000, 170000)),
                    "hopsCount": str(len(steps)),
                    "input": inputs[-1] if inputs else "",
                    "lastAppResponse": "CON ...",
                    "errorMessage": "",
                },
            )
        )
    return steps


def sms_callback(rng: random.Random, *, repeat: bool) -> list[Step]:
    message_id = f"ATXid_{uuid.UUID(int=rng.getrandbits(128)).hex}"
    form = {
        "from": _phone(rng),
        "to": "21525",
        "text": rng.choice(SMS_TEXTS),
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "id": message_id,
        "linkId": "",
        "networkCode": rng.choice(NETWORKS),
    }
    step = Step("sms", "sms/", form)
    # The provider retries a callback it thinks was not answered: same id, same fields.
    return [step, Step("sms", "sms/", dict(form))] if repeat else [step]


def build_plan(*, sessions: int, sms: int, seed: int) -> Plan:
    rng = random.Random(seed)  # noqa: S311 - load generation
    scripts = []
    for _ in range(sessions):
        abandon = rng.random() < 0.2
        scripts.append(ussd_session(rng, abandon=abandon, end_event=abandon or rng.random() < 0.3))
    for _ in range(sms):
        scripts.append(sms_callback(rng, repeat=rng.random() < 0.1))
    rng.shuffle(scripts)
    return Plan(scripts)


class Pacer:
    """Hands out send times `1/rate` apart (rate 0: now, every time)."""

    def __init__(self, rate: float):
        self.rate = rate
        self.lock = threading.Lock()
        self.next_at = 0.0

    def start(self) -> None:
        self.next_at = time.perf_counter()

    def slot(self) -> float:
        now = time.perf_counter()
        if not self.rate:
            return now
        with self.lock:
            due = self.next_at
            self.next_at += 1 / self.rate
        if due > now:
            time.sleep(due - now)
        return due


def check(step: Step, response: httpx.Response) -> tuple[bool, str]:
    if response.status_code != 200:
        return False, f"HTTP {response.status_code}"
    if step.kind == "ussd" and not response.text.startswith(("CON ", "END ")):
        return False, "USSD body without CON/END"
    return True, ""


def run(
    *, base: str, secret: str, plan: Plan, concurrency: int, rate: float, timeout: float
) -> tuple[list[Result], float]:
    prefix = f"{base.rstrip('/')}/hooks/africastalking/{secret}/"
    work: queue.Queue[list[Step]] = queue.Queue()
    for script in plan.scripts:
        work.put(script)
    results: list[Result] = []
    results_lock = threading.Lock()
    pacer = Pacer(rate)
    # Behind nginx in production: TLS ends there and it says so.
    headers = {"X-Forwarded-Proto": "https"}

    def worker() -> None:
        mine: list[Result] = []
        with httpx.Client(timeout=timeout, headers=headers) as client:
            while True:
                try:
                    script = work.get_nowait()
                except queue.Empty:
                    break
                for step in script:
                    due = pacer.slot()
                    try:
                        response = client.post(prefix + step.path, data=step.form)
                        ok, reason = check(step, response)
                    except httpx.HTTPError as error:
                        ok, reason = False, type(error).__name__
                    mine.append(Result(step.kind, time.perf_counter() - due, ok, reason))
        with results_lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    pacer.start()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def _cpu_seconds(patterns: list[str]) -> tuple[float, int]:
    """CPU time (user + system) used so far by the processes whose command line matches one of
    `patterns` (the server's workers, the database backends), and how many there are."""
    import re

    ticks = os.sysconf("SC_CLK_TCK")
    total, count = 0.0, 0
    compiled = [re.compile(p) for p in patterns]
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read().replace(b"\0", b" ").decode(errors="replace")
            if not any(c.search(command) for c in compiled):
                continue
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
        count += 1
    return total, count


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    # Nearest rank: the smallest latency at least `share` of the requests met.
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0


def report(results: list[Result], elapsed: float) -> None:
    print(f"{'kind':<10}{'requests':>9}{'req/s':>9}{'median':>9}{'p95':>9}{'p99':>9}{'failed':>8}")
    kinds = ["ussd", "ussd-end", "sms"]
    for kind in [*kinds, "all"]:
        rows = [r for r in results if kind == "all" or r.kind == kind]
        if not rows:
            continue
        ms = [r.latency * 1000 for r in rows]
        failed = sum(not r.ok for r in rows)
        print(
            f"{kind:<10}{len(rows):>9}{len(rows) / elapsed:>9.1f}{statistics.median(ms):>9.1f}"
            f"{percentile(ms, 0.95):>9.1f}{percentile(ms, 0.99):>9.1f}{failed:>8}"
        )
    reasons: dict[str, int] = {}
    for r in results:
        if not r.ok:
            reasons[r.reason] = reasons.get(r.reason, 0) + 1
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
        print(f"  failed: {count} x {reason}")
    print(f"wall time {elapsed:.1f} s; latencies in ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--secret", default=os.environ.get("TUMAINI_AT_CALLBACK_SECRET", ""))
    parser.add_argument(
        "--sessions", type=int, default=600, help="USSD sessions (about 6 requests each)"
    )
    parser.add_argument("--sms", type=int, default=300, help="inbound SMS callbacks")
    parser.add_argument("--concurrency", type=int, default=16, help="threads sending at once")
    parser.add_argument(
        "--rate", type=float, default=0, help="total requests/s (0: as fast as answered)"
    )
    parser.add_argument(
        "--warmup", type=int, default=30, help="USSD sessions sent first, not counted"
    )
    parser.add_argument("--seed", type=int, default=None, help="default: a new one each run")
    parser.add_argument(
        "--timeout", type=float, default=15.0, help="seconds (Africa's Talking waits 15)"
    )
    parser.add_argument(
        "--cpu-match",
        action="append",
        default=[],
        help="regex on process command lines whose CPU time is counted (repeatable): the server "
        "workers and database backends, for a CPU cost per request on a shared machine",
    )
    args = parser.parse_args()
    if not args.secret:
        parser.error("give --secret or set TUMAINI_AT_CALLBACK_SECRET")
    # New sessionIds and message ids every run unless a seed is given: the server keeps state.
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    if args.warmup:
        warm = build_plan(sessions=args.warmup, sms=args.warmup // 3, seed=seed + 1)
        run(
            base=args.url,
            secret=args.secret,
            plan=warm,
            concurrency=min(4, args.concurrency),
            rate=0,
            timeout=args.timeout,
        )
    plan = build_plan(sessions=args.sessions, sms=args.sms, seed=seed)
    print(
        f"{args.url}: {args.sessions} USSD sessions and {args.sms} SMS callbacks "
        f"({plan.requests} requests), concurrency {args.concurrency}, "
        f"rate {args.rate or 'unpaced'}, seed {seed}"
    )
    cpu_before, processes = _cpu_seconds(args.cpu_match) if args.cpu_match else (0.0, 0)
    results, elapsed = run(
        base=args.url,
        secret=args.secret,
        plan=plan,
        concurrency=args.concurrency,
        rate=args.rate,
        timeout=args.timeout,
    )
    report(results, elapsed)
    if args.cpu_match:
        cpu_after, _count = _cpu_seconds(args.cpu_match)
        per_request = (cpu_after - cpu_before) / len(results) * 1000
        cores = os.cpu_count() or 1
        print(
            f"server CPU: {per_request:.2f} ms a request over {processes} processes; "
            f"{cores} idle cores would serve at most {cores * 1000 / per_request:.0f} requests/s "
            "(leaving nothing for the client)"
        )


if __name__ == "__main__":
    main()
