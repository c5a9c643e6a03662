"""The dossier update: a service over the shared optimistic-locking mechanism."""

from tests.testapp.models import Dossier
from tumaini.core.services import save_versioned


def dossier_update(*, user, dossier: Dossier, expected_version: int, changes: dict, request=None):
    return save_versioned(
        record=dossier,
        expected_version=expected_version,
        changes=changes,
        actor=user,
        request=request,
    )
