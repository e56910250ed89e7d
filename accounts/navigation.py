"""Navigation per role: one table, so each role sees only the pages it may use."""
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.scope import role_of

ALL = set(Role.values)
HOUSING = (Role.DEPARTMENT, "HOUSING")  # one department, as in accounts.scope.PERSONAL_DATA_ACCESS

# (url name, label, icon, roles); a (role, department code) pair names one department
MENU = [
    ("home", _("工作台"), "house", ALL),
    ("intake:queue", _("诉件受理"), "inbox", ALL - {Role.PROPERTY}),
    ("intake:patrol", _("巡查上报"), "camera", {Role.OFFICER, Role.STREET}),
    ("intake:property-report", _("违法行为报告"), "megaphone", {Role.PROPERTY}),
    ("intake:import", _("导入12345工单"), "upload", {Role.ADMIN, Role.LEAD, Role.OFFICER, Role.STREET}),
    ("cases:workbench", _("今日工作台"), "calendar-check", {Role.OFFICER}),
    ("cases:list", _("案件办理"), "folder2-open", ALL - {Role.PROPERTY}),
    ("cases:board", _("督办看板"), "alarm", {Role.LEAD, Role.ADMIN}),
    ("cases:inbox", _("移交收件箱"), "envelope-paper", {Role.DEPARTMENT}),
    ("credit:duty-checks", _("物业履职检查"), "clipboard-check",
     {Role.ADMIN, Role.LEAD, Role.OFFICER, Role.STREET, HOUSING}),
    ("credit:ranking", _("物业信用排名"), "bar-chart-steps", {Role.ADMIN, Role.LEAD, Role.OFFICER, HOUSING}),
    ("credit:mine", _("本企业履职与信用"), "shield-check", {Role.PROPERTY}),
    ("programme:inventory", _("存量违建台账"), "bricks", ALL),
    ("registry:community-list", _("住宅小区"), "buildings", ALL),
    ("registry:company-list", _("物业企业"), "briefcase", ALL - {Role.PROPERTY}),
    ("registry:company-mine", _("本企业"), "briefcase", {Role.PROPERTY}),
    ("registry:street-list", _("街镇"), "geo-alt", ALL - {Role.PROPERTY}),
    ("registry:department-list", _("职能部门"), "diagram-3", ALL),
    ("registry:violationtype-list", _("违法行为与法律依据"), "journal-text", ALL),
]


def menu_for(user):
    role = role_of(user)
    department = user.department.code if role == Role.DEPARTMENT and user.department_id else None
    items = []
    for name, label, icon, roles in MENU:
        if role not in roles and (role, department) not in roles:
            continue
        try:
            items.append({"url": reverse(name), "label": label, "icon": icon, "name": name})
        except NoReverseMatch:
            continue
    if role == Role.ADMIN:
        items.append({"url": reverse("admin:index"), "label": _("系统管理"), "icon": "gear", "name": "admin"})
    return items
