import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tumaini.core.access import ScopeFields
from tumaini.core.enums import AuditAction
from tumaini.core.fields import EncryptedTextField

# --- Reference data -----------------------------------------------------------------------------


class Country(models.Model):
    """ISO 3166-1 (from pycountry's ISO data)."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    """ISO 639 languages (the 639-1 set plus Kenyan languages that only have a 639-3 code)."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    """Kenya's 47 counties (Constitution of Kenya 2010, First Schedule numbering)."""

    code = models.PositiveSmallIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


class SubCounty(models.Model):
    """Sub-counties (IEBC constituency codes); for Nairobi, the 17 constituencies."""

    code = models.PositiveSmallIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=60)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="sub_counties")

    class Meta:
        ordering = ["county_id", "name"]
        verbose_name_plural = _("sub-counties")

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    """County assembly wards (IEBC codes)."""

    code = models.PositiveSmallIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=60)
    sub_county = models.ForeignKey(SubCounty, on_delete=models.PROTECT, related_name="wards")

    class Meta:
        ordering = ["sub_county_id", "name"]

    def __str__(self) -> str:
        return self.name


# --- Audit trail --------------------------------------------------------------------------------


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit trail (see tumaini/core/audit.py).

    Database triggers refuse UPDATE and DELETE on this table; `audit_verify` proves the chain.
    Never store decrypted survivor data here: only names of fields, identifiers and reasons.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Kept as text so the event still says who it was after a user is renamed or removed.
    actor_username = models.CharField(_("user"), max_length=150, blank=True, db_index=True)
    organisation_id_at_time = models.BigIntegerField(null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("record type"), max_length=60, blank=True, db_index=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True, db_index=True)
    # Organisation that owns the record (for "who looked at my organisation's records").
    object_organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    fields_changed = models.JSONField(_("fields changed"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"


class AuditChainHead(models.Model):
    """A single row holding the chain's last hash and length.

    Writers lock it (SELECT ... FOR UPDATE) so events are chained one at a time, and it lets
    `audit_verify` notice events cut from the end of the chain.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)
    last_event_id = models.BigIntegerField(default=0)
    length = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit chain of {self.length} events"


# --- Break-glass --------------------------------------------------------------------------------


class BreakGlassGrant(models.Model):
    """A supervisor's time-limited, audited access to one record outside their scope."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="break_glass_grants"
    )
    resource = models.CharField(max_length=60)
    object_id = models.UUIDField()
    # The reason often names the survivor or the emergency: encrypted like the record itself.
    reason = EncryptedTextField(_("reason"))
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "resource", "expires_at"])]

    def __str__(self) -> str:
        return f"break-glass {self.resource} {self.object_id} by {self.user_id}"


# --- Base for records that belong to someone ----------------------------------------------------


class ScopedRecord(models.Model):
    """Base for records the access policy scopes: an organisation, a team and an assigned user.

    `version` gives optimistic locking: an update names the version it read and fails if another
    edit landed first (see `core.services.save_versioned`).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)
    scope_fields = ScopeFields(owner="assigned_to", team="team", organisation="organisation")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# --- Periodic work ------------------------------------------------------------------------------


class ScheduledRun(models.Model):
    """When each periodic job (tumaini/core/schedule.py) was last put on the task queue.

    The scheduler locks the row before enqueueing, so two scheduler processes never queue one job twice.
    """

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_task_id = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.name} (last {self.last_enqueued_at})"
