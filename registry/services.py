"""Writes to the registry. Imports, the demo seed and the admin all come through here, so
validation and change history are the same whichever way data arrives."""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from core.errors import ApplicationError
from core.tabular import RowError, read_table
from registry import addresses, credit_code
from registry.choices import StreetKind
from registry.models import (
    Committee,
    Community,
    CommunityAddress,
    CommunityAlias,
    District,
    ProjectManager,
    PropertyCompany,
    Street,
    StreetPopulation,
)

COMMUNITY_COLUMNS = {
    "name": ["名称", "小区名称", "小区"],
    "aliases": ["别名"],
    "addresses": ["地址", "小区地址"],
    "street": ["街镇", "街道", "街道/镇"],
    "committee": ["居委会"],
    "households": ["户数"],
    "population": ["人口", "常住人口"],
    "property_company": ["物业企业", "物业公司", "物业服务企业"],
    "credit_code": ["统一社会信用代码", "信用代码"],
    "project_manager": ["项目经理"],
    "lat": ["纬度", "latitude"],
    "lng": ["经度", "longitude", "lon"],
    "grade": ["分级", "分级分类"],
    "is_pilot": ["试点", "试点小区", "pilot"],
    "pilot_batch": ["试点批次", "batch"],
    "owners_committee_contact": ["业委会联系人"],
    "owners_committee_phone": ["业委会电话", "业委会联系电话"],
    "built_year": ["建成年份"],
}
COMMUNITY_REQUIRED = ["name", "addresses", "street"]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def ok(self) -> bool:
        return not self.errors


class RowInvalid(ApplicationError):
    pass


AMBIGUOUS = None  # a street name two districts share, in a lookup of every district's streets


def _streets_by_name(district: District | None = None) -> dict[str, Street | None]:
    """Street by name, short name, or name without 街道/镇 — of `district`, or of every district. Names are unique
    within a district only (street_unique_name): a name found in two districts maps to AMBIGUOUS, and a row naming
    it is refused until the import names its district (`--district`)."""
    lookup: dict[str, Street | None] = {}
    weak: dict[str, Street | None] = {}
    streets = Street.objects.all() if district is None else Street.objects.filter(district=district)

    def put(table, key, street):
        known = table.get(key, street)
        table[key] = street if known is not AMBIGUOUS and known.district_id == street.district_id else AMBIGUOUS

    for street in streets:
        for key in {street.name, street.short_name}:
            if key:
                put(lookup, key, street)
        # 曹杨新村街道 is also written 曹杨新村; 长征镇 as 长征
        for suffix in ("街道", "镇"):
            if street.name.endswith(suffix):
                put(weak, street.name[: -len(suffix)], street)
    return weak | lookup


def _street_named(streets: dict, name: str) -> Street:
    street = streets.get(name)
    if street is AMBIGUOUS and name in streets:
        raise RowInvalid(f"多个区都有街镇“{name}”，请指定区（--district）",
                         f"several districts have a street/town '{name}': name the district (--district)")
    if street is None:
        raise RowInvalid(f"街镇“{name}”不属于本区", f"unknown street/town '{name}'")
    return street


def district_named(name: str) -> District:
    """The district an import names (`--district`), by name or administrative code."""
    district = District.objects.filter(name=name.strip()).first() or District.objects.filter(code=name.strip()).first()
    if district is None:
        raise ApplicationError(f"没有名为“{name}”的区", f"no district named '{name}'")
    return district


def _int(value: str, label: str, label_en: str) -> int | None:
    value = (value or "").replace(",", "").replace("，", "").strip()
    if not value:
        return None
    try:
        number = int(Decimal(value))
        if number < 0 or Decimal(value) != number:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise RowInvalid(f"{label}“{value}”不是非负整数", f"{label_en} '{value}' is not a whole number ≥ 0") from None
    return number


def _decimal(value: str, label: str, label_en: str, low: int, high: int) -> Decimal | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise RowInvalid(f"{label}“{value}”不是数字", f"{label_en} '{value}' is not a number") from None
    if not low <= number <= high:
        raise RowInvalid(f"{label}“{value}”超出范围", f"{label_en} '{value}' is out of range")
    return number.quantize(Decimal("0.000001"))


