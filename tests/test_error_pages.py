"""A refusal is a page of the platform, not a bare "403 Forbidden": it says why and leads back to the workbench,
in the reader's language."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_refused_page_explains_and_leads_home(client, world):
    client.force_login(world.sam)  # street staff: the companies' credit ranking is not theirs
    response = client.get(reverse("credit:ranking"))
    body = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="forbidden"' in body and "无权访问" in body
    assert f'href="{reverse("home")}"' in body


def test_a_record_outside_the_scope_is_not_found_in_english_too(client, world):
    client.force_login(world.sam)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("registry:community-detail", args=[10**9]))
    body = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="not-found"' in body and "outside your scope" in body
