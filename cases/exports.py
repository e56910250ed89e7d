"""Columns of the case list export: the same rows the page shows, with the 临期/超期 flag."""
from cases.selectors import OVERDUE, SOON, measure_labels

DUE_LABELS = {OVERDUE: "超期", SOON: "临期", "": ""}


def case_columns(user):
    return [
        ("案件编号", "number"),
        ("违法类型", "violation_type.name"),
        ("街镇", "street.name"),
        ("小区", "community.name"),
        ("具体位置", "location"),
        ("案情摘要", "summary"),
        ("承办队员", lambda c: str(c.officer) if c.officer_id else ""),
        ("状态", "get_state_display"),
        ("本阶段期限", "state_due"),
        ("期限提示", lambda c: DUE_LABELS.get(getattr(c, "due_flag", ""), "")),
        ("处理措施", lambda c: "、".join(measure_labels(c.measures))),
        ("整改期限", "rectify_due"),
        ("登记时间", "created_at"),
        ("结案时间", "closed_at"),
        ("结案理由", "closing_reason"),
    ]