def _bool(value: str) -> bool:
    return (value or "").strip().lower() in {"1", "是", "y", "yes", "true", "试点", "√"}


def parse_address_list(value: str) -> list[addresses.ParsedAddress]:
    parsed = []
    for part in addresses.split_list(value):
        address = addresses.parse(part)
        if not address.ok:
            raise RowInvalid(
                f"地址“{part}”无法解析（应为道路+弄/号，如 铜川路123弄）",
                f"address '{part}' cannot be parsed (expected road + 弄/号, e.g. 铜川路123弄)",
            )
        parsed.append(address)
    if not parsed:
        raise RowInvalid("缺少小区地址", "no address given")
    return parsed


def company_resolve(*, name: str, code: str, create: bool = True) -> PropertyCompany | None:
    name, code = (name or "").strip(), credit_code.normalize(code)
    if not name and not code:
        return None
    if code:
        problem = credit_code.problem_parts(code)
        if problem:
            raise RowInvalid(*problem)
        company = PropertyCompany.objects.filter(credit_code=code).first()
        if company:
            if name and company.name != name:
                raise RowInvalid(
                    f"统一社会信用代码 {code} 已属于“{company.name}”，与“{name}”不符",
                    f"credit code {code} belongs to '{company.name}', not '{name}'",
                )
            return company
        if not name:
            raise RowInvalid("新物业企业缺少名称", "a new property company needs a name")
        if PropertyCompany.objects.filter(name=name).exists():
            raise RowInvalid(
                f"物业企业“{name}”已登记，但统一社会信用代码不同", f"company '{name}' exists with another credit code"
            )
        if not create:
            return None
        company = PropertyCompany(name=name, credit_code=code)
        company.full_clean()
        company.save()
        return company
    company = PropertyCompany.objects.filter(name=name).first()
    if company is None:
        raise RowInvalid(
            f"物业企业“{name}”未登记，请同时填写统一社会信用代码",
            f"property company '{name}' is unknown: give its credit code",
        )
    return company


def _set_if_changed(obj, values: dict) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


@transaction.atomic
def community_upsert(*, row: dict, streets: dict[str, Street] | None = None) -> tuple[Community, str]:
    """Create or update one community from an import row; returns (community, created|updated|unchanged).
    Raises RowInvalid with the reason; the caller's savepoint makes the row all or nothing."""
    streets = streets if streets is not None else _streets_by_name()
    name = (row.get("name") or "").strip()
    if not name:
        raise RowInvalid("缺少小区名称", "no community name")
    street = _street_named(streets, (row.get("street") or "").strip())
    parsed = parse_address_list(row.get("addresses", ""))
    households = _int(row.get("households"), "户数", "households")
    population = _int(row.get("population"), "人口", "population")
    built_year = _int(row.get("built_year"), "建成年份", "built year")
    lat = _decimal(row.get("lat"), "纬度", "latitude", -90, 90)
    lng = _decimal(row.get("lng"), "经度", "longitude", -180, 180)
    grade = (row.get("grade") or "").strip().upper().replace("类", "")
    if grade and grade not in {"A", "B", "C"}:
        raise RowInvalid(f"分级“{grade}”应为 A、B 或 C", f"grade '{grade}' must be A, B or C")
    company = company_resolve(name=row.get("property_company", ""), code=row.get("credit_code", ""))
    manager = None
    manager_name = (row.get("project_manager") or "").strip()
    if manager_name:
        if company is None:
            raise RowInvalid("填写了项目经理但没有物业企业", "a project manager needs a property company")
        manager, _ = ProjectManager.objects.get_or_create(company=company, name=manager_name)
    committee = None
    committee_name = (row.get("committee") or "").strip()
    if committee_name:
        committee, _ = Committee.objects.get_or_create(street=street, name=committee_name)

    values = {
        "committee": committee,
        "households": households,
        "population": population,
        "property_company": company,
        "project_manager": manager,
        "grade": grade,
        "lat": lat,
        "lng": lng,
    }
    optional = {
        "is_pilot": _bool(row["is_pilot"]) if "is_pilot" in row else None,
        "pilot_batch": row.get("pilot_batch"),
        "owners_committee_contact": row.get("owners_committee_contact"),
        "owners_committee_phone": row.get("owners_committee_phone"),
        "built_year": built_year if "built_year" in row else None,
    }
    values.update({k: v for k, v in optional.items() if v is not None})

    community = Community.objects.filter(street=street, name=name).first()
    outcome = "unchanged"
    if community is None:
        community = Community(street=street, name=name, **values)
        community.full_clean()
        community.save()
        outcome = "created"
    elif _set_if_changed(community, values):
        community.full_clean()
        community.save()
        outcome = "updated"

    if _sync_addresses(community, parsed) | _sync_aliases(community, addresses.split_list(row.get("aliases", ""))):
        outcome = "updated" if outcome == "unchanged" else outcome
    return community, outcome


