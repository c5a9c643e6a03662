"""A survivor-like record used only by the tests of shared mechanisms (access policy, encryption,
audit), before the real survivor apps exist. Installed only when running the test suite."""

from django.db import models
from django.urls import reverse

from tumaini.core.fields import BlindIndexField, EncryptedCharField, EncryptedTextField
from tumaini.core.models import ScopedRecord


class Dossier(ScopedRecord):
    subject_name = EncryptedCharField(max_length=200)
    subject_name_index = BlindIndexField(source="subject_name", purpose="dossier-name")
    narrative = EncryptedTextField(blank=True)
    label = models.CharField(max_length=50, blank=True)

    # The access-policy resource covering these rows (break-glass and access history find it).
    access_resource = "test_dossier"

    def get_absolute_url(self) -> str:
        # Only resolvable under the test urlconf (tests.testapp.urls).
        return reverse("testapp:dossier_detail", args=[self.public_id])
