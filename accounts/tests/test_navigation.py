"""The menu shows each role only the pages it may use; a link that would answer 403 is a dead end."""
import pytest

from accounts.navigation import menu_for


def names(user):
    return {item["name"] for item in menu_for(user)}


@pytest.mark.django_db
def test_credit_pages_are_offered_to_the_housing_bureau_not_to_other_departments(world, client):
    greening = world.gina
    assert {"credit:ranking", "credit:duty-checks"} <= names(world.hana)
    assert not {"credit:ranking", "credit:duty-checks"} & names(greening)
    client.force_login(greening)
    assert client.get("/credit/ranking/").status_code == 403  # what the missing link would have led to


@pytest.mark.django_db
def test_each_offered_page_opens_for_its_user(world, client):
    for user in (world.alice, world.oscar, world.sam, world.hana, world.paul):
        client.force_login(user)
        for item in menu_for(user):
            if item["name"] == "admin":
                continue
            assert client.get(item["url"]).status_code == 200, (user.username, item["url"])


@pytest.mark.django_db
def test_a_property_user_gets_its_own_credit_page_not_the_ranking(world):
    assert "credit:mine" in names(world.paul)
    assert not {"credit:ranking", "credit:duty-checks", "cases:list"} & names(world.paul)
