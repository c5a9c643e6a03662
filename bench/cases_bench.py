"""Case-management benchmark: lists, name search at three sizes, the case page, intake with its
duplicate check. See bench/README.md for the data set, the server and the budgets.

The case page is timed per section (tab): the overview at the case's own URL, then each section its
tab bar links (`?section=...`).

Two modes:
- HTTP (default): against a running server (URL argument, default http://127.0.0.1:8000), signed in
  through the login page as a NON-superuser demo account (default "caseworker"), so the access policy,
  the audit trail and the middleware all run. SQL queries per request come from the X-Bench-Queries
  header that bench/serve.sh adds (gunicorn, one sync worker); "n/a" from a server without it.
- --in-process: the same screens through Django's test client in this process, against the database
  that DATABASE_URL / TUMAINI_DATA_DIR name, with the SQL queries of each request counted
  (CaptureQueriesContext). No network, no server.

Requests are sequential: 3 warm-ups, then 30 timed, each body read in full. Prints median, p95, response
size and queries per request. Saving an intake creates cases: run it on a benchmark database only.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

BUDGETS_MS = {"list": 150, "case": 150, "search": 150, "duplicate": 50}


@dataclass
class Reply:
    status: int
    body: bytes
    queries: str
    # CPU time of the process that served the request (the server's X-Bench-CPU-ms header, or this
    # process in-process), None when unknown.
    cpu_ms: float | None


@dataclass
class Result:
    screen: str
    median_ms: float
    p95_ms: float
    size: int
    queries: str
    status: int
    budget: int | None
    cpu_median_ms: float | None = None

    def line(self) -> str:
        budget = ""
        if self.budget is not None:
            budget = "ok" if self.p95_ms < self.budget else f"OVER {self.budget} ms"
        cpu = f"{self.cpu_median_ms:.1f}" if self.cpu_median_ms is not None else "n/a"
        return (
            f"{self.screen:<44} {self.median_ms:>8.1f} {self.p95_ms:>8.1f} {cpu:>8} "
            f"{self.size:>9} {self.queries:>14} {self.status:>6}  {budget}"
        )


class FormFields(HTMLParser):
    """The fields of each <form method=post> on a page, with their default values."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self.fields: dict[str, str] | None = None
        self.select: str | None = None
        self.select_first: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.fields = {}
            self.forms.append(self.fields)
        if self.fields is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[name] = a.get("value") or "on"
            elif kind not in ("submit", "button"):
                self.fields.setdefault(name, a.get("value") or "")
        elif tag == "select" and name:
            self.select, self.select_first = name, None
        elif tag == "option" and self.select:
            value = a.get("value") or ""
            if self.select_first is None and value:
                self.select_first = value
            if "selected" in a:
                self.fields[self.select] = value
        elif tag == "textarea" and name:
            self.fields.setdefault(name, "")

    def handle_endtag(self, tag):
        if tag == "select" and self.select and self.fields is not None:
            # A required select without a default gets its first real option.
            self.fields.setdefault(self.select, self.select_first or "")
            self.select = None
        elif tag == "form":
            self.fields = None


def form_fields(html: str) -> dict[str, str]:
    """The biggest post form of the page (not the language switch or sign-out forms)."""
    parser = FormFields()
    parser.feed(html)
    return max(parser.forms, key=len, default={})


# --- Clients -------------------------------------------------------------------------------------


class HttpClient:
    def __init__(self, base: str, username: str, password: str):
        import httpx

        self.base = base.rstrip("/")
        self.http = httpx.Client(base_url=self.base, follow_redirects=False, timeout=60)
        login = self.http.get("/accounts/login/")
        token = form_fields(login.text).get("csrfmiddlewaretoken", "")
        response = self.http.post(
            "/accounts/login/",
            data={"login": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.base}/accounts/login/"},
        )
        if response.status_code != 302 or "/accounts/login" in response.headers.get("location", ""):
            sys.exit(
                f"Signing in as {username!r} failed (HTTP {response.status_code}). Is the server in "
                "demo mode (TUMAINI_DEMO=1) with the demo accounts (manage.py seed_demo)?"
            )

    def csrf(self) -> str:
        return self.http.cookies.get("csrftoken", "")

    def get(self, path: str) -> Reply:
        response = self.http.get(path)
        return Reply(response.status_code, response.content, _queries(response), _cpu_ms(response))

    def post(self, path: str, data: dict) -> Reply:
        data = {**data, "csrfmiddlewaretoken": self.csrf()}
        response = self.http.post(path, data=data, headers={"Referer": f"{self.base}{path}"})
        return Reply(response.status_code, response.content, _queries(response), _cpu_ms(response))


