"""Every access rule, tested from the side of the user who must be refused (NetBox-style matrix)."""
import pytest
from django.urls import reverse

from accounts import scope
from registry.models import Community, PropertyCompany

pytestmark = pytest.mark.django_db

COMMUNITIES = ["caoyang_a", "changfeng_b", "changfeng_a"]

# persona → communities it must see (all others: 404)
COMMUNITY_SCOPE = {
    "alice": {"caoyang_a", "changfeng_b", "changfeng_a"},
    "ada": {"caoyang_a", "changfeng_b", "changfeng_a"},
    "hana": {"caoyang_a", "changfeng_b", "changfeng_a"},
    "oscar": {"caoyang_a"},
    "sam": {"changfeng_b", "changfeng_a"},
    "paul": {"caoyang_a", "changfeng_a"},
    "carl": {"changfeng_b"},
}
COMPANY_SCOPE = {
    "alice": {"company_a", "company_b"},
    "hana": {"company_a", "company_b"},
    "oscar": {"company_a"},
    "sam": {"company_a", "company_b"},
    "paul": {"company_a"},
    "carl": {"company_b"},
}


def _ids(world, names):
    return {getattr(world, n).pk for n in names}


@pytest.mark.parametrize("persona", COMMUNITY_SCOPE)
def test_restrict_gives_each_persona_exactly_its_communities(world, persona):
    user = getattr(world, persona)
    visible = set(Community.objects.restrict(user, "view").values_list("pk", flat=True))
    assert visible == _ids(world, COMMUNITY_SCOPE[persona])


@pytest.mark.parametrize("persona", COMMUNITY_SCOPE)
@pytest.mark.parametrize("community", COMMUNITIES)
def test_community_page_is_404_outside_scope(client, world, persona, community):
    client.force_login(getattr(world, persona))
    response = client.get(reverse("registry:community-detail", args=[getattr(world, community).pk]))
    expected = 200 if community in COMMUNITY_SCOPE[persona] else 404
    assert response.status_code == expected
    if expected == 404:
        assert getattr(world, community).name not in response.content.decode()


@pytest.mark.parametrize("persona", COMMUNITY_SCOPE)
@pytest.mark.parametrize("community", COMMUNITIES)
def test_community_api_is_404_outside_scope(client, world, persona, community):
    client.force_login(getattr(world, persona))
    response = client.get(f"/api/v1/communities/{getattr(world, community).pk}/")
    assert response.status_code == (200 if community in COMMUNITY_SCOPE[persona] else 404)


@pytest.mark.parametrize("persona", COMMUNITY_SCOPE)
def test_community_list_page_api_and_export_show_only_scope(client, world, persona):
    client.force_login(getattr(world, persona))
    wanted = COMMUNITY_SCOPE[persona]
    html = client.get(reverse("registry:community-list")).content.decode()
    api = client.get("/api/v1/communities/").json()
    export = b"".join(client.get(reverse("registry:community-list") + "?export=csv").streaming_content).decode()
    for name in COMMUNITIES:
        community = getattr(world, name)
        assert (community.name in html) == (name in wanted)
        assert (community.name in export) == (name in wanted)
    assert {row["id"] for row in api["results"]} == _ids(world, wanted)


@pytest.mark.parametrize("persona", COMPANY_SCOPE)
@pytest.mark.parametrize("company", ["company_a", "company_b"])
def test_company_page_and_api_are_404_outside_scope(client, world, persona, company):
    client.force_login(getattr(world, persona))
    pk = getattr(world, company).pk
    expected = 200 if company in COMPANY_SCOPE[persona] else 404
    assert client.get(reverse("registry:company-detail", args=[pk])).status_code == expected
    assert client.get(f"/api/v1/property-companies/{pk}/").status_code == expected


def test_property_user_sees_only_its_own_company_page(client, world):
    client.force_login(world.paul)
    response = client.get(reverse("registry:company-list"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("registry:company-mine")
    body = response.content.decode()
    assert world.company_a.name in body and world.company_b.name not in body
    assert world.changfeng_b.name not in body


def test_anonymous_is_sent_to_login_and_refused_by_api(client, world):
    response = client.get(reverse("registry:community-detail", args=[world.caoyang_a.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get("/api/v1/communities/").status_code in (401, 403)
    assert client.get(reverse("registry:community-list") + "?export=xlsx").status_code == 302


def test_inactive_user_sees_nothing(world):
    world.oscar.is_active = False
    assert not Community.objects.restrict(world.oscar, "view").exists()


def test_user_without_streets_sees_no_community(world):
    world.sam.streets.clear()
    world.sam.__dict__.pop("_anju_street_ids", None)
    assert not Community.objects.restrict(world.sam, "view").exists()


@pytest.mark.parametrize("persona", ["alice", "oscar", "sam", "hana", "paul"])
def test_only_the_administrator_may_change_the_registry(world, persona):
    user = getattr(world, persona)
    assert not Community.objects.restrict(user, "change").exists()
    assert not PropertyCompany.objects.restrict(user, "change").exists()
    assert Community.objects.restrict(world.ada, "change").count() == 3


def test_manager_phone_is_masked_for_departments_other_than_housing(client, world, django_user_model):
    greening = world.gina
    url = reverse("registry:community-detail", args=[world.caoyang_a.pk])
    client.force_login(greening)
    masked = client.get(url).content.decode()
    assert "13812345678" not in masked and "138****5678" in masked
    assert "13900001111" not in masked
    client.force_login(world.hana)
    assert "13812345678" in client.get(url).content.decode()
    assert scope.can_see_personal(world.oscar, "contact")
    assert not scope.can_see_personal(world.paul, "caller")


def test_property_user_cannot_reach_another_company_through_a_filter(client, world):
    client.force_login(world.paul)
    response = client.get(reverse("registry:community-list"), {"property_company": world.company_b.pk})
    assert world.changfeng_b.name not in response.content.decode()
