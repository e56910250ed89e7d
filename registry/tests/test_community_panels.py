"""The community page shows the community's complaints, cases and inventory items (issue 10: it said they would
"appear once the modules are online" although they existed). Registry is below intake, cases and programme: they
fill the page through registry.hooks, each through restrict(user, "view") and without the callers' details."""
import pytest
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from intake import services as intake_services
from intake.choices import Channel
from intake.tests.fakes import keyword_classifier  # noqa: F401
from programme.tests.helpers import item
from registry import hooks

pytestmark = pytest.mark.django_db


def receive(content, address, **extra):
    return intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=Channel.HOTLINE, content=content, address=address, received_at=timezone.now(),
        caller_name="王秘密", caller_phone="13911112222", **extra))


@pytest.fixture
def records(world, keyword_classifier):
    complaint = receive("楼道飞线充电", "兰溪路88弄", external_no="H-0001")
    case = case_services.case_open_from_complaint(complaint=receive("有人搭建阳光房", "兰溪路88弄"),
                                                  actor=world.oscar)
    structure = item(world, community=world.caoyang_a)
    elsewhere = receive("毁绿种菜", "金沙江路1685弄", external_no="H-0002")
    return {"complaint": complaint, "case": case, "structure": structure, "elsewhere": elsewhere}


def page(client, user, community):
    client.force_login(user)
    response = client.get(reverse("registry:community-detail", args=[community.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_apps_above_registry_fill_its_panels():
    keys = [fn.__module__ for _order, fn in hooks._panels]
    assert keys == ["intake.selectors", "cases.selectors", "programme.selectors"]


@pytest.mark.parametrize("persona", ["alice", "oscar"])
def test_the_community_page_lists_its_complaints_cases_and_inventory(client, world, records, persona):
    html = page(client, getattr(world, persona), world.caoyang_a)
    assert "上线后" not in html
    for key in ("complaints", "cases", "inventory"):
        assert f'data-testid="community-{key}"' in html
    assert reverse("intake:detail", args=[records["complaint"].pk]) in html and "H-0001" in html
    assert reverse("cases:detail", args=[records["case"].pk]) in html and records["case"].number in html
    assert reverse("programme:structure-detail", args=[records["structure"].pk]) in html
    assert "H-0002" not in html  # another community's
    assert "王秘密" not in html and "13911112222" not in html  # what was reported, never who called


def test_the_more_links_open_the_lists_filtered_to_the_community(client, world, records):
    client.force_login(world.alice)
    panels = {p["key"]: p for p in hooks.community_panels(world.alice, world.caoyang_a)}
    complaints = client.get(panels["complaints"]["more_url"]).context["page"].object_list
    # the case's own complaint belongs to the community as well
    assert {c.external_no for c in complaints} >= {"H-0001"} and "H-0002" not in {c.external_no for c in complaints}
    assert len(complaints) == panels["complaints"]["total"]
    cases = client.get(panels["cases"]["more_url"]).context["page"].object_list
    assert [c.pk for c in cases] == [records["case"].pk]
    assert client.get(panels["inventory"]["more_url"]).status_code == 200


def test_panels_keep_to_the_users_scope(client, world, records):
    # owen works 长风新村街道 only: 兰溪一村 (曹杨) is not his to see at all
    client.force_login(world.owen)
    assert client.get(reverse("registry:community-detail", args=[world.caoyang_a.pk])).status_code == 404
    # sam (street staff of 长风) sees the 长风 community's complaint, not 曹杨's
    html = page(client, world.sam, world.changfeng_b)
    assert "H-0002" in html and "H-0001" not in html
    # every panel counts exactly the rows the user's scope gives (a department: what concerns it)
    from cases.models import EnforcementCase
    from intake.models import Complaint
    from programme.models import IllegalStructure

    models = {"complaints": Complaint, "cases": EnforcementCase, "inventory": IllegalStructure}
    for persona in ("gina", "hana", "sam", "oscar"):
        user = getattr(world, persona)
        for panel in hooks.community_panels(user, world.caoyang_a):
            expected = models[panel["key"]].objects.restrict(user, "view").filter(community=world.caoyang_a).count()
            assert panel["total"] == expected, (persona, panel["key"])


def test_no_placeholder_text_is_left_in_any_template():
    from pathlib import Path

    from django.conf import settings

    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(folder).rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            assert "上线后" not in text and "即将上线" not in text, path
    assert get_template("registry/_community_panel.html")


def test_the_filtered_lists_name_the_community_and_refuse_bad_ids_without_error(client, world, records):
    client.force_login(world.alice)
    for name in ("intake:queue", "cases:list"):
        html = client.get(reverse(name), {"community": world.caoyang_a.pk}).content.decode()
        assert 'data-testid="community-filter"' in html and world.caoyang_a.name in html
        assert f'name="community" value="{world.caoyang_a.pk}"' in html  # kept when other filters change
        for bad in ("abc", "-1", "0", "99999999999999999999999"):
            response = client.get(reverse(name), {"community": bad})
            assert response.status_code == 200 and 'data-testid="community-filter"' not in response.content.decode()
    assert client.get("/api/v1/complaints/", {"community": "99999999999999999999999"}).status_code == 400
