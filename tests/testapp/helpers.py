"""Test helpers shared by the tests of shared mechanisms."""

from allauth.mfa.models import Authenticator


def give_totp(user):
    """Record a TOTP authenticator for `user`, so RequireMFAMiddleware lets them through. Its
    secret is a placeholder: tests that type codes set TOTP up through the pages instead."""
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "unused-in-tests"}}
    )
    return user


def sign_in(client, user):
    """Sign `user` in as a staff member who has set up two-factor sign-in (required for staff)."""
    give_totp(user)
    client.force_login(user)
    return client


def case_section(case, section: str) -> str:
    """The case page opened at one of its sections (tabs): overview, person, assessments, care,
    shelter, referrals, file, history."""
    return f"/staff/cases/{case.public_id}/?section={section}"
