"""seed_demo: the demo district is complete, consistent, valid and idempotent, and the demo logins work.

It runs on the district tests/walk/conftest.py seeds once for the package (the crawl and the API fuzz use the
same one), inside a transaction rolled back at the package's end, so other test modules never see it; each test
runs in its own savepoint on top of it."""
import os
import subprocess
import sys
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Sum

from accounts.choices import Role
from accounts.models import User
from demo import district as demo_district
from registry import addresses, credit_code
from registry.models import (
    Committee,
    Community,
    CommunityAddress,
    District,
    PropertyCompany,
    Street,
    StreetPopulation,
)

PUTUO_STREETS = {"长寿路街道", "曹杨新村街道", "长风新村街道", "宜川路街道", "甘泉路街道", "石泉路街道", "真如镇街道",
                 "万里街道", "长征镇", "桃浦镇"}


def snapshot() -> dict[str, int]:
    """Rows of every registry and accounts table, history tables included."""
    return {
        model._meta.label: model.objects.count()
        for app in ("registry", "accounts")
        for model in apps.get_app_config(app).get_models()
    }


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_district")]


def test_it_loads_putuo_and_its_ten_streets():
    district = District.objects.get()
    assert (district.name, district.code) == ("普陀区", "310107")
    assert set(Street.objects.values_list("name", flat=True)) == PUTUO_STREETS
    assert Street.objects.filter(district=district).count() == 10
    assert set(Street.objects.filter(name__endswith="镇", kind="TOWN").values_list("name", flat=True)) == {
        "长征镇", "桃浦镇"}
    assert all(street.short_name and street.code for street in Street.objects.all())


def test_populations_add_up_to_about_one_point_two_four_million_every_year():
    totals = dict(StreetPopulation.objects.values_list("year").annotate(total=Sum("population")))
    assert set(totals) == {2023, 2024, 2025, 2026}
    assert 1_200_000 <= totals[2024] <= 1_300_000
    assert all(1_200_000 <= total <= 1_300_000 for total in totals.values())
    assert len(set(totals.values())) == 4  # the years differ
    assert all(street.population_in(2024) for street in Street.objects.all())


def test_it_loads_committees_companies_and_communities():
    assert Community.objects.count() >= 300
    assert PropertyCompany.objects.count() >= 40
    assert all(credit_code.is_valid(code) for code in PropertyCompany.objects.values_list("credit_code", flat=True))
    per_street = Committee.objects.values("street").annotate(n=Count("id")).values_list("n", flat=True)
    assert len(per_street) == 10 and all(3 <= n <= 6 for n in per_street)
    companies = PropertyCompany.objects.annotate(n=Count("communities"), m=Count("managers", distinct=True))
    assert all(c.n >= 1 and 1 <= c.m <= 4 for c in companies)
    assert all(phone for phone in PropertyCompany.objects.values_list("managers__phone", flat=True))


def test_communities_look_like_real_ones():
    communities = list(Community.objects.all())
    self_managed = [c for c in communities if c.property_company_id is None]
    assert 0 < len(self_managed) <= len(communities) * 0.1
    assert all(c.project_manager_id is None for c in self_managed)
    assert all(c.project_manager.company_id == c.property_company_id
               for c in communities if c.property_company_id)
    assert all(80 <= c.households <= 3000 for c in communities)
    assert all(2.2 * c.households - 1 <= c.population <= 2.9 * c.households + 1 for c in communities)
    assert all(31.22 <= c.lat <= 31.30 and 121.35 <= c.lng <= 121.46 for c in communities)
    assert all(1952 <= c.built_year <= 2022 and c.grade in "ABC" and c.committee_id for c in communities)
    assert all(c.committee.street_id == c.street_id for c in communities)
    pilots = [c for c in communities if c.is_pilot]
    assert len(pilots) == demo_district.PILOT_COUNT and {c.pilot_batch for c in pilots} == {"2024-第一批"}
    assert len({c.street_id for c in pilots}) == 10
    assert Community.objects.filter(aliases__isnull=False).distinct().count() >= len(communities) // 5
    assert len({c.name for c in communities}) == len(communities)


def test_every_address_parses_back_to_its_road_and_number():
    roads_of = {s.name: {road for road, _low, _high in s.roads} for s in demo_district.STREETS}
    doors = Counter()
    for address in CommunityAddress.objects.select_related("community__street"):
        parsed = addresses.parse(address.raw)
        assert parsed.ok, address.raw
        assert (parsed.road, parsed.unit, parsed.first) == (address.road, address.unit, address.number_from)
        assert parsed.last == (address.number_to or address.number_from)
        assert address.road in roads_of[address.community.street.name]
        doors[(address.road, address.unit, address.number_from)] += 1
    assert doors and max(doors.values()) == 1