def _queries(response) -> str:
    # bench/serve.sh counts each request's SQL queries into this header (bench/counted_wsgi.py).
    return response.headers.get("X-Bench-Queries", "n/a")


def _cpu_ms(response) -> float | None:
    value = response.headers.get("X-Bench-CPU-ms")
    return float(value) if value else None


class InProcessClient:
    def __init__(self, username: str):
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tumaini.settings")
        import django

        django.setup()
        from django.test import Client

        from tumaini.accounts.models import User

        user = User.objects.filter(username=username).first()
        if user is None:
            sys.exit(f"No account named {username!r} in this database.")
        if user.is_superuser:
            sys.exit("Benchmark as a non-superuser: the access policy must run.")
        self.client = Client(HTTP_HOST="127.0.0.1")
        self.client.force_login(user)
        self.client.session_user = user

    def _run(self, call) -> Reply:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        started = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            response = call()
            body = response.content
        cpu_ms = (time.process_time() - started) * 1000
        return Reply(response.status_code, body, str(len(queries.captured_queries)), cpu_ms)

    def get(self, path: str) -> Reply:
        return self._run(lambda: self.client.get(path))

    def post(self, path: str, data: dict) -> Reply:
        return self._run(lambda: self.client.post(path, data))


# --- Measuring -----------------------------------------------------------------------------------


def measure(screen: str, request, *, warmups: int, runs: int, budget: int | None) -> Result:
    for index in range(warmups):
        request(-1 - index)
    timings, cpu, size, queries, status = [], [], 0, "n/a", 0
    for index in range(runs):
        started = time.perf_counter()
        reply = request(index)
        timings.append((time.perf_counter() - started) * 1000)
        status, size, queries = reply.status, len(reply.body), reply.queries
        if reply.cpu_ms is not None:
            cpu.append(reply.cpu_ms)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
    cpu_median = statistics.median(cpu) if cpu else None
    return Result(
        screen, statistics.median(timings), p95, size, queries, status, budget, cpu_median
    )


def last_page(html: str) -> int:
    pages = [int(n) for n in re.findall(r"[?&;]page=(\d+)", html)]
    pages += [int(n) for n in re.findall(r"Page \d+ of (\d+)", html)]
    return max(pages, default=1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--username", default="caseworker")
    parser.add_argument(
        "--password", default=os.environ.get("TUMAINI_DEMO_PASSWORD", "tumaini-demo-2026")
    )
    parser.add_argument(
        "--tab", default="mine", help="case list tab: mine, team or centre (director)"
    )
    parser.add_argument(
        "--surname-5", default="Otieno", help="surname held by ~5%% (seed_scale prints it)"
    )
    parser.add_argument("--surname-1", default="Owino", help="surname held by ~1%%")
    parser.add_argument("--full-name", default="Grace Mwangi", help="full name held by ~0.1%%")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="test client in this process, with SQL query counts",
    )
    parser.add_argument(
        "--no-intake", action="store_true", help="skip the intake screens (they create cases)"
    )
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    client = (
        InProcessClient(args.username)
        if args.in_process
        else HttpClient(args.url, args.username, args.password)
    )
    options = {"warmups": args.warmups, "runs": args.runs}

    def lists(**query) -> str:
        return "/staff/cases/?" + urlencode({"tab": args.tab, **query})

    reply = client.get(lists())
    status, first = reply.status, reply.body
    if status != 200:
        sys.exit(
            f"The case list answered HTTP {status}: is this account a case manager or director?"
        )
    first_html = first.decode()
    pages = last_page(first_html)
    case_ids = re.findall(r"/staff/cases/([0-9a-f-]{36})/", first_html)
    results = [
        measure(
            "caseload list, first page",
            lambda i: client.get(lists()),
            budget=BUDGETS_MS["list"],
            **options,
        ),
        measure(
            f"caseload list, last page ({pages})",
            lambda i: client.get(lists(page=pages)),
            budget=BUDGETS_MS["list"],
            **options,
        ),
    ]
    for label, name in (
        ("~5% surname", args.surname_5),
        ("~1% surname", args.surname_1),
        ("~0.1% full name", args.full_name),
    ):
        results.append(
            measure(
                f"search {label} ({name})",
                lambda i, n=name: client.get(lists(q=n)),
                budget=BUDGETS_MS["search"],
                **options,
            )
        )
    if case_ids:
        case_path = f"/staff/cases/{case_ids[0]}/"
        results.append(
            measure(
                "case page (overview)",
                lambda i: client.get(case_path),
                budget=BUDGETS_MS["case"],
                **options,
            )
        )
        # The other sections (tabs) of the case page, as its tab bar links them.
        overview = client.get(case_path).body.decode()
        for section in dict.fromkeys(re.findall(r'href="[^"]*\?section=([a-z_-]+)"', overview)):
            results.append(
                measure(
                    f"case page, section {section}",
                    lambda i, s=section: client.get(f"{case_path}?section={s}"),
                    budget=BUDGETS_MS["case"],
                    **options,
                )
            )
    else:
        print("No case on the first page of the list: the case page is not measured.")
    results.append(
        measure("dashboard (staff home)", lambda i: client.get("/staff/"), budget=None, **options)
    )

    if not args.no_intake:
        results += measure_intake(client, args, options)
    if args.in_process:
        results.append(measure_duplicate_selector(client, args, options))

    print(
        f"\n{'screen':<44} {'median':>8} {'p95':>8} {'CPU':>8} {'bytes':>9} {'queries':>14} "
        f"{'status':>6}  budget (p95)"
    )
    print(f"{'':<44} {'ms':>8} {'ms':>8} {'ms':>8}")
    for result in results:
        print(result.line())


