"""Template helpers for the shared layout: links that exist only once their page does, the quick
exit target and the help line numbers (also on error pages rendered without a request)."""

from django import template
from django.conf import settings
from django.urls import Resolver404, resolve

register = template.Library()

# A neutral page a person can be seen on: the weather in Nairobi. Overridable per deployment.
DEFAULT_QUICK_EXIT_URL = "https://www.bbc.com/weather/184745"
HELPLINES = ("+254 725 624489", "+254 738 041292")


@register.simple_tag
def path_if_live(path: str) -> str:
    """`path` if a view answers it, else "": pages added later get linked without a template edit."""
    try:
        resolve(path)
    except Resolver404:
        return ""
    return path


@register.simple_tag
def quick_exit_url() -> str:
    return getattr(settings, "TUMAINI_QUICK_EXIT_URL", "") or DEFAULT_QUICK_EXIT_URL


@register.simple_tag(takes_context=True)
def helplines(context) -> tuple[str, ...]:
    # 400 and 500 pages render without the context processors; the numbers must still be there.
    return tuple(context.get("HELPLINES") or HELPLINES)


@register.filter
def tel_href(number: str) -> str:
    return "tel:" + "".join(ch for ch in str(number) if ch.isdigit() or ch == "+")
