"""The full demo district, loaded once for this package: the crawl and the API fuzz run on what `seed_demo`
makes, not on a small fixture (a passing suite once hid an export that crashed for every role).

Loaded in one transaction around the package and rolled back when it ends, so the tests that follow start from
the database they expect. (A flush would not do: pytest-django runs these `db` tests before every transactional
test, and a flush re-creates the content types under other ids than the serialized copy the next
`serialized_rollback` test restores, which then fails on a unique constraint.)
"""
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

DEMO_LOGINS = ["admin", "lead", "officer", "officer2", "street", "street2", "housing", "greening", "property",
               "city"]


@pytest.fixture(scope="package")
def demo_district(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    with override_settings(MEDIA_ROOT=str(media)), django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_user(demo_district, db):
    """A demo login by name (the table `manage.py demo_logins` prints)."""
    from accounts.models import User

    return lambda username: User.objects.get(username=username)