def _sync_addresses(community: Community, parsed: list[addresses.ParsedAddress]) -> bool:
    wanted = {}
    for address in parsed:
        key = (address.road, address.unit, address.first)
        wanted[key] = (address.last if address.last != address.first else None, address.raw.strip())
    existing = {(a.road, a.unit, a.number_from): a for a in community.addresses.all()}
    changed = False
    for key, address in existing.items():
        if key not in wanted:
            address.delete()
            changed = True
    for key, (number_to, raw) in wanted.items():
        road, unit, first = key
        current = existing.get(key)
        if current is None:
            CommunityAddress.objects.create(
                community=community, road=road, unit=unit, number_from=first, number_to=number_to, raw=raw
            )
            changed = True
        elif current.number_to != number_to:
            current.number_to = number_to
            current.save()
            changed = True
    return changed


def _sync_aliases(community: Community, names: list[str]) -> bool:
    wanted = set(names) - {community.name}
    existing = {a.name: a for a in community.aliases.all()}
    changed = False
    for name, alias in existing.items():
        if name not in wanted:
            alias.delete()
            changed = True
    for name in wanted - existing.keys():
        CommunityAlias.objects.create(community=community, name=name)
        changed = True
    return changed


STREET_COLUMNS = {
    "name": ["街镇", "街道/镇", "街镇名称", "街道"],
    "code": ["代码", "统计代码", "区划代码"],
    "kind": ["类型"],
    "short_name": ["简称"],
}
STREET_REQUIRED = ["name"]
STREET_KINDS = {
    "街道": StreetKind.SUBDISTRICT, "subdistrict": StreetKind.SUBDISTRICT, "street": StreetKind.SUBDISTRICT,
    "镇": StreetKind.TOWN, "town": StreetKind.TOWN,
}


def district_for_import(*, create: bool) -> District | None:
    """The district an import of streets belongs to. An installation serves one district: the one
    named by the ANJU_DISTRICT_NAME setting, or the only district on record whatever its name (one
    entered in the admin). An empty installation has none: with `create` it is made from the setting,
    without a code (the administrator may add it in the admin; streets' codes are then checked
    against it)."""
    name = settings.ANJU_DISTRICT_NAME
    district = District.objects.filter(name=name).first()
    if district is None:
        districts = list(District.objects.all()[:2])
        if len(districts) == 1:
            return districts[0]
        if districts:
            raise ApplicationError(
                f"有多个区，且没有名为“{name}”（ANJU_DISTRICT_NAME）的区，无法确定街镇所属的区",
                f"several districts are on record and none is named '{name}' (ANJU_DISTRICT_NAME)",
            )
        if create:
            district = District(name=name)
            district.full_clean()
            district.save()
    return district


def _street_values(row: dict) -> dict:
    """The street's fields given by an import row, checked. A column missing from the file is left out
    (the street keeps its value); a blank kind is left out too, and a new street takes it from its name
    (…镇 is a town, anything else a subdistrict)."""
    name = (row.get("name") or "").strip()
    if not name:
        raise RowInvalid("缺少街镇名称", "no street/town name")
    values = {"name": name}
    if "code" in row:
        values["code"] = (row["code"] or "").strip()
    kind = (row.get("kind") or "").strip()
    if kind:
        if kind.lower() not in STREET_KINDS:
            raise RowInvalid(f"类型“{kind}”应为 街道 或 镇", f"kind '{kind}' must be 街道 (subdistrict) or 镇 (town)")
        values["kind"] = STREET_KINDS[kind.lower()]
    if "short_name" in row:
        values["short_name"] = (row["short_name"] or "").strip()
    return values


