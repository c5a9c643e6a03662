"""Situation reports for the county: prepared in the background, kept for download.

The files hold exact counts of one organisation (for its director), and small counts can point at
a person: they are kept encrypted in the database, where `rotate_keys` re-encrypts them with the rest.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from tumaini.core.access import ScopeFields
from tumaini.core.fields import EncryptedTextField
from tumaini.insights.enums import ReportPeriod, ReportStatus


class SituationReport(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(_("period"), max_length=10, choices=ReportPeriod.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # The report is written in the language of the director who asked for it.
    language = models.CharField(max_length=8, default="en")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # base64 of the files, encrypted like every other sensitive value.
    pdf = EncryptedTextField(blank=True)
    xlsx = EncryptedTextField(blank=True)
    failure = models.CharField(max_length=200, blank=True)

    scope_fields = ScopeFields(owner="requested_by", organisation="organisation")

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.get_period_display()} report {self.period_start:%Y-%m}"

    @property
    def period_label(self) -> str:
        if self.period == ReportPeriod.MONTHLY:
            # Month names in the active language (Februari 2026 in Kiswahili).
            return date_format(self.period_start, "F Y")
        quarter = (self.period_start.month - 1) // 3 + 1
        return f"Q{quarter} {self.period_start.year}"


class FigureCount(models.Model):
    """A pre-computed count of the dashboard: how many identified survivors (or public reports)
    of one organisation, opened (received) in one month, count towards `key` of `figure`.

    `sub_county` 0 counts every case once; a sub-county's code counts the cases that belong to it
    (identified there, or something of their trafficking happened there: one case can belong to
    several, so the sub-county rows do not add up to row 0). Histograms (days to a first service)
    are figures too, their key holding the number of days, so medians stay exact. Written only by
    `insights.aggregates.refresh`, read by the dashboard and the public statistics page.
    """

    month = models.DateField()  # the first day of the month, local time
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    sub_county = models.PositiveSmallIntegerField()
    figure = models.CharField(max_length=40)
    key = models.CharField(max_length=250)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["sub_county", "month", "organisation"])]

    def __str__(self) -> str:
        return f"{self.figure} {self.key} {self.month:%Y-%m}: {self.n}"


class ReportDayCount(models.Model):
    """Pre-computed public reports of one organisation received on one day (local time) by one
    channel, for the campaign comparisons, whose windows are counted in days. `sub_county` as in
    FigureCount: 0 for every report, else the reports of that sub-county. Written only by
    `insights.aggregates.refresh`, with FigureCount."""

    day = models.DateField()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    sub_county = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=20)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["sub_county", "day", "organisation"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.day}: {self.n}"


class FiguresRefresh(models.Model):
    """When the pre-computed counts were last rebuilt (one row)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    as_of = models.DateTimeField()  # when the refresh started reading
    seconds = models.FloatField(default=0)
    rows = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"figures as of {self.as_of:%Y-%m-%d %H:%M}"
