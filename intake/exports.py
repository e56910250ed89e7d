"""The complaint queue's export (诉件导出): its columns, and the export registered with core.exports.

`complaint_export(user, query)` is what the queue's `?export=` and the background job both run: the queue's filters
(the queue's default of open complaints included) over the user's scope, read as `values()` rows through a
server-side cursor with the columns of `complaint_value_columns`. `complaint_columns` gives the same columns over
model instances (one complaint, or a list already read); a test holds the two to the same output."""
from accounts import policy
from accounts.policy import may
from accounts.scope import personal_view
from core.calendar import DUE_SOON, OVERDUE
from core.errors import ApplicationError
from core.exports import Export, ExportKind

DUE_LABELS = {OVERDUE: "超期", DUE_SOON: "临期"}  # the queue's flags (intake.selectors.with_due_flag)
CHUNK = 2000  # rows fetched from the server-side cursor at a time


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


VALUE_FIELDS = ("id", "channel", "external_no", "received_at", "caller_name", "caller_phone", "address_text",
                "content", "community__name", "street__name", "violation_type__name", "confidence",
                "department__name", "status", "due_date", "due_flag", "duplicate_of_id",
                "duplicate_of__external_no", "repeat_count")


def _label(model, field: str):
    labels = dict(model._meta.get_field(field).flatchoices)
    return lambda row: labels.get(row[field], row[field])


def _duplicate_of(row) -> str:  # str(Complaint): its 12345 number, else #id
    if not row["duplicate_of_id"]:
        return ""
    return row["duplicate_of__external_no"] or f"#{row['duplicate_of_id']}"


def complaint_value_columns(user):
    """`complaint_columns` over the `values(*VALUE_FIELDS)` rows of the queue: the same headers, values, masking."""
    from intake.models import Complaint

    see = personal_view(user, "caller")
    return [
        ("ID", lambda r: r["id"]),
        ("来源渠道", _label(Complaint, "channel")),
        ("外部编号", lambda r: r["external_no"]),
        ("受理时间", lambda r: r["received_at"]),
        ("诉求人", lambda r: see.name(r["caller_name"])),
        ("联系电话", lambda r: see.phone(r["caller_phone"])),
        ("诉求地址", lambda r: r["address_text"]),
        ("诉求内容", lambda r: r["content"]),
        ("小区", lambda r: r["community__name"]),
        ("街镇", lambda r: r["street__name"]),
        ("违法类型", lambda r: r["violation_type__name"]),
        ("置信度", lambda r: r["confidence"]),
        ("承办部门", lambda r: r["department__name"]),
        ("状态", _label(Complaint, "status")),
        ("办理时限", lambda r: r["due_date"]),
        ("期限提示", lambda r: DUE_LABELS.get(r["due_flag"] or "", "")),
        ("重复于", _duplicate_of),
        ("90日重复数", lambda r: r["repeat_count"]),
    ]


def filtered_queue(user, query):
    """The queue as `user` filtered it with `query` (a QueryDict); ApplicationError for filters that do not
    validate (the page shows the list unfiltered then; an export must not silently hold every row)."""
    from core.export_jobs import fake_request
    from intake import selectors
    from intake.filters import OPEN, ComplaintFilter

    if not may(user, policy.COMPLAINT_QUEUE):
        raise ApplicationError("无权导出诉件", "you may not export complaints")
    data = query.copy()
    data.setdefault("status", OPEN)
    base = selectors.complaint_list(user=user)
    filterset = ComplaintFilter(data, queryset=base, request=fake_request(user, query))
    if not filterset.is_valid():
        fields = "、".join(sorted(filterset.errors))
        raise ApplicationError(f"筛选条件有误（{fields}），请在列表上重新选择后再导出",
                               f"invalid filters ({', '.join(sorted(filterset.errors))}): choose them again on "
                               "the list, then export")
    return filterset.qs


def complaint_export(user, query) -> Export:
    complaints = filtered_queue(user, query)

    def count(limit=None):
        keys = complaints.order_by().values("pk")
        return (keys[:limit + 1] if limit is not None else keys).count()

    return Export(filename="诉件", title="诉件", columns=complaint_value_columns(user), count=count,
                  objects=lambda: complaints.values(*VALUE_FIELDS).iterator(chunk_size=CHUNK))


KIND = ExportKind(name="complaints", label="诉件", build=complaint_export, back="intake:queue")
