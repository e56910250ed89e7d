"""Columns of credit's exports (CSV/XLSX through core.exports): the duty checks, the companies' ranking and the
joint punishment list, each with the rows its page shows."""
from operator import itemgetter

from accounts.scope import personal_view


def duty_check_columns(user):
    """The project manager masked as in the API for a reader who may not see contacts."""
    see = personal_view(user, "contact")
    return [
        ("案件编号", "case.number"),
        ("违法类型", "case.violation_type.name"),
        ("街镇", "street.name"),
        ("小区", "community.name"),
        ("物业企业", "company.name"),
        ("项目经理", lambda c: see.name(c.project_manager.name) if c.project_manager_id else ""),
        ("说明期限", "answer_due"),
        ("说明时间", "answered_at"),
        ("发现", "discovered"),
        ("劝阻", "dissuaded"),
        ("制止", "stopped"),
        ("报告", "reported"),
        ("事先报告", lambda c: c.prior_report.received_at if c.prior_report_id else ""),
        ("认定结果", lambda c: c.get_outcome_display()),
        ("失信行为", "failure_rule.name"),
        ("认定理由", "reasons"),
        ("认定时间", "decided_at"),
        ("物业未履职案件", "negligence_case.number"),
    ]


RANKING_COLUMNS = [
    ("失信记分排名（第1位记分最多）", "rank"),
    ("物业企业", "name"),
    ("统一社会信用代码", "credit_code"),
    ("统计周期内记分", "points"),
    ("履职检查", "checks"),
    ("未履职", "failed_checks"),
    ("投诉", "complaints"),
    ("在管小区", "communities"),
    ("在管户数", "households"),
    ("每千户投诉", "complaints_per_1000_households"),
    ("列入联合惩戒名单", "listed"),
]


def ranking_columns():
    return [(header, itemgetter(key)) for header, key in RANKING_COLUMNS]


LISTING_COLUMNS = [
    ("物业企业", "company.name"),
    ("统一社会信用代码", "company.credit_code"),
    ("列入日期", "listed_on"),
    ("列入时记分", "points"),
    ("统计起始", "window_start"),
    ("列入理由", "reason"),
    ("移出日期", "removed_on"),
    ("移出理由", "removal_reason"),
]
