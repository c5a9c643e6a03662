"""The WSGI application benchmarks serve: `tumaini.wsgi.application` and nothing else, plus two
response headers: the number of SQL queries the request ran (`X-Bench-Queries`) and the CPU time the
worker process spent on it (`X-Bench-CPU-ms`; the database server's own CPU is not in it). On a
machine shared with other work, wall-clock times grow with the load; the CPU time much less so.

Only bench/serve.sh loads this module; production serves `tumaini.wsgi:application`, which never
sends the header. Counting costs a function call per query (a few microseconds a request).
"""

import time

from django.db import connection

from tumaini.wsgi import application as tumaini_application

QUERIES_HEADER = "X-Bench-Queries"
CPU_HEADER = "X-Bench-CPU-ms"


def application(environ, start_response):
    count = 0
    started = time.process_time()

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    def start(status, headers, exc_info=None):
        # Django calls start_response once the view and the middleware are done: every query of
        # the request has run by then (a streamed body could run more; our pages are not streamed).
        cpu_ms = (time.process_time() - started) * 1000
        extra = [(QUERIES_HEADER, str(count)), (CPU_HEADER, f"{cpu_ms:.1f}")]
        return start_response(status, [*headers, *extra], exc_info)

    with connection.execute_wrapper(counter):
        return tumaini_application(environ, start)
