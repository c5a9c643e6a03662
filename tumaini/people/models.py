"""Survivor identity. Every identifying value is encrypted; blind indexes make it searchable.

A `Person` is scoped like the case that brought them in (organisation, team, case manager), so the
same access policy answers "may this user see this person?" as for cases.
"""

import uuid
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from tumaini.core.fields import BlindIndexField, EncryptedCharField, EncryptedTextField
from tumaini.core.models import ScopedRecord
from tumaini.people.enums import ContactKind, Disability, Gender, IdentityDocumentKind, MergeStatus

ADULT_AGE = 18


class Person(ScopedRecord):
    access_resource = "person"

    given_name = EncryptedCharField(_("given name"), max_length=100)
    family_name = EncryptedCharField(_("family name"), max_length=100, blank=True)
    other_names = EncryptedCharField(_("other names"), max_length=200, blank=True)
    # Exact search on the full name and on each part; fuzzy candidates come from PersonNameToken.
    # The full-name index (and the tokens) are kept by the people services, which also recompute
    # them when the blind-index key is rotated (core.keys.blind_index_key_rotated).
    full_name_index = models.CharField(max_length=64, db_index=True, blank=True, editable=False)
    family_name_index = BlindIndexField(source="family_name", purpose="person-family-name")
    given_name_index = BlindIndexField(source="given_name", purpose="person-given-name")

    gender = models.CharField(
        _("sex / gender"), max_length=30, choices=Gender.choices, default=Gender.UNKNOWN
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # When the date is not known: an age estimated on a date (so it can be carried forward).
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    age_estimated_on = models.DateField(_("age estimated on"), null=True, blank=True)
    date_of_birth_is_estimated = models.BooleanField(_("date of birth is estimated"), default=False)
    # An age assessment can decide someone is a child whatever their papers say.
    assessed_as_child = models.BooleanField(_("assessed as a child"), default=False)
    # Kept up to date by the people services: lists filter on it without computing ages.
    is_child = models.BooleanField(_("child"), default=False, db_index=True)

    citizenship = models.ForeignKey(
        "core.Country",
        verbose_name=_("citizenship"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    languages = models.ManyToManyField("core.Language", verbose_name=_("languages"), blank=True)
    disability = models.CharField(
        _("disability"), max_length=20, choices=Disability.choices, default=Disability.UNKNOWN
    )
    disability_notes = EncryptedTextField(_("disability notes"), blank=True)

    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_people"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or str(self.public_id)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.other_names, self.family_name) if p)

    def age_on(self, when: date) -> int | None:
        if self.date_of_birth:
            born = self.date_of_birth
            return when.year - born.year - ((when.month, when.day) < (born.month, born.day))
        if self.estimated_age is not None and self.age_estimated_on:
            return self.estimated_age + (when - self.age_estimated_on).days // 365
        return None

    @property
    def birth_year(self) -> int | None:
        if self.date_of_birth:
            return self.date_of_birth.year
        if self.estimated_age is not None and self.age_estimated_on:
            return self.age_estimated_on.year - self.estimated_age
        return None


class PersonNameToken(models.Model):
    """Blind phonetic tokens of every name and alias: candidates for duplicate detection."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
    token = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "token"], name="person_token_unique")
        ]
        indexes = [
            # The duplicate check counts, per person, the tokens shared with a name: with the
            # person in the index that count reads the index alone (an index-only scan), not the
            # table rows of every holder of a common surname.
            models.Index(fields=["token", "person"], name="person_token_lookup"),
        ]

    def __str__(self) -> str:
        return self.token


class PersonAlias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = EncryptedCharField(_("alias"), max_length=200)
    name_index = BlindIndexField(source="name", purpose="person-full-name")

    def __str__(self) -> str:
        return self.name


class PersonContact(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    value = EncryptedTextField(_("contact"))
    # Phones are stored in E.164 so the same number always gives the same index.
    value_index = BlindIndexField(source="value", purpose="person-contact")
    is_safe_to_use = models.BooleanField(
        _("safe to contact"),
        default=False,
        help_text=_("Only if the survivor said this contact is safe (a trafficker may hold it)."),
    )
    notes = EncryptedTextField(_("notes"), blank=True)

    def __str__(self) -> str:
        return self.get_kind_display()


class PersonIdentityDocument(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identity_documents")
    kind = models.CharField(_("document"), max_length=30, choices=IdentityDocumentKind.choices)
    number = EncryptedCharField(_("number"), max_length=60)
    number_index = BlindIndexField(source="number", purpose="person-document")
    issuing_country = models.ForeignKey(
        "core.Country",
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Traffickers often hold survivors' documents: record where the original is.
    held_by_survivor = models.BooleanField(_("survivor holds the original"), default=True)

    def __str__(self) -> str:
        return self.get_kind_display()


class PersonMerge(models.Model):
    """A supervisor's merge of `duplicate` into `kept`: reversible until confirmed."""

    public_id = models.UUIDField(unique=True, editable=False, default=uuid.uuid4)
    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    duplicate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_absorbed")
    status = models.CharField(
        max_length=20, choices=MergeStatus.choices, default=MergeStatus.PENDING
    )
    merged_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    # What moved, so an undo puts every record back exactly: {"cases.case": [ids], ...}.
    moved = models.JSONField(default=dict)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = EncryptedTextField(_("reason"), blank=True)

    def __str__(self) -> str:
        return f"merge {self.public_id}"
