"""English through Django's i18n: the compiled catalogue ships in locale/en, and switching the
language turns the pages' own strings into English (data stored in the database stays Chinese)."""
import re

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.testing import world  # noqa: F401  (pytest fixture)


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def test_compiled_english_catalogue_ships():
    assert (settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.mo").exists()
    with translation.override("en"):
        assert translation.gettext("住宅小区") == "Residential communities"
        assert translation.gettext("诉件") == "Complaint"


def test_community_list_in_english_after_switching(client, world):  # noqa: F811
    client.force_login(world.oscar)
    url = reverse("registry:community-list")
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    response = client.get(url)
    assert response.status_code == 200
    title = _title(response)
    assert "Residential communities" in title
    assert "住宅小区" not in title
    assert '<html lang="en">' in response.content.decode()
    # data stays as stored
    assert world.caoyang_a.name in response.content.decode()


def test_community_list_in_chinese_by_default(client, world):  # noqa: F811
    client.force_login(world.oscar)
    response = client.get(reverse("registry:community-list"))
    assert response.status_code == 200
    title = _title(response)
    assert "住宅小区" in title
    assert "Residential communities" not in title


def test_english_cookie_translates_login_page(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("login"))
    assert "Log in" in _title(response)
