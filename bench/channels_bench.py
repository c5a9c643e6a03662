#!/usr/bin/env python
"""Load benchmark of the Africa's Talking channels: USSD sessions and inbound SMS callbacks.

Replays full USSD sessions (form posts shaped like Africa's Talking's: sessionId, serviceCode,
phoneNumber, networkCode, text with every input so far joined by "*"), in English and Kiswahili,
some abandoned half-way and followed by the session-end event, and inbound SMS callbacks (from, to,
text, date, id, linkId, networkCode), some sent twice with the same `id` as the provider does when it
retries. Requests go to a running server from this second process: `--concurrency` reporters at
once on one asyncio loop, each request built in advance, so the client's own CPU (printed) stays small
beside the server's on a shared machine.

A failure is any answer other than 200, a USSD body not starting "CON " or "END " or longer than
160 characters, or a transport error (or no answer within `--timeout`). Printed: throughput (requests/s), median, 95th and 99th percentile latency (ms) per kind of
request and overall, and the failures.

    bench/channels_bench.py [URL] --secret SECRET [--sessions 600] [--concurrency 16] [--rate 0]

`--rate R` paces the requests at R a second in total (an open loop: latency is counted from the time
each request was due, so a server that falls behind shows it); without it each reporter sends its next
request as soon as the last one answered (closed loop, the highest throughput the server reaches at
that concurrency). See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import resource
import statistics
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

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


def request_bytes(host: str, path: str, form: dict[str, str]) -> bytes:
    """The whole HTTP request, built before the run so the client spends its CPU on sending."""
    body = urlencode(form).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        # Behind nginx in production: TLS ends there and it says so.
        "X-Forwarded-Proto: https\r\n"
        f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
    )
    return head.encode() + body


def check(kind: str, status: int, body: bytes) -> tuple[bool, str]:
    if status != 200:
        return False, f"HTTP {status}"
    if kind == "ussd":
        if not body.startswith((b"CON ", b"END ")):
            return False, "USSD body without CON/END"
        if len(body.decode("utf-8", "replace")) > 160:
            return False, "USSD screen over 160 characters"
    return True, ""


class Connection:
    """One HTTP/1.1 connection, reopened when the server closes it (gunicorn's sync workers close
    after every answer; gthread workers keep it open)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def exchange(self, request: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length, close, chunked = None, False, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value == b"close":
                close = True
            elif name == b"transfer-encoding" and value == b"chunked":
                chunked = True
        if chunked:
            body = b""
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                body += (await self.reader.readexactly(size + 2))[:-2]
            await self.reader.readuntil(b"\r\n")
        elif length is None:
            body, close = await self.reader.read(), True
        else:
            body = await self.reader.readexactly(length)
        if close:
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _run(
    *, base: str, secret: str, plan: Plan, concurrency: int, rate: float, timeout: float
) -> tuple[list[Result], float]:
    url = urlsplit(base)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    prefix = f"{url.path.rstrip('/')}/hooks/africastalking/{secret}/"
    scripts = deque(
        [(step.kind, request_bytes(url.netloc, prefix + step.path, step.form)) for step in script]
        for script in plan.scripts
    )
    results: list[Result] = []
    sent = 0
    loop = asyncio.get_running_loop()
    started = loop.time()

    async def due_time() -> float:
        # Open loop when paced: request n is due at start + n / rate, whenever it can be sent.
        nonlocal sent
        now = loop.time()
        if not rate:
            return now
        due = started + sent / rate
        sent += 1
        if due > now:
            await asyncio.sleep(due - now)
        return due

    async def reporter() -> None:
        connection = Connection(host, port)
        while scripts:
            for kind, request in scripts.popleft():
                due = await due_time()
                try:
                    status, body = await asyncio.wait_for(connection.exchange(request), timeout)
                    ok, reason = check(kind, status, body)
                except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as e:
                    connection.close()
                    ok, reason = False, type(e).__name__
                results.append(Result(kind, loop.time() - due, ok, reason))
        connection.close()

    await asyncio.gather(*(reporter() for _ in range(concurrency)))
    return results, loop.time() - started


def run(
    *, base: str, secret: str, plan: Plan, concurrency: int, rate: float, timeout: float
) -> tuple[list[Result], float]:
    """Each of `concurrency` tasks plays one script (a USSD session, an SMS) after another, on one
    asyncio loop: the client's own CPU stays small beside the server's on the same machine."""
    return asyncio.run(
        _run(
            base=base,
            secret=secret,
            plan=plan,
            concurrency=concurrency,
            rate=rate,
            timeout=timeout,
        )
    )


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
    parser.add_argument("--concurrency", type=int, default=16, help="reporters sending at once")
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
    usage = resource.getrusage(resource.RUSAGE_SELF)
    client_before = usage.ru_utime + usage.ru_stime
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
    usage = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = (usage.ru_utime + usage.ru_stime - client_before) / len(results) * 1000
    print(
        f"client CPU: {client_cpu:.2f} ms a request (this process, building the requests included)"
    )
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
