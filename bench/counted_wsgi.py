"""The WSGI application benchmarks serve: `tumaini.wsgi.application` and nothing else, plus the
number of SQL queries each request ran, in an `X-Bench-Queries` response header.

Only bench/serve.sh loads this module; production serves `tumaini.wsgi:application`, which never
sends the header. Counting costs a function call per query (a few microseconds a request).
"""

from django.db import connection

from tumaini.wsgi import application as tumaini_application

HEADER = "X-Bench-Queries"


def application(environ, start_response):
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    def start(status, headers, exc_info=None):
        # Django calls start_response once the view and the middleware are done: every query of
        # the request has run by then (a streamed body could run more; our pages are not streamed).
        return start_response(status, [*headers, (HEADER, str(count))], exc_info)

    with connection.execute_wrapper(counter):
        return tumaini_application(environ, start)