def test_a_second_run_creates_and_changes_nothing():
    before = snapshot()
    out = StringIO()
    call_command("seed_demo", verbosity=1, stdout=out, stderr=StringIO())
    assert snapshot() == before
    assert "新增 created 0，更新 updated 0" in out.getvalue()


def test_seeding_again_resets_a_changed_demo_password():
    officer = User.objects.get(username="officer")
    officer.set_password("Something-Else-2026")
    officer.save()
    demo_district.load_users(tally=demo_district.Tally())  # the users' step of seed_demo
    assert User.objects.get(username="officer").check_password(demo_district.DEMO_PASSWORD)


def test_each_demo_user_has_its_role_and_scope():
    users = {u.username: u for u in User.objects.select_related("department", "property_company")}

    def streets(name):
        return set(users[name].streets.values_list("name", flat=True))

    assert all(users[spec.username].check_password(demo_district.DEMO_PASSWORD) for spec in demo_district.DEMO_USERS)
    # beyond the logins, the cases step adds one officer per street (demo.cases.OFFICER_PREFIX), not logins
    colleagues = {name for name in users if name.startswith("zf_")}
    assert all(users[name].role == Role.OFFICER for name in colleagues)
    # … and a referral liaison for each department without a login (demo.cases.LIAISON_PREFIX)
    liaisons = {name for name in users if name.startswith("bm_")}
    assert all(users[name].role == Role.DEPARTMENT and users[name].department_id for name in liaisons)
    colleagues |= liaisons
    assert {name: users[name].role for name in users if name not in colleagues} == {
        "admin": Role.ADMIN, "lead": Role.LEAD, "officer": Role.OFFICER, "officer2": Role.OFFICER,
        "street": Role.STREET, "street2": Role.STREET, "housing": Role.DEPARTMENT, "greening": Role.DEPARTMENT,
        "property": Role.PROPERTY, "city": Role.CITY, "officer3": Role.OFFICER, "legal": Role.LEGAL,
    }
    assert users["admin"].is_superuser and users["admin"].is_staff
    # the district roles are placed in Putuo; the administrator is the installation's, the city above every district
    placed = {name for name in users if name not in colleagues and users[name].district_id}
    assert placed == {"lead", "officer", "officer2", "officer3", "street", "street2", "housing", "greening", "legal"}
    assert not any(users[name].is_staff for name in users if name != "admin")
    assert streets("officer") == {"曹杨新村街道", "真如镇街道"}
    assert streets("officer2") == {"长征镇"}
    assert streets("street") == {"长风新村街道"}
    assert streets("street2") == {"桃浦镇"}
    assert users["housing"].department.code == "HOUSING"
    assert users["greening"].department.code == "GREENING"
    busiest = PropertyCompany.objects.annotate(n=Count("communities")).order_by("-n").first()
    assert users["property"].property_company.communities.count() == busiest.n


def test_demo_users_see_only_their_scope():
    officer2 = User.objects.get(username="officer2")
    visible = Community.objects.restrict(officer2)
    assert visible.exists()
    assert set(visible.values_list("street__name", flat=True)) == {"长征镇"}
    prop = User.objects.get(username="property")
    assert set(Community.objects.restrict(prop).values_list("property_company", flat=True)) == {
        prop.property_company_id}


def test_demo_logins_prints_every_login():
    out = StringIO()
    call_command("demo_logins", stdout=out)
    table = out.getvalue()
    for spec in demo_district.DEMO_USERS:
        assert spec.username in table
    assert demo_district.DEMO_PASSWORD in table
    assert "执法队员" in table and "曹杨新村街道、真如镇街道" in table


DIGEST = (
    "import dataclasses, hashlib, json; from demo import district; "
    "print(hashlib.sha256(json.dumps(dataclasses.asdict(district.build()), sort_keys=True).encode()).hexdigest())"
)


def test_the_demo_data_is_the_same_on_every_machine():
    """Nothing depends on set order or string hashing: two interpreters with different hash seeds agree."""
    digests = {
        subprocess.run([sys.executable, "-c", DIGEST], env={**os.environ, "PYTHONHASHSEED": seed},
                       cwd=settings.BASE_DIR, capture_output=True, text=True, check=True).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1
