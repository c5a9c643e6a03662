"""Provider callbacks (/hooks/...) skip the middleware that serves people in browsers.

Africa's Talking posts USSD, SMS and voice callbacks with no cookie, no session and no language
preference, and reads plain text or XML back: sessions, CSRF, authentication, MFA, messages, locale
negotiation, CSP and frame headers only cost CPU there (a fifth of a USSD request's). Placed right
after SecurityMiddleware (HTTPS redirect, HSTS, nosniff), this middleware calls the resolved view
itself for those URLs and leaves every other URL to the full chain. The callback views guard
themselves (`tumaini.messaging.views.provider_callback`: the URL secret, POST only, no CSRF).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import resolve

CALLBACK_PREFIX = "/hooks/"


class ProviderCallbackMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(CALLBACK_PREFIX):
            return self.get_response(request)
        # An unknown URL raises Resolver404 here, answered 404 like any other by Django's handler.
        match = resolve(request.path_info)
        request.resolver_match = match
        response = match.func(request, *match.args, **match.kwargs)
        # As CommonMiddleware would: with a length the provider's client can keep the connection.
        if not response.streaming and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        return response
