import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from tumaini.accounts.enums import OrganisationType, Role, SiteType
from tumaini.core.access import ScopeFields
from tumaini.core.fields import BlindIndexField, EncryptedCharField


class Organisation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    type = models.CharField(_("type"), max_length=40, choices=OrganisationType.choices)
    county = models.ForeignKey(
        "core.County", verbose_name=_("county"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Scope "organisation" on an organisation means the user's own one.
    scope_fields = ScopeFields(organisation="pk")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """A place an organisation works from: a rescue centre, a shelter, an office."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=30, choices=SiteType.choices)
    sub_county = models.ForeignKey(
        "core.SubCounty",
        verbose_name=_("sub-county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    # A shelter's whereabouts are confidential: the public name must not reveal them.
    is_confidential = models.BooleanField(_("confidential location"), default=False)
    scope_fields = ScopeFields(organisation="organisation")

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="site_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A group of staff inside one organisation who share a caseload (scope `team`)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=200)
    scope_fields = ScopeFields(organisation="organisation")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    teams = models.ManyToManyField(
        Team, verbose_name=_("teams"), blank=True, related_name="members"
    )
    # Staff phones are encrypted too: traffickers also look for the people who help survivors.
    phone = EncryptedCharField(_("work phone"), max_length=20, blank=True)
    phone_index = BlindIndexField(source="phone", purpose="staff-phone")
    # Demo accounts exist only to try the system; they are refused outside demo mode.
    is_demo = models.BooleanField(default=False, editable=False)
    # Set when an administrator chose the password (a new account, a reset): the administrator
    # knows it, so the person must replace it before anything else (RequireMFAMiddleware).
    must_change_password = models.BooleanField(
        _("must change password at next sign-in"), default=False, editable=False
    )
    # Staff accounts are scoped by the organisation the person works for.
    scope_fields = ScopeFields(organisation="organisation")

    class Meta:
        ordering = ["username"]

    @property
    def role_codes(self) -> frozenset[str]:
        # Cached per instance: the access policy asks for roles many times per request.
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            if not self.pk or not self.is_active:
                cached = frozenset()
            else:
                cached = frozenset(self.role_assignments.values_list("role", flat=True))
            self._role_codes = cached
        return cached

    @property
    def team_ids(self) -> frozenset[int]:
        cached = getattr(self, "_team_ids", None)
        if cached is None:
            cached = frozenset(self.teams.values_list("id", flat=True)) if self.pk else frozenset()
            self._team_ids = cached
        return cached

    def role_labels(self) -> list[str]:
        return [str(Role(code).label) for code in sorted(self.role_codes)]


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"
