"""Named personas and a small world: the one persona base of every test (Healthchecks style).

Only tests import this module (core must not: it builds accounts and registry rows); the repository's
conftest.py offers `world` as a fixture to every test.

The world: two streets, two property companies, three communities.
  alice  — bureau lead (district-wide)          ada   — administrator
  oscar  — officer working 曹杨新村街道          owen  — officer working 长风新村街道 only
  sam    — street staff of 长风新村街道
  hana   — housing-bureau department user        gina  — greening department user (绿化市容)
  pete   — planning department user (规划资源)
  paul   — property user of 普安物业 (company A)  carl  — property user of 长风物业 (company B)
  cyrus  — the city bureau (市局): reads every district, changes nothing, ranks the districts

The world holds one district (Putuo), so its district roles see it whole whether or not their account names it;
`build_second_district` adds a second (静安区) for the tests of the district scope (accounts.scope.district_streets).
"""
import functools
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from accounts.choices import Role
from accounts.models import User
from registry import credit_code
from registry.models import (
    Committee,
    Community,
    CommunityAddress,
    Department,
    District,
    ProjectManager,
    PropertyCompany,
    Street,
    StreetPopulation,
)

PASSWORD = "Correct-Horse-2026"


def valid_code(body: str) -> str:
    """A valid credit code from 17 characters of body (padded)."""
    body = (body + "0" * 17)[:17]
    return body + credit_code.check_character(body)


@functools.cache
def _password_hash() -> str:
    # Hash once: the production hasher is deliberately slow, and tests make many users.
    return make_password(PASSWORD)


def make_user(username, role, *, streets=(), department=None, company=None, **extra) -> User:
    if role in {Role.OFFICER, Role.LEAD} and "cert_number" not in extra:  # 执法证号 (行政处罚法 §42)
        extra["cert_number"] = f"31010700{User.objects.count() + 1:03d}"
    user = User(username=username, role=role, department=department, property_company=company,
                display_name=extra.pop("display_name", username), **extra)
    user.password = _password_hash()
    user.full_clean()
    user.save()
    if streets:
        user.streets.set(streets)
    return user


@dataclass
class World:
    district: District
    caoyang: Street
    changfeng: Street
    company_a: PropertyCompany
    company_b: PropertyCompany
    caoyang_a: Community
    changfeng_b: Community
    changfeng_a: Community
    alice: User
    ada: User
    oscar: User
    owen: User
    sam: User
    hana: User
    gina: User
    pete: User
    paul: User
    carl: User
    cyrus: User
    otis: User   # a second officer of 曹杨新村街道: 协办 on oscar's cases (two officers, 行政处罚法 §42)
    lena: User   # 法制审核人员: the bureau's legal reviewer

    PERSONAS = ("alice", "ada", "oscar", "owen", "sam", "hana", "gina", "pete", "paul", "carl", "cyrus", "otis",
                "lena")

    def personas(self) -> dict[str, User]:
        return {name: getattr(self, name) for name in self.PERSONAS}


def build_world() -> World:
    district, _ = District.objects.get_or_create(name="普陀区", defaults={"code": "310107"})
    caoyang = Street.objects.create(district=district, name="曹杨新村街道", short_name="曹杨", code="01")
    changfeng = Street.objects.create(district=district, name="长风新村街道", short_name="长风", code="02")
    StreetPopulation.objects.create(street=caoyang, year=2025, population=100_000)
    StreetPopulation.objects.create(street=changfeng, year=2025, population=110_000)
    company_a = PropertyCompany.objects.create(
        name="上海普安物业管理有限公司", credit_code=valid_code("91310107MA1G00001"))
    company_b = PropertyCompany.objects.create(
        name="上海长风物业服务有限公司", credit_code=valid_code("91310107MA1G00002"))
    manager_a = ProjectManager.objects.create(company=company_a, name="王建国", phone="13812345678")
    committee = Committee.objects.create(street=caoyang, name="兰溪一村居委会")

    def community(name, street, company, road, number, unit="LANE", manager=None):
        c = Community.objects.create(name=name, street=street, property_company=company, households=800,
                                     population=2000, committee=committee if street == caoyang else None,
                                     project_manager=manager, owners_committee_contact="李秀英",
                                     owners_committee_phone="13900001111")
        CommunityAddress.objects.create(community=c, road=road, unit=unit, number_from=number,
                                        raw=f"{road}{number}{'弄' if unit == 'LANE' else '号'}")
        return c

    caoyang_a = community("兰溪一村", caoyang, company_a, "兰溪路", 88, manager=manager_a)
    changfeng_b = community("金沙雅苑", changfeng, company_b, "金沙江路", 1685)
    changfeng_a = community("云岭花园", changfeng, company_a, "云岭东路", 345, unit="NUMBER")
    department = {code: Department.objects.get(code=code) for code in ("HOUSING", "GREENING", "PLANNING")}
    return World(
        district=district, caoyang=caoyang, changfeng=changfeng, company_a=company_a, company_b=company_b,
        caoyang_a=caoyang_a, changfeng_b=changfeng_b, changfeng_a=changfeng_a,
        alice=make_user("alice", Role.LEAD),
        ada=make_user("ada", Role.ADMIN, is_staff=True, is_superuser=True),
        oscar=make_user("oscar", Role.OFFICER, streets=[caoyang]),
        owen=make_user("owen", Role.OFFICER, streets=[changfeng], display_name="欧文队员"),
        sam=make_user("sam", Role.STREET, streets=[changfeng]),
        hana=make_user("hana", Role.DEPARTMENT, department=department["HOUSING"]),
        gina=make_user("gina", Role.DEPARTMENT, department=department["GREENING"]),
        pete=make_user("pete", Role.DEPARTMENT, department=department["PLANNING"]),
        paul=make_user("paul", Role.PROPERTY, company=company_a),
        carl=make_user("carl", Role.PROPERTY, company=company_b),
        cyrus=make_user("cyrus", Role.CITY, display_name="市局督察"),
        otis=make_user("otis", Role.OFFICER, streets=[caoyang], display_name="奥蒂斯队员"),
        lena=make_user("lena", Role.LEGAL, display_name="法制科审核员"),
    )