def street_check(*, district: District, code: str, short_name: str, other_than: Street | None = None) -> None:
    """The rules a street's code and short name keep, whether it comes by import or the admin: the code
    is the 9-digit statistical code, inside the district's code when the district has one, and no two
    streets of the district share a code or a short name (address matching reads short names)."""
    if code and not (len(code) == 9 and code.isascii() and code.isdigit()):
        raise RowInvalid(f"代码“{code}”应为9位统计代码（数字）", f"code '{code}' must be the 9-digit statistical code")
    if code and district.code and not code.startswith(district.code):
        raise RowInvalid(f"代码“{code}”不属于{district.name}（区代码 {district.code}）",
                         f"code '{code}' is not in {district.name} (district code {district.code})")
    others = Street.objects.filter(district=district)
    if other_than is not None and other_than.pk:
        others = others.exclude(pk=other_than.pk)
    if code and (other := others.filter(code=code).first()):
        raise RowInvalid(f"代码“{code}”已属于“{other.name}”", f"code '{code}' already belongs to '{other.name}'")
    if short_name and (other := others.filter(short_name=short_name).first()):
        raise RowInvalid(f"简称“{short_name}”已用于“{other.name}”",
                         f"short name '{short_name}' is already used by '{other.name}'")


@transaction.atomic
def street_upsert(*, row: dict, district: District | None = None) -> tuple[Street, str]:
    """Create or update one street of the district from an import row, by name; returns
    (street, created|updated|unchanged). An unchanged street is not saved, so it gets no history row.
    Without a district, the installation's district is used (and made on an empty installation)."""
    values = _street_values(row)
    district = district or district_for_import(create=True)
    name = values.pop("name")
    street = Street.objects.filter(district=district, name=name).first()
    street_check(district=district, code=values.get("code", ""), short_name=values.get("short_name", ""),
                 other_than=street)
    if street is None:
        values.setdefault("kind", StreetKind.TOWN if name.endswith("镇") else StreetKind.SUBDISTRICT)
        street = Street(district=district, name=name, **values)
        street.full_clean()
        street.save()
        return street, "created"
    if _set_if_changed(street, values):
        street.full_clean()
        street.save()
        return street, "updated"
    return street, "unchanged"


def import_streets(*, path, progress: Callable[[Iterable], Iterable] | None = None,
                   district: District | None = None) -> ImportReport:
    """Import the district's streets and towns (CONTRACTS.md), idempotent by name. On an empty
    installation the district is created from ANJU_DISTRICT_NAME with the first street imported, so a
    file whose rows are all rejected leaves the database as it was."""
    rows = list(read_table(path, STREET_COLUMNS, STREET_REQUIRED))
    # `district` names it (an installation of several); else the installation's, refused when ambiguous
    district = district or district_for_import(create=False)

    def upsert(row):
        nonlocal district
        new_district = district is None
        if new_district:
            district = district_for_import(create=True)
        try:
            return street_upsert(row=row, district=district)[1]
        except Exception:
            if new_district:
                district = None  # the rejected row's savepoint takes the new district with it
            raise

    def repeated(name, first):
        return (f"街镇“{name}”在文件中重复（首次出现于第{first}行） / "
                f"street/town '{name}' repeated in the file (first on line {first})")

    return _import_rows(rows, key=lambda row: (row.get("name") or "").strip(), repeated=repeated,
                        upsert=upsert, progress=progress)


