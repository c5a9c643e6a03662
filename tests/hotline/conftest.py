import pytest

from tests.hotline.builders import hotline_desk  # noqa: F401  (fixture)
from tests.tips.builders import desk  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
