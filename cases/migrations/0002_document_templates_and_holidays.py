"""Ship the document numbering patterns and the public-holiday calendar.

Holidays: the State Council's notices on 2025 and 2026 public holidays (国务院办公厅关于2025年/2026年部分节假日
安排的通知; the 2026 one is dated 2025-11-04). Every day off in each holiday block is listed, weekends included;
`is_workday` rows are the weekend days worked instead (调休上班). Rows an administrator already entered for a date
are left as they are. Later years are added by the administrator in the admin.
"""
from datetime import date, timedelta

from django.db import migrations

ISSUER = "上海市普陀区城市管理行政执法局"
TEMPLATES = [
    ("ORDER_CORRECT", "普城管责改字〔{year}〕第{seq}号"),
    ("PENALTY_DECISION", "普城管罚决字〔{year}〕第{seq}号"),
    ("REFERRAL_LETTER", "普城管移字〔{year}〕第{seq}号"),
]

# (name, first day off, last day off, make-up workdays)
HOLIDAYS = [
    ("元旦", date(2025, 1, 1), date(2025, 1, 1), []),
    ("春节", date(2025, 1, 28), date(2025, 2, 4), [date(2025, 1, 26), date(2025, 2, 8)]),
    ("清明节", date(2025, 4, 4), date(2025, 4, 6), []),
    ("劳动节", date(2025, 5, 1), date(2025, 5, 5), [date(2025, 4, 27)]),
    ("端午节", date(2025, 5, 31), date(2025, 6, 2), []),
    ("国庆节、中秋节", date(2025, 10, 1), date(2025, 10, 8), [date(2025, 9, 28), date(2025, 10, 11)]),
    ("元旦", date(2026, 1, 1), date(2026, 1, 3), [date(2026, 1, 4)]),
    ("春节", date(2026, 2, 15), date(2026, 2, 23), [date(2026, 2, 14), date(2026, 2, 28)]),
    ("清明节", date(2026, 4, 4), date(2026, 4, 6), []),
    ("劳动节", date(2026, 5, 1), date(2026, 5, 5), [date(2026, 5, 9)]),
    ("端午节", date(2026, 6, 19), date(2026, 6, 21), []),
    ("中秋节", date(2026, 9, 25), date(2026, 9, 27), []),
    ("国庆节", date(2026, 10, 1), date(2026, 10, 7), [date(2026, 9, 20), date(2026, 10, 10)]),
]


def holiday_rows():
    for name, first, last, workdays in HOLIDAYS:
        day = first
        while day <= last:
            yield day, name, False
            day += timedelta(days=1)
        for workday in workdays:
            yield workday, f"{name}调休", True


def load(apps, schema_editor):
    DocumentTemplate = apps.get_model("cases", "DocumentTemplate")
    Holiday = apps.get_model("cases", "Holiday")
    for kind, pattern in TEMPLATES:
        DocumentTemplate.objects.get_or_create(kind=kind, defaults={"number_pattern": pattern, "issuer": ISSUER})
    for day, name, is_workday in holiday_rows():
        Holiday.objects.get_or_create(date=day, defaults={"name": name, "is_workday": is_workday})


def unload(apps, schema_editor):
    DocumentTemplate = apps.get_model("cases", "DocumentTemplate")
    Holiday = apps.get_model("cases", "Holiday")
    for kind, pattern in TEMPLATES:
        DocumentTemplate.objects.filter(kind=kind, number_pattern=pattern, issuer=ISSUER).delete()
    for day, name, is_workday in holiday_rows():
        Holiday.objects.filter(date=day, name=name, is_workday=is_workday).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
