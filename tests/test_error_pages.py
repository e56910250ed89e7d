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


@pytest.fixture
def broken_page(monkeypatch, client):
    """The streets page, made to fail while building (as an unexpected bug would)."""
    def fails(**kwargs):
        raise RuntimeError("an unexpected bug")

    monkeypatch.setattr("registry.selectors.street_list", fails)
    client.raise_request_exception = False
    return reverse("registry:street-list")


def test_a_server_error_is_the_platforms_page_not_a_debug_page(client, world, broken_page):
    client.force_login(world.alice)
    response = client.get(broken_page)
    body = response.content.decode()
    assert response.status_code == 500
    assert 'data-testid="server-error"' in body and "服务器错误" in body and 'href="/"' in body
    assert "Traceback" not in body and "RuntimeError" not in body and "an unexpected bug" not in body


def test_a_server_error_speaks_english_too(client, world, broken_page):
    client.force_login(world.alice)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(broken_page).content.decode()
    assert 'data-testid="server-error"' in body and "Server error" in body and "服务器错误" not in body


def test_make_run_serves_as_production_would():
    """No DEBUG in `make run` (a debug page for a user error, /media/ served), static files collected for
    WhiteNoise."""
    from django.conf import settings

    makefile = (settings.BASE_DIR / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n# ---", 1)[0]
    assert "DEBUG=1" not in recipe and "DEBUG=0 $(PY) manage.py runserver" in recipe
    assert "$(STATIC_STAMP)" in recipe.splitlines()[0] and "collectstatic" in makefile.split("\n$(STATIC_STAMP):")[1]
    assert "django.conf.urls.static" not in (settings.BASE_DIR / "anju" / "urls.py").read_text()
