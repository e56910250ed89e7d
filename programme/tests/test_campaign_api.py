"""The campaign API: each role reads its scope of the lists (the refused side included) and updates only
its own tasks."""
import pytest
from rest_framework.test import APIClient

from programme.models import Task
from programme.tests.test_campaigns import tasks

pytestmark = pytest.mark.django_db


def client_of(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_scopes_campaigns_problems_and_tasks(world):
    from programme import services

    action, street_task, housing_task, bureau_task = tasks(world)
    services.problem_add(campaign=action, actor=world.sam, title="长风楼道堆物", street=world.changfeng)
    titles = {}
    for name in ("alice", "oscar", "owen", "hana", "cyrus"):
        body = client_of(getattr(world, name)).get("/api/v1/campaign-tasks/", {"campaign": action.pk}).json()
        titles[name] = {t["title"] for t in body["results"]}
    assert titles["alice"] == titles["cyrus"] == {"曹杨排摸", "物业督促", "建章立制"}
    assert (titles["oscar"], titles["owen"], titles["hana"]) == ({"曹杨排摸"}, set(), {"物业督促"})
    problems = client_of(world.oscar).get("/api/v1/campaign-problems/").json()["results"]
    assert problems == []  # 长风's finding is not 曹杨's
    assert [p["title"] for p in client_of(world.owen).get("/api/v1/campaign-problems/").json()["results"]] == [
        "长风楼道堆物"]
    campaign = client_of(world.hana).get(f"/api/v1/campaigns/{action.pk}/").json()
    assert [p["name"] for p in campaign["phases"]] == ["调查排摸", "执法整治", "总结提升"]
    assert client_of(world.paul).get("/api/v1/campaigns/").status_code == 403
    assert client_of(world.paul).get("/api/v1/campaign-tasks/").status_code == 403
    assert client_of(world.gina).get(f"/api/v1/campaign-tasks/{housing_task.pk}/").status_code == 404


def test_progress_through_the_api_by_the_owner_only(world):
    action, street_task, housing_task, bureau_task = tasks(world)
    url = f"/api/v1/campaign-tasks/{street_task.pk}/progress/"
    assert client_of(world.owen).post(url, {"progress": 40}, format="json").status_code == 404
    assert client_of(world.cyrus).post(url, {"progress": 40}, format="json").status_code == 403
    assert client_of(world.oscar).post(url, {"progress": 140}, format="json").status_code == 400
    missing = client_of(world.oscar).post(url, {"progress": 40, "cases": ["AJ2099-000001"]}, format="json")
    assert missing.status_code == 400
    assert Task.objects.get(pk=street_task.pk).progress == 0
    done = client_of(world.oscar).post(url, {"progress": 40, "note": "已排摸 3 个小区"}, format="json")
    assert done.status_code == 200 and (done.json()["progress"], done.json()["status"]) == (40, "ACTIVE")
    assert done.json()["overdue"] is True
    mine = client_of(world.oscar).get("/api/v1/campaign-tasks/mine/").json()["results"]
    assert [t["title"] for t in mine] == ["曹杨排摸"]
    assert client_of(world.cyrus).get("/api/v1/campaign-tasks/mine/").status_code == 403
