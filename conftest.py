"""Repository-wide pytest settings that pyproject.toml cannot express.

Tests marked `postgres` need PostgreSQL features; on the default SQLite database they are
skipped with a reason, and `.ci/run` runs the whole suite again on PostgreSQL.
"""
import os

import pytest


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # The full-district walk (tests/walk: seed_demo, crawl, API fuzz) runs once per .ci/run, on SQLite, to keep
        # the run under its 45 minutes; ANJU_WALK_POSTGRES=1 runs it on PostgreSQL too.
        if os.environ.get("ANJU_WALK_POSTGRES") != "1":
            walk = pytest.mark.skip(reason="the district walk runs on SQLite in .ci/run (ANJU_WALK_POSTGRES=1 runs it)")
            for item in items:
                if item.nodeid.startswith("tests/walk/"):
                    item.add_marker(walk)
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
