"""demo_logins — print the demo logins (username, password, role, scope) as a table; `make run` shows it."""
import unicodedata

from django.core.management.base import BaseCommand

from accounts.choices import Role
from accounts.models import User
from demo import district, second_district


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def scope_of(user: User) -> str:
    if user.is_superuser or user.role == Role.ADMIN:
        return "全部数据与配置 everything"
    if user.role == Role.CITY:
        return "全市各区（只读） every district, read-only"
    if user.role == Role.LEAD:
        return f"全区 whole district{f'（{user.district}）' if user.district_id else ''}"
    if user.role in (Role.OFFICER, Role.STREET):
        return "、".join(user.streets.values_list("name", flat=True)) or "（未分配街镇）"
    if user.role == Role.DEPARTMENT:
        return str(user.department) if user.department_id else "（未指定部门）"
    if user.role == Role.PROPERTY and user.property_company_id:
        count = user.property_company.communities.count()
        return f"{user.property_company}（{count}个小区）"
    return ""


class Command(BaseCommand):
    help = "Print the demo logins / 显示演示账号"

    def handle(self, *args, **options):
        rows = [("用户名 user", "密码 password", "角色 role", "范围 scope")]
        missing = []
        specs = [(spec, True) for spec in district.DEMO_USERS]
        specs += [(spec, False) for spec in second_district.USERS]  # only after seed_demo --second-district
        for spec, always in specs:
            user = User.objects.filter(username=spec.username).select_related(
                "department", "property_company", "district").first()
            if user is None:
                if always:
                    missing.append(spec.username)
                continue
            rows.append((user.username, district.DEMO_PASSWORD, str(Role(user.role).label), scope_of(user)))
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        self.stdout.write(rule)
        for index, row in enumerate(rows):
            self.stdout.write("| " + " | ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)) + " |")
            if index == 0:
                self.stdout.write(rule)
        self.stdout.write(rule)
        if missing:
            self.stdout.write(f"未创建 not created yet: {', '.join(missing)} — 请先运行 run: manage.py seed_demo")