def measure_intake(client, args, options) -> list[Result]:
    reply = client.get("/staff/cases/new/")
    status, page = reply.status, reply.body
    if status == 404:
        print(
            "The intake page /staff/cases/new/ does not exist on this server: intake not measured."
        )
        return []
    if status != 200:
        print(f"The intake page answered HTTP {status}: intake not measured.")
        return []
    defaults = form_fields(page.decode())
    defaults.pop("csrfmiddlewaretoken", None)
    base = {
        **defaults,
        "gender": "Feminine",
        "date_of_birth": "1996-03-14",
        "estimated_age": "",
        "source": "police",
        "phone": "",
    }
    first, _, last = args.full_name.partition(" ")

    def duplicate_check(i):
        # A name many survivors share: the check finds candidates, the page lists them, no case.
        return client.post(
            "/staff/cases/new/",
            {**base, "given_name": first, "other_names": "", "family_name": last},
        )

    def save_new(i):
        # A name nobody has: the check finds nobody and the case is saved (redirect to its page).
        unique = uuid.uuid4().hex[:8]
        return client.post(
            "/staff/cases/new/",
            {**base, "given_name": f"Bench{unique}", "family_name": f"Zx{unique}"},
        )

    results = [
        measure(
            f"intake: duplicate check hit ({args.full_name})",
            duplicate_check,
            budget=BUDGETS_MS["duplicate"],
            **options,
        )
    ]
    results.append(
        measure("intake: duplicate check + save (new name)", save_new, budget=None, **options)
    )
    for result in results:
        if result.status not in (200, 302):
            print(f"{result.screen}: HTTP {result.status} (the form may have refused the values).")
    return results


def measure_duplicate_selector(client, args, options) -> Result:
    """The duplicate check alone (people.selectors.person_duplicate_candidates), as the intake POST
    calls it, with its queries: the figure the 50 ms budget is about. Writes one audit event a call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tumaini.people.selectors import person_duplicate_candidates

    user = client.client.session_user
    first, _, last = args.full_name.partition(" ")

    def check(i):
        started = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            found = person_duplicate_candidates(
                user=user, given_name=first, family_name=last, birth_year=1996
            )
        cpu_ms = (time.process_time() - started) * 1000
        shown = f"{len(queries.captured_queries)} ({len(found.matches)} shown)"
        return Reply(200, b"", shown, cpu_ms)

    return measure(
        f"duplicate check itself ({args.full_name})",
        check,
        budget=BUDGETS_MS["duplicate"],
        **options,
    )


if __name__ == "__main__":
    main()
