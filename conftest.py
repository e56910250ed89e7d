"""Repository-wide pytest settings that pyproject.toml cannot express.

Tests marked `postgres` need PostgreSQL features; on the default SQLite database they are
skipped with a reason, and `.ci/run` runs the whole suite again on PostgreSQL.
"""
import os

import pytest


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    if os.environ.get("ANJU_SKIP_WALK") == "1":
        # The full-district walk (tests/walk: seed_demo, its checks, the crawl, the API fuzz) takes minutes; a
        # developer may leave it out of a quick local run. .ci/run never sets this: it walks both databases.
        walk = pytest.mark.skip(reason="ANJU_SKIP_WALK=1: the district walk is left out of this run")
        for item in items:
            if item.nodeid.startswith("tests/walk/"):
                item.add_marker(walk)
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://… (.ci/run does)")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def default_language():
    """A page asked for in English leaves English active in the thread (LocaleMiddleware activates it and
    nothing resets it): the next test would build its messages in English. Each test starts in Chinese."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def world(db):
    """The small world of named personas (tests/personas.py), for every test of every app."""
    from tests.personas import build_world

    return build_world()
