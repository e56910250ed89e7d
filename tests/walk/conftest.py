"""The full demo district, loaded once for this package: the crawl and the API fuzz run on what `seed_demo`
makes, not on a small fixture (a passing suite once hid an export that crashed for every role).

Loaded outside the per-test transactions and flushed when the package ends, so the tests that follow start
from the empty database they expect.
"""
import pytest
from django.core.management import call_command
from django.test import override_settings

DEMO_LOGINS = ["admin", "lead", "officer", "officer2", "street", "street2", "housing", "greening", "property"]


@pytest.fixture(scope="package")
def demo_district(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    with override_settings(MEDIA_ROOT=str(media)):
        with django_db_blocker.unblock():
            call_command("seed_demo", verbosity=0)
        try:
            yield
        finally:
            with django_db_blocker.unblock():
                call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo_user(demo_district, db):
    """A demo login by name (the table `manage.py demo_logins` prints)."""
    from accounts.models import User

    return lambda username: User.objects.get(username=username)