@dataclass
class SecondDistrict:
    """静安区 beside the world's Putuo: one street with a community of company B (which works in both districts)
    and one of its own company, and the district's lead, housing-bureau user, officer and street user."""

    district: District
    jiangning: Street
    company_c: PropertyCompany
    jiangning_b: Community
    jiangning_c: Community
    jack: User   # 静安 lead
    hugo: User   # 静安 housing bureau
    otto: User   # officer of 江宁路街道
    stan: User   # street staff of 江宁路街道


def build_second_district(world: World) -> SecondDistrict:
    """The second district; the world's district roles are placed in Putuo, as the migration and seed_demo do."""
    district = District.objects.create(name="静安区", code="310106", number_prefix="JA", document_prefix="静城管",
                                       bureau_name="上海市静安区城市管理行政执法局")
    jiangning = Street.objects.create(district=district, name="江宁路街道", short_name="江宁", code="310106013")
    StreetPopulation.objects.create(street=jiangning, year=2025, population=50_000)
    company_c = PropertyCompany.objects.create(name="上海静安置业物业有限公司", credit_code=valid_code("91310106MA1G00003"))

    def community(name, company, road, number):
        c = Community.objects.create(name=name, street=jiangning, property_company=company, households=600,
                                     population=1500)
        CommunityAddress.objects.create(community=c, road=road, unit="LANE", number_from=number,
                                        raw=f"{road}{number}弄")
        return c

    for user in (world.alice, world.hana, world.gina, world.pete):
        user.district = world.district
        user.save(update_fields=["district"])
    housing = Department.objects.get(code="HOUSING")
    return SecondDistrict(
        district=district, jiangning=jiangning, company_c=company_c,
        jiangning_b=community("武定坊", world.company_b, "武定路", 930),
        jiangning_c=community("陕康里", company_c, "陕西北路", 186),
        jack=make_user("jack", Role.LEAD, district=district),
        hugo=make_user("hugo", Role.DEPARTMENT, department=housing, district=district),
        otto=make_user("otto", Role.OFFICER, streets=[jiangning], district=district),
        stan=make_user("stan", Role.STREET, streets=[jiangning], district=district),
    )


REFERENCE_DATA_MIGRATIONS = [
    "registry.migrations.0002_catalogue",
    "registry.migrations.0003_english_names",
    "registry.migrations.0006_fine_range_data",
    "cases.migrations.0002_document_templates_and_holidays",
    "credit.migrations.0002_policy_and_points_table",
]


_MIGRATION_APPS: dict = {}


def ensure_reference_data():
    """Load the data migrations' rows again when a transactional test's flush has removed them
    (browser tests run against a live server, so they cannot use a rolled-back transaction)."""
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    if Department.objects.exists():
        return
    loader = None
    for name in REFERENCE_DATA_MIGRATIONS:
        if name not in _MIGRATION_APPS:  # each migration runs with its own models (Holiday was in cases then)
            loader = loader or MigrationLoader(connection, ignore_no_migrations=True)
            app_label, _, migration = name.split(".")
            _MIGRATION_APPS[name] = loader.project_state((app_label, migration), at_end=True).apps
        importlib.import_module(name).load(_MIGRATION_APPS[name], None)
