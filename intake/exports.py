from accounts.scope import personal_view
from core.calendar import DUE_SOON, OVERDUE

DUE_LABELS = {OVERDUE: "超期", DUE_SOON: "临期"}  # the queue's flags (intake.selectors.with_due_flag)


def complaint_columns(user):
    """The queue's columns, its 办理时限 and 超期/临期 flag included; callers masked as on the queue and in the API."""
    see = personal_view(user, "caller")
    return [
        ("ID", "pk"),
        ("来源渠道", "get_channel_display"),
        ("外部编号", "external_no"),
        ("受理时间", "received_at"),
        ("诉求人", lambda c: see.name(c.caller_name)),
        ("联系电话", lambda c: see.phone(c.caller_phone)),
        ("诉求地址", "address_text"),
        ("诉求内容", "content"),
        ("小区", "community.name"),
        ("街镇", "street.name"),
        ("违法类型", "violation_type.name"),
        ("置信度", "confidence"),
        ("承办部门", "department.name"),
        ("状态", "get_status_display"),
        ("办理时限", "due_date"),
        ("期限提示", lambda c: DUE_LABELS.get(getattr(c, "due_flag", "") or "", "")),
        ("重复于", lambda c: str(c.duplicate_of) if c.duplicate_of_id else ""),
        ("90日重复数", "repeat_count"),
    ]
