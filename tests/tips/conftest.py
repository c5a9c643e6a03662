import pytest

from tests.tips.builders import desk  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the (database) cache; each test starts from zero.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
