"""Statistics benchmark: the needs-assessment dashboard and the public statistics page, and the
time to rebuild the pre-computed counts. See bench/README.md for the data set and the server.

Against a running server (URL argument, default http://127.0.0.1:8000; bench/serve.sh with
TUMAINI_PUBLIC_STATISTICS=1), signed in through the login page as the demo `director` (exact counts
of their organisation) and `analyst` (every organisation, small cells suppressed). Requests are
sequential: 3 warm-ups, then 30 timed, each body read in full; prints median and p95 per page and
the SQL queries per request (X-Bench-Queries from bench/serve.sh). The pages read the pre-computed
counts once `manage.py refresh_insights` has run; the "part of months" rows show periods that start
and end inside a month (whole months from the counts, the partial months at the ends read from the
records).

--refresh also rebuilds the counts in this process (DATABASE_URL / TUMAINI_DATA_DIR name the
database: the server's) and prints how long it took, then how long the public page's figures take
to compute from them (that page is cached for an hour, so the HTTP figure is mostly the cache).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cases_bench import HttpClient, measure  # noqa: E402  (the same client and timing)

BUDGET_MS = 500


def _load() -> str:
    try:
        return os.getloadavg().__repr__()
    except OSError:
        return "n/a"


def refresh_in_process() -> None:
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tumaini.settings")
    import django

    django.setup()
    import logging

    logging.getLogger("httpx").setLevel(
        logging.WARNING
    )  # Django's logging config shows each request
    from django.core.cache import cache

    from tumaini.insights import aggregates
    from tumaini.insights.selectors import public_headlines

    print(f"refresh: load before {_load()}")
    started = time.perf_counter()
    done = aggregates.refresh()
    print(
        f"refresh: {done.rows} counts in {time.perf_counter() - started:.1f} s "
        f"(load after {_load()})"
    )
    cache.clear()
    started = time.perf_counter()
    public_headlines()
    print(
        f"public figures from the counts (cache cleared): {1000 * (time.perf_counter() - started):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument(
        "--password", default=os.environ.get("TUMAINI_DEMO_PASSWORD", "tumaini-demo-2026")
    )
    parser.add_argument("--sub-county", default="278", help="IEBC code (278: Kibra)")
    parser.add_argument("--year", type=int, default=time.gmtime().tm_year - 1)
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--part-runs",
        "--live-runs",
        dest="part_runs",
        type=int,
        default=10,
        help="runs of the periods that start or end inside a month (0 to skip them)",
    )
    parser.add_argument("--refresh", action="store_true", help="rebuild the counts first")
    args = parser.parse_args()
    if args.refresh:
        refresh_in_process()

    director = HttpClient(args.url, "director", args.password)
    analyst = HttpClient(args.url, "analyst", args.password)
    page = analyst.get("/staff/insights/").body.decode()
    organisations = re.findall(r'<option value="(\d+)"', page[page.find('name="organisation"') :])
    year = f"date_from={args.year}-01-01&date_to={args.year}-12-31"
    part = f"date_from={args.year}-03-10&date_to={args.year}-06-20"
    # Fifteen months with partial ends: only the two edge months are read from the records.
    long_part = f"date_from={args.year - 1}-03-10&date_to={args.year}-06-20"
    screens = [
        ("director: dashboard", director, "/staff/insights/", args.runs),
        (
            "director: sub-county",
            director,
            f"/staff/insights/?sub_county={args.sub_county}",
            args.runs,
        ),
        ("director: one year", director, f"/staff/insights/?{year}", args.runs),
        ("analyst: dashboard", analyst, "/staff/insights/", args.runs),
        (
            "analyst: sub-county",
            analyst,
            f"/staff/insights/?sub_county={args.sub_county}",
            args.runs,
        ),
        ("analyst: one year", analyst, f"/staff/insights/?{year}", args.runs),
    ]
    if organisations:
        screens.append(
            (
                "analyst: organisation",
                analyst,
                f"/staff/insights/?organisation={organisations[0]}",
                args.runs,
            )
        )
    screens.append(("public statistics", director, "/statistics/", args.runs))
    if args.part_runs:
        for label, query in (("part of months", part), ("15 months, partial ends", long_part)):
            for who, client in (("director", director), ("analyst", analyst)):
                screens.append(
                    (f"{who}: {label}", client, f"/staff/insights/?{query}", args.part_runs)
                )
    print(
        f"{'page':<44} {'median':>8} {'p95':>8} {'cpu ms':>8} {'bytes':>9} {'queries':>14} {'status':>6}"
    )
    for name, client, path, runs in screens:
        result = measure(
            name,
            lambda _i, c=client, p=path: c.get(p),
            warmups=1 if "live" in name else args.warmups,
            runs=runs,
            budget=None if "live" in name else BUDGET_MS,
        )
        print(result.line(), flush=True)
    print(f"load average after: {_load()}")


if __name__ == "__main__":
    main()
