from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VIEW = "view", _("viewed")
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    EXPORT = "export", _("exported")
    SHARE = "share", _("shared")
    PRINT = "print", _("printed")
    LOGIN = "login", _("signed in")
    LOGOUT = "logout", _("signed out")
    LOGIN_FAILED = "login_failed", _("failed sign-in")
    LOCKED_OUT = "locked_out", _("locked out")
    MFA = "mfa", _("changed two-factor sign-in")
    BREAK_GLASS = "break_glass", _("break-glass access")
    KEY_ROTATION = "key_rotation", _("rotated keys")
    PERMISSION = "permission", _("changed roles")
