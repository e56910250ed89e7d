"""Every list with an export link carries the list's current filters into it (issue 10): the page's query string
minus page/sort/export, so the file has the rows the filtered list counts."""
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LISTS = ["cases:list", "credit:duty-checks", "credit:ranking", "credit:listings", "registry:community-list",
         "registry:company-list", "registry:street-list", "registry:department-list", "registry:violationtype-list",
         "programme:inventory", "intake:queue"]


@pytest.mark.parametrize("name", LISTS)
def test_every_export_link_carries_the_filters(client, world, name):
    client.force_login(world.alice)
    page = client.get(reverse(name), {"q": "兰溪", "show": "all", "page": "2", "sort": "-name", "export_token": "x"})
    assert page.status_code == 200
    links = re.findall(r'data-export="(\w+)" href="([^"]*)"', page.content.decode())
    assert links, f"{name} has no export link"
    for fmt, href in links:
        href = href.replace("&amp;", "&")
        assert href.startswith("?") and f"export={fmt}" in href and "q=%E5%85%B0%E6%BA%AA" in href, href
        assert "page=" not in href and "sort=" not in href and "export_token" not in href, href
