"""rebuild_aggregates [--start YYYY-MM-DD --end YYYY-MM-DD]: rebuild 每日诉件统计 (analytics.aggregates) from the
complaints, every day by default, and then (without dates) 案件阶段办理记录 and 每日案件统计 from every case; exit 0,
or 1 on a bad date."""
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from analytics import aggregates


def _day(value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期“{value}”无效，应为 YYYY-MM-DD / invalid date {value!r}, expected YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = "Rebuild the daily complaint counts / 重建每日诉件统计"

    def add_arguments(self, parser):
        parser.add_argument("--start")
        parser.add_argument("--end")

    def handle(self, *args, start=None, end=None, **options):
        start, end = _day(start), _day(end)
        if start and end and end < start:
            raise CommandError("结束日期早于开始日期 / the end is before the start")
        result = aggregates.rebuild(start, end)
        self.stdout.write(f"每日诉件统计已重建 rebuilt: {result['days']} 天 days, {result['rows']} 行 rows, "
                          f"{result['complaints']} 件 complaints, {result['seconds']} s")
        if "stage_exits" in result:  # without dates: the case aggregates too
            self.stdout.write(f"案件阶段办理记录 stage exits: {result['stage_exits']} 行 rows; "
                              f"每日案件统计 daily case counts: {result['case_cells']} 行 rows")
