"""销项率 has one definition (programme.selectors.clearance_rate: 已销项 ÷ 应销项, 应销项 = the items registered)
used by the ledger's list, the progress page and the API alike (issue 10: 87.1 % on one page, 86.5 % on the
other, the list counting every item and the progress page only 存量 under the same name)."""
import re

import pytest
from django.urls import reverse

from programme import selectors
from programme.choices import StructureKind, StructureStatus
from programme.tests.helpers import days_ago, item

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("cleared, due, expected", [
    (0, 0, None), (0, 3, 0.0), (3, 3, 100.0), (425, 491, 86.6), (472, 542, 87.1),
    (1731, 2000, 86.6), (1733, 2000, 86.7),  # 86.55 and 86.65 round half up, not to even
    (2, 3, 66.7),
])
def test_clearance_rate(cleared, due, expected):
    assert selectors.clearance_rate(cleared, due) == expected


@pytest.fixture
def ledger(world):
    """7 存量 of which 6 cleared, 2 新增 of which 1 demolished: 7/9 = 77.8 % in all, 存量 85.7 %, 新增 50 %."""
    for n in range(7):
        status = StructureStatus.DEMOLISHED if n < 6 else StructureStatus.EXISTING
        item(world, location=f"{n}号楼", status=status, cleared_on=days_ago(10) if n < 6 else None)
    item(world, location="8号楼", kind=StructureKind.NEW, status=StructureStatus.DEMOLISHED, cleared_on=days_ago(5),
         found_on=days_ago(20))
    item(world, location="9号楼", kind=StructureKind.NEW, status=StructureStatus.HANDLING, found_on=days_ago(20))


def _percent(html, testid):
    return re.search(rf'data-testid="{testid}"[^>]*>[^0-9—]*([0-9.]+)%', html).group(1)


def test_the_list_the_progress_page_and_the_api_say_the_same(client, world, ledger):
    client.force_login(world.alice)
    listing = client.get(reverse("programme:inventory")).content.decode()
    progress = client.get(reverse("programme:progress")).content.decode()
    assert _percent(listing, "sum-percent") == _percent(progress, "kpi-percent") == "77.8"
    assert "7/9" in listing and "7/9" in progress
    assert "存量 85.7%（6/7）" in listing and "存量 85.7%（6/7）" in progress
    # the list filtered to 存量 gives the progress page's 存量 figure
    existing = client.get(reverse("programme:inventory"), {"kind": StructureKind.EXISTING}).content.decode()
    assert _percent(existing, "sum-percent") == "85.7"
    _streets, district = selectors.progress(user=world.alice)
    assert (district.all.percent, district.existing.percent, district.new.percent) == (77.8, 85.7, 50.0)
