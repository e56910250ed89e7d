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


def case_export(user, query):
    """The case list as `user` filtered it with `query` (core.exports.ExportKind): model rows read in chunks through a
    server-side cursor; filters that do not validate are an ApplicationError (a 400 page, or a failed job)."""
    from accounts import policy
    from accounts.policy import may
    from cases import selectors
    from cases.forms import CaseFilter
    from core.errors import ApplicationError
    from core.export_jobs import NOT_FILTERS, fake_request
    from core.exports import Export

    if not may(user, policy.CASE_LIST):
        raise ApplicationError("无权导出案件", "you may not export cases")
    base = selectors.case_list(user=user)
    cases = base
    if any(key not in NOT_FILTERS for key in query):  # the page filters only when it was given filters
        filterset = CaseFilter(query, queryset=base, request=fake_request(user, query))
        if not filterset.is_valid():
            fields = sorted(filterset.errors)
            raise ApplicationError(f"筛选条件有误（{'、'.join(fields)}），请在列表上重新选择后再导出",
                                   f"invalid filters ({', '.join(fields)}): choose them again on the list, then export")
        cases = filterset.qs

    def count(limit=None):
        keys = cases.order_by().values("pk")
        return (keys[:limit + 1] if limit is not None else keys).count()

    return Export(filename="执法案件", title="执法案件", columns=case_columns(user), count=count,
                  objects=lambda: cases.iterator(chunk_size=1000))


def export_kind():
    from core.exports import ExportKind

    return ExportKind(name="cases", label="执法案件", build=case_export, back="cases:list")