def _import_rows(
    rows: list, *, key: Callable[[dict], object], repeated: Callable[[object, int], str],
    upsert: Callable[[dict], str], progress: Callable[[Iterable], Iterable] | None = None,
) -> ImportReport:
    """The per-row loop every registry import shares: a row repeated in the file (same key) is rejected
    with the line it first appeared on; each other row is all or nothing in its own savepoint, and a
    rejected row becomes a RowError while the good rows are kept."""
    report = ImportReport()
    first_line = {}
    for line, row, _raw in progress(rows) if progress else rows:
        row_key = key(row)
        if row_key and row_key in first_line:
            report.errors.append(RowError(line, repeated(row_key, first_line[row_key])))
            continue
        first_line.setdefault(row_key, line)
        try:
            with transaction.atomic():
                outcome = upsert(row)
        except RowInvalid as exc:
            report.errors.append(RowError.of(line, exc))
            continue
        except ValidationError as exc:  # a model check the row checks above missed
            report.errors.append(RowError(line, "; ".join(exc.messages)))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def import_communities(
    *, path, progress: Callable[[Iterable], Iterable] | None = None, district: District | None = None
) -> ImportReport:
    """Import a communities file (CONTRACTS.md). Each row is all or nothing; good rows are kept. `district`: its
    streets only (an installation of several districts)."""
    if not Street.objects.exists():
        raise ApplicationError(
            "本区尚未登记街镇：请先运行 python manage.py import_streets 文件 导入街镇（或在管理后台录入），再导入小区",
            "No streets/towns are registered yet: run `python manage.py import_streets FILE` first "
            "(or add them in the admin), then import the communities",
        )
    rows = list(read_table(path, COMMUNITY_COLUMNS, COMMUNITY_REQUIRED))
    streets = _streets_by_name(district)

    def key(row):
        street, name = (row.get("street") or "").strip(), (row.get("name") or "").strip()
        return (street, name) if name else None

    def repeated(key, first):
        return (f"小区“{key[1]}”在文件中重复（首次出现于第{first}行） / "
                f"community '{key[1]}' repeated in the file (first on line {first})")

    return _import_rows(rows, key=key, repeated=repeated, progress=progress,
                        upsert=lambda row: community_upsert(row=row, streets=streets)[1])


# --- populations (投诉万人比's denominator) ---------------------------------------------------------------

POPULATION_COLUMNS = {
    "street": ["街镇", "街道/镇", "街镇名称", "街道"],
    "year": ["年份", "年度"],
    "population": ["常住人口", "人口"],
}
POPULATION_REQUIRED = ["street", "year", "population"]


def population_upsert(*, row: dict, streets: dict[str, Street] | None = None) -> tuple[StreetPopulation, str]:
    """Create or update one street's resident population of a year from an import row; returns
    (record, created|updated|unchanged). A row for an existing (street, year) updates it."""
    streets = streets if streets is not None else _streets_by_name()
    name = (row.get("street") or "").strip()
    if streets.get(name) is None and name not in streets:
        raise RowInvalid(f"街镇“{name}”不是本区的街镇", f"'{name}' is not a street/town of the district")
    street = _street_named(streets, name)
    year = _int(row.get("year", ""), "年份", "year")
    if year is None or not 2000 <= year <= 2100:
        raise RowInvalid(f"年份“{row.get('year', '')}”无效（应为 2000–2100 的年份）",
                         f"invalid year '{row.get('year', '')}' (expected 2000–2100)")
    population = _int(row.get("population", ""), "常住人口", "population")
    if not population:
        raise RowInvalid(f"常住人口“{row.get('population', '')}”无效（应为正整数）",
                         f"invalid population '{row.get('population', '')}' (expected a positive whole number)")
    record = StreetPopulation.objects.filter(street=street, year=year).first()
    if record is None:
        return StreetPopulation.objects.create(street=street, year=year, population=population), "created"
    if record.population == population:
        return record, "unchanged"
    record.population = population
    record.save(update_fields=["population"])
    return record, "updated"


def import_populations(*, path, progress: Callable[[Iterable], Iterable] | None = None,
                       district: District | None = None) -> ImportReport:
    """Import resident populations per street and year (CONTRACTS.md: 街镇/street, 年份/year, 常住人口/population),
    each row all or nothing, the good rows kept; an existing (street, year) is updated."""
    rows = list(read_table(path, POPULATION_COLUMNS, POPULATION_REQUIRED))
    if not Street.objects.exists():
        raise ApplicationError("请先导入街镇（import_streets）", "import the streets first (import_streets)")
    streets = _streets_by_name(district)

    def key(row):
        return ((row.get("street") or "").strip(), (row.get("year") or "").strip())

    def repeated(row_key, first):
        return (f"街镇“{row_key[0]}”{row_key[1]}年的人口在文件中重复（首次出现于第{first}行） / "
                f"population of '{row_key[0]}' in {row_key[1]} repeated in the file (first on line {first})")

    return _import_rows(rows, key=key, repeated=repeated,
                        upsert=lambda row: population_upsert(row=row, streets=streets)[1], progress=progress)
