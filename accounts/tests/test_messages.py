"""Notices are stored once, in Chinese, and read in the reader's language: the platform's own words are
translated, the words a person typed are not."""
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from accounts import services
from accounts.messages import render, text, typed

pytestmark = pytest.mark.django_db


def listed(total):
    return text(gettext_noop("贵司已列入联合信用惩戒名单（{total}分）"), total=total)


def test_parts_render_in_the_active_language_and_typed_words_stay_as_typed():
    parts = typed("业主拒不配合") + text(gettext_noop("\n请于 {due} 前处理。"), due="2026-12-02")
    assert render(parts, translate=False) == "业主拒不配合\n请于 2026-12-02 前处理。"
    with translation.override("en"):
        assert render(parts) == "业主拒不配合\nDecide by 2026-12-02."
        assert render(parts, translate=False) == "业主拒不配合\n请于 2026-12-02 前处理。"
    with translation.override("zh-hans"):
        assert render(listed(30)) == "贵司已列入联合信用惩戒名单（30分）"


def test_a_translation_that_lost_its_placeholder_falls_back_to_chinese(monkeypatch):
    from accounts import messages

    monkeypatch.setattr(messages, "gettext", lambda template: "Listed ({points} points)")
    assert render(listed(12)) == "贵司已列入联合信用惩戒名单（12分）"


def test_a_notice_keeps_its_chinese_text_and_shows_in_the_readers_language(client, world):
    notice = services.notification_send(kind="COMPANY_LISTED", title=listed(30),
                                        body=typed("经查属实") + text(gettext_noop("\n请于 {due} 前处理。"),
                                                                      due="2026-12-02"),
                                        user=world.paul)
    assert notice.title == "贵司已列入联合信用惩戒名单（30分）"  # admin, search and exports read Chinese
    assert notice.body == "经查属实\n请于 2026-12-02 前处理。"
    client.force_login(world.paul)
    chinese = client.get(reverse("home")).content.decode()
    assert "贵司已列入联合信用惩戒名单（30分）" in chinese and "请于 2026-12-02 前处理。" in chinese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("home")).content.decode()
    assert "Your company is on the joint credit-punishment list (30 points)" in english
    assert "经查属实\nDecide by 2026-12-02." in english and "贵司已列入" not in english


def test_a_plain_text_notice_is_shown_as_written(client, world):
    services.notification_send(kind="x", title="致物业：请及时处理", user=world.paul)
    client.force_login(world.paul)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "致物业：请及时处理" in client.get(reverse("home")).content.decode()
