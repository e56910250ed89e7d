"""Import of the inventory file (CSV or XLSX, Chinese or English headers; columns in programme.exports).

Each row is all or nothing and goes through programme.services, so the checks and the change history are the
pages' own. A bad row is reported with its line and reason and the good rows are kept. Idempotent: a row
finds its item by ledger number, or without one by (community, location, date found); a row that changes
nothing writes nothing. A column missing from the file leaves that field as it is; in a column that is there,
an empty cell empties the field — except 状态 (empty: as it is; 存量 for a new item) and 结构 (其他).
An import never reopens a cleared item and never moves an item that a case is handling: those are decisions
for the item's page, not for a spreadsheet that may be older than the ledger.
"""
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.errors import ApplicationError
from core.exports import FORMULA_START
from core.tabular import RowError, read_table
from programme import exports, rules, services
from programme.choices import StructureKind, StructureMaterial, StructureStatus
from programme.models import IllegalStructure

DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class RowInvalid(ApplicationError):
    pass


def _text(value) -> str:
    """A cell as text; the quote our own export puts before a formula-like text is taken off again."""
    value = (value or "").strip()
    if value[:1] == "'" and value[1:2] in FORMULA_START:
        value = value[1:]
    return value


def parse_date(value: str, label: str, label_en: str) -> date | None:
    value = _text(value)
    if not value:
        return None
    compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", value)
    match = compact or DATE_RE.match(value)
    try:
        if match is None:
            raise ValueError
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise RowInvalid(f"{label}“{value}”不是有效日期（如 2024-03-15）",
                         f"{label_en} '{value}' is not a date (e.g. 2024-03-15)") from None


def _area(value: str):
    value = re.sub(r"\s|㎡|m2|m²|平方米|平米", "", _text(value), flags=re.IGNORECASE).replace(",", "")
    if not value:
        raise RowInvalid("缺少面积", "no area")
    return services._area(value)


def _choice(key: str, value: str, label: str) -> str | None:
    value = _text(value)
    if not value:
        return None
    code = exports.lookups()[key].get(value.lower().replace(" ", ""), exports.lookups()[key].get(value.lower()))
    if code is None:
        raise RowInvalid(f"{label}“{value}”无法识别", f"{key} '{value}' is not recognised")
    return code


class Communities:
    """Communities by name (and alias), with their street, read once per file."""

    def __init__(self):
        from registry.models import Community, CommunityAlias
        from registry.services import _streets_by_name

        self.streets = _streets_by_name()
        self.by_name: dict[str, list] = {}
        for community in Community.objects.select_related("street"):
            self.by_name.setdefault(community.name, []).append(community)
        for alias in CommunityAlias.objects.select_related("community__street"):
            self.by_name.setdefault(alias.name, [])
            if alias.community not in self.by_name[alias.name]:
                self.by_name[alias.name].append(alias.community)

    def find(self, name: str, street_name: str):
        name, street_name = _text(name), _text(street_name)
        if not name:
            raise RowInvalid("缺少小区", "no community")
        street = None
        if street_name:
            street = self.streets.get(street_name)
            if street is None:
                raise RowInvalid(f"街镇“{street_name}”不属于本区", f"unknown street/town '{street_name}'")
        candidates = [c for c in self.by_name.get(name, []) if street is None or c.street_id == street.pk]
        if not candidates:
            where = f"{street_name}的" if street_name else ""
            raise RowInvalid(f"{where}小区“{name}”未登记", f"community '{name}' is not in the registry")
        if len(candidates) > 1:
            raise RowInvalid(f"多个街镇都有小区“{name}”，请填写街镇", f"several streets have '{name}': give the street")
        return candidates[0]


