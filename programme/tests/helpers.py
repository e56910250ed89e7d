"""Shared helpers of the inventory tests."""
from datetime import date, timedelta

from django.utils import timezone

from programme import services


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def item(world, community=None, actor=None, **values):
    """An item registered through the service (by alice, who sees the whole district, unless told)."""
    values = {"location": "5号楼 屋顶", "found_on": days_ago(100), "area_m2": "12.5", "material": "COLOUR_STEEL",
              **values}
    return services.structure_create(actor=actor or world.alice, community=community or world.caoyang_a, **values)
