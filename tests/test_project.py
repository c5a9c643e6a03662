"""Project-wide checks: migrations are complete and every page without arguments answers."""

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    # Raises SystemExit(1) when a migration is missing.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _paths_without_arguments(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if "<" in route or "(?P" in route:
            continue
        if isinstance(entry, URLResolver):
            yield from _paths_without_arguments(entry, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route.replace("^", "").replace("$", "")


@pytest.mark.django_db
def test_every_page_without_arguments_answers_without_a_server_error(client):
    paths = sorted(set(_paths_without_arguments()))
    assert "/" in paths and "/healthz" in paths
    failures = {}
    for path in paths:
        if path.startswith("/admin/"):
            continue
        response = client.get(path)
        if response.status_code >= 500:
            failures[path] = response.status_code
    assert failures == {}
