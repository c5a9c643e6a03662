"""Signal receivers of the people app (connected in PeopleConfig.ready)."""

from typing import Any

from django.dispatch import receiver

from tumaini.core.keys import blind_index_key_rotated
from tumaini.people import services


@receiver(blind_index_key_rotated, dispatch_uid="people-recompute-name-indexes")
def recompute_name_indexes_after_key_rotation(sender: Any = None, **kwargs: Any) -> None:
    # The full-name index and the phonetic tokens are blind values the BlindIndexFields do not
    # cover: without this, duplicate detection would find nobody after a rotation.
    services.recompute_name_indexes()
