from django.conf import settings

from tumaini.core.navigation import navigation_for


def tumaini(request):
    user = getattr(request, "user", None)
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "HELPLINES": ("+254 725 624489", "+254 738 041292"),
        "staff_navigation": navigation_for(user) if user and user.is_authenticated else [],
    }