def _values(row: dict, communities: Communities) -> dict:
    """The row's fields as the services take them; only the columns the file has."""
    values = {"community": communities.find(row.get("community", ""), row.get("street", "")),
              "location": _text(row.get("location")),
              "found_on": parse_date(row.get("found_on"), "发现日期", "found_on"),
              "area_m2": _area(row.get("area_m2"))}
    if not values["location"]:
        raise RowInvalid("缺少具体位置", "no location")
    if values["found_on"] is None:
        raise RowInvalid("缺少发现日期", "no date found")
    if "kind" in row:
        values["kind"] = _choice("kind", row["kind"], "类别") or StructureKind.EXISTING
    if "structure" in row:
        values["material"] = _choice("structure", row["structure"], "结构") or StructureMaterial.OTHER
    if "status" in row:
        values["status"] = _choice("status", row["status"], "状态")
    if "measure" in row:
        values["measure"] = _choice("measure", row["measure"], "处置措施") or ""
    if "target_date" in row:
        values["target_date"] = parse_date(row["target_date"], "计划完成日期", "target_date")
    if "cleared_on" in row:
        values["cleared_on"] = parse_date(row["cleared_on"], "销项日期", "cleared_on")
    if "note" in row:
        values["note"] = _text(row["note"])
    if "owner" in row:
        values["owner_hint"] = _text(row["owner"])[:100]
    return values


def structure_upsert(*, row: dict, actor, communities: Communities, file_name: str = "") -> tuple[object, str]:
    """Create or update one item from a file row; (item, created|updated|unchanged). Raises with the reason."""
    values = _values(row, communities)
    number = _text(row.get("number"))
    reason = f"导入 {file_name}".strip()
    item = IllegalStructure.objects.filter(number=number).first() if number else None
    same_place = services._duplicate(values["community"], values["location"], values["found_on"])
    if item is None and same_place is not None:
        if number:
            raise RowInvalid(f"该位置同日发现的违建已登记为 {same_place.number}",
                             f"already on the ledger as {same_place.number}")
        item = same_place
    if item is not None and actor is not None and \
            not IllegalStructure.objects.restrict(actor, "change").filter(pk=item.pk).exists():
        raise RowInvalid(f"台账编号 {item.number} 不在您的管理范围内", f"{item.number} is outside your scope")

    if item is None:
        status = values.pop("status", None) or StructureStatus.EXISTING
        if rules.is_cleared(status) and not values.get("cleared_on"):
            raise RowInvalid("已销项的条目须填写销项日期", "a cleared item needs its date cleared")
        item = services.structure_create(actor=actor, number=number, status=status, reason=reason, **values)
        return item, "created"

    status = values.get("status") or item.status
    values["status"] = status
    if "cleared_on" in values and values["cleared_on"] is None and rules.is_cleared(status):
        if not item.is_cleared:
            raise RowInvalid("已销项的条目须填写销项日期", "a cleared item needs its date cleared")
        values["cleared_on"] = item.cleared_on
    if status != item.status:
        if item.is_cleared and not rules.is_cleared(status):
            raise RowInvalid(f"{item.number} 已销项，导入不能重新打开，请在条目页面操作",
                             f"{item.number} is cleared: reopen it on its page, not by import")
        if item.case_id and item.case.is_open:
            raise RowInvalid(f"{item.number} 由案件 {item.case.number} 办理中，状态随案件更新",
                             f"{item.number} follows its open case {item.case.number}")
    changes = {name: value for name, value in values.items() if getattr(item, name) != value}
    if not changes:
        return item, "unchanged"
    item = services.structure_update(item=item, actor=actor, reason=reason, **changes)
    return item, "updated"


def import_inventory(*, path, actor=None, file_name: str = "",
                     progress: Callable[[Iterable], Iterable] | None = None) -> ImportReport:
    """Import an inventory file. A file that cannot be read raises ApplicationError and imports nothing."""
    rows = list(read_table(path, exports.IMPORT_COLUMNS, exports.REQUIRED))
    communities = Communities()
    report = ImportReport(rows=len(rows))
    first_line: dict = {}
    seen = Counter()
    for line, row, _raw in progress(rows) if progress else rows:
        key = _text(row.get("number")) or (_text(row.get("street")), _text(row.get("community")),
                                           _text(row.get("location")), _text(row.get("found_on")))
        seen[key] += 1
        if seen[key] > 1:
            report.errors.append(RowError.said(line, f"与第{first_line[key]}行重复", f"repeats line {first_line[key]}"))
            continue
        first_line[key] = line
        try:
            with transaction.atomic():
                _item, outcome = structure_upsert(row=row, actor=actor, communities=communities,
                                                  file_name=file_name)
        except ApplicationError as exc:
            report.errors.append(RowError.of(line, exc))
            continue
        except (ValidationError, IntegrityError) as exc:
            messages = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            report.errors.append(RowError(line, messages))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report
