"""Navigation: one table of pages, each shown when accounts.policy allows its action, so the menu offers
exactly the pages that open for the user (a link that would answer 403 is a dead end)."""
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts import policy as p

# (url name, label, icon, the action that opens the page[, query string: a filtered view of the page])
MENU = [
    ("home", _("工作台"), "house", p.HOME),
    ("intake:queue", _("诉件受理"), "inbox", p.COMPLAINT_QUEUE),
    ("intake:patrol", _("巡查上报"), "camera", p.FILE_PATROL),
    ("intake:property-report", _("违法行为报告"), "megaphone", p.FILE_PROPERTY_REPORT),
    ("intake:import", _("导入12345工单"), "upload", p.COMPLAINT_IMPORT),
    ("cases:workbench", _("今日工作台"), "calendar-check", p.CASE_WORKBENCH),
    # the legal reviewer's queue (法制审核, 行政处罚法 §58): the case list filtered to the cases waiting for the review
    ("cases:list", _("待法制审核"), "clipboard2-check", p.CASE_LEGAL_REVIEW, "?state=LEGAL_REVIEW"),
    ("cases:list", _("案件办理"), "folder2-open", p.CASE_LIST),
    ("cases:board", _("督办看板"), "alarm", p.CASE_BOARD),
    ("cases:rechecks", _("回头看"), "arrow-repeat", p.RECHECK_LIST),
    ("cases:inbox", _("移交收件箱"), "envelope-paper", p.REFERRAL_INBOX),
    ("credit:duty-checks", _("物业履职检查"), "clipboard-check", p.DUTY_CHECK_LIST),
    ("credit:ranking", _("物业信用排名"), "bar-chart-steps", p.CREDIT_OVERVIEW),
    ("credit:mine", _("本企业履职与信用"), "shield-check", p.CREDIT_MINE),
    ("programme:inventory", _("存量违建台账"), "bricks", p.INVENTORY_LIST),
    ("programme:campaign-list", _("专项行动"), "flag", p.CAMPAIGN_LIST),
    ("programme:my-tasks", _("我的任务"), "list-check", p.CAMPAIGN_MY_TASKS),
    ("analytics:city", _("全市各区"), "buildings-fill", p.CITY_OVERVIEW),
    ("analytics:overview", _("数据分析"), "graph-up", p.ANALYTICS_VIEW),
    ("analytics:wall", _("指挥大屏"), "display", p.ANALYTICS_WALL),
    ("bulletins:list", _("通报"), "file-earmark-text", p.BULLETIN_LIST),
    ("assessment:overview", _("年度考核"), "trophy", p.ASSESSMENT_VIEW),
    ("registry:community-list", _("住宅小区"), "buildings", p.COMMUNITY_LIST),
    ("registry:company-list", _("物业企业"), "briefcase", p.COMPANY_LIST),
    ("registry:company-mine", _("本企业"), "briefcase", p.COMPANY_MINE),
    ("registry:street-list", _("街镇"), "geo-alt", p.STREET_LIST),
    ("registry:department-list", _("职能部门"), "diagram-3", p.DEPARTMENT_LIST),
    ("registry:violationtype-list", _("违法行为与法律依据"), "journal-text", p.VIOLATION_TYPE_LIST),
    ("admin:index", _("系统管理"), "gear", p.ADMIN_SITE),
]


def menu_for(user):
    items = []
    for name, label, icon, action, *query in MENU:
        if not p.may(user, action):
            continue
        try:
            items.append({"url": reverse(name) + "".join(query), "label": label, "icon": icon,
                          "name": "admin" if name == "admin:index" else name})
        except NoReverseMatch:
            continue
    return items
