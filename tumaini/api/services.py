"""Issuing and checking API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tumaini.api.models import ApiToken
from tumaini.core.audit import audit_record
from tumaini.core.enums import AuditAction

TOKEN_PREFIX = "tum_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_issue(*, user, name: str, days: int | None = 365, actor=None) -> tuple[ApiToken, str]:
    """Create a token; the plain token is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=plain[:12],
            token_hash=_digest(plain),
            expires_at=timezone.now() + timedelta(days=days) if days else None,
        )
        audit_record(
            action=AuditAction.CREATE, actor=actor, obj=token, detail={"for_user": user.username}
        )
    return token, plain


def api_token_revoke(*, token: ApiToken, actor=None) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit_record(
            action=AuditAction.UPDATE, actor=actor, obj=token, fields_changed=["revoked_at"]
        )


def api_token_user(plain: str):
    """The active user a presented token stands for, or None."""
    if not plain or not plain.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_digest(plain), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    # Written at most once a minute so a busy integration does not turn every read into a write.
    if token.last_used_at is None or token.last_used_at < now - timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
