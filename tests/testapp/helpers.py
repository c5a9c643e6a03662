"""Test helpers shared by the tests of shared mechanisms."""

from allauth.mfa.models import Authenticator


def sign_in(client, user):
    """Sign `user` in as a staff member who has set up two-factor sign-in (required for staff)."""
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "unused-in-tests"}}
    )
    client.force_login(user)
    return client
