"""The inventory file's columns, ONE table for the export and the import (README: 存量违建台账文件), so an
exported file can be edited and imported again. Headers are Chinese, or English when the page is in English;
the import accepts either, and the aliases below."""
import functools

from django.utils import translation

from accounts.scope import can_see_personal
from programme.choices import StructureKind, StructureMaterial, StructureStatus
from registry.choices import Measure

# (key = English header, Chinese header, other accepted headers, accessor for the export)
COLUMNS = [
    ("number", "台账编号", ["编号", "ledger_number"], "number"),
    ("community", "小区", ["小区名称", "住宅小区"], "community.name"),
    ("street", "街镇", ["街道", "街道/镇", "街道（镇）"], "street.name"),
    ("location", "具体位置", ["位置", "部位", "违建位置"], "location"),
    ("kind", "类别", ["违建类别", "类型"], "get_kind_display"),
    ("found_on", "发现日期", ["发现时间"], "found_on"),
    ("area_m2", "面积（㎡）", ["面积", "面积(㎡)", "面积（平方米）", "面积(平方米)", "面积m2", "area"], "area_m2"),
    ("structure", "结构", ["结构类型", "material"], "get_material_display"),
    ("status", "状态", ["处置状态"], "get_status_display"),
    ("measure", "处置措施", ["措施"], lambda s: str(Measure(s.measure).label) if s.measure in Measure.values else ""),
    ("target_date", "计划完成日期", ["计划完成时间", "完成时限"], "target_date"),
    ("cleared_on", "销项日期", ["销项时间"], "cleared_on"),
    ("note", "备注", ["说明"], "note"),
    ("owner", "当事人（户）", ["当事人", "owner_hint"], "owner_hint"),
]
REQUIRED = ["community", "location", "found_on", "area_m2"]
PERSONAL = {"owner"}  # left out of the export for roles that may not see parties, so nothing masked comes back

IMPORT_COLUMNS = {key: [zh, *aliases] for key, zh, aliases, _ in COLUMNS}


def columns(user, english: bool | None = None):
    """(header, accessor) pairs for core.exports; the owner column only for roles that see parties."""
    if english is None:
        english = (translation.get_language() or "").startswith("en")
    personal = user is None or can_see_personal(user, "party")
    return [(key if english else zh, accessor) for key, zh, _aliases, accessor in COLUMNS
            if personal or key not in PERSONAL]


def _choice_lookup(choices, extra: dict) -> dict[str, str]:
    """Codes and labels (Chinese and English) and a few usual words → code, for reading a file back."""
    lookup = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for value, label in choices.choices:
                lookup[str(label).strip().lower()] = value
    for value in choices.values:
        lookup[value.lower()] = value
    return {**lookup, **extra}


@functools.cache
def lookups() -> dict[str, dict[str, str]]:
    S, K, M = StructureStatus, StructureKind, StructureMaterial
    return {
        "kind": _choice_lookup(K, {"存量": K.EXISTING, "新增": K.NEW, "在建": K.NEW, "新增违建": K.NEW,
                                   "正在搭建": K.NEW, "新增(在建)": K.NEW}),
        "status": _choice_lookup(S, {"拆除": S.DEMOLISHED, "注记": S.ANNOTATED, "整改": S.RECTIFIED,
                                     "已恢复原状": S.RECTIFIED, "办理中": S.HANDLING}),
        "structure": _choice_lookup(M, {"砖混结构": M.BRICK, "砖": M.BRICK, "钢": M.STEEL, "彩钢": M.COLOUR_STEEL,
                                        "彩钢棚": M.COLOUR_STEEL, "木": M.WOOD, "阳光房": M.GLASS, "玻璃": M.GLASS,
                                        "玻璃房": M.GLASS, "混凝土": M.CONCRETE, "钢混": M.CONCRETE}),
        "measure": _choice_lookup(Measure, {"强拆": "FORCED_DEMOLITION", "恢复": "RESTORE",
                                            "责令整改": "ORDER_CORRECT"}),
    }
