"""The inbox (R3.8): each producer makes exactly one item for the right user and none for others; a user only sees
and marks their own; the daily deadline task is idempotent; SMS only for opted-in kinds with the backend on."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import inbox
from accounts.choices import InboxKind
from accounts.models import InboxItem, SmsMessage
from core.errors import ApplicationError


def items(user, kind=None):
    qs = InboxItem.objects.filter(user=user)
    return qs.filter(kind=kind) if kind else qs


def test_notify_makes_one_item_per_user_per_event(world):
    made = inbox.notify([world.oscar, world.owen.pk], InboxKind.HOTSPOT, "热点预警：兰溪一村", "/x/",
                        about=world.caoyang_a)
    assert len(made) == 2
    assert inbox.notify([world.oscar], InboxKind.HOTSPOT, "热点预警：兰溪一村", about=world.caoyang_a) == []
    assert items(world.oscar).count() == 1 and items(world.owen).count() == 1
    assert not InboxItem.objects.exclude(user__in=[world.oscar, world.owen]).exists()
    item = items(world.oscar).get()
    assert (item.about_model, item.about_pk, item.url) == ("registry.community", world.caoyang_a.pk, "/x/")
    with pytest.raises(ApplicationError):
        inbox.notify([world.oscar], "NOPE", "x", key="k")
    with pytest.raises(ApplicationError):
        inbox.notify([world.oscar], InboxKind.HOTSPOT, "no key, no object")


def test_an_inactive_user_gets_nothing(world):
    world.otis.is_active = False
    world.otis.save()
    assert inbox.notify([world.otis], InboxKind.RECHECK_DUE, "复查", key="recheck:1") == []


# --- the pages ------------------------------------------------------------------------------------------------

def test_page_lists_own_items_opens_marks_read_and_badge_counts(client, world):
    mine = inbox.notify([world.oscar], InboxKind.HOTSPOT, "兰溪一村垃圾堆放增多", "/cases/", key="h:1")[0]
    inbox.notify([world.oscar], InboxKind.RECHECK_DUE, "JS2026-7 待复查", key="r:1")
    other = inbox.notify([world.owen], InboxKind.HOTSPOT, "别人的提醒", key="h:2")[0]
    client.force_login(world.oscar)
    html = client.get(reverse("accounts:inbox")).content.decode()
    assert "兰溪一村垃圾堆放增多" in html and "别人的提醒" not in html
    assert 'data-testid="inbox-unread">2<' in html
    html = client.get(reverse("accounts:inbox") + "?kind=HOTSPOT").content.decode()
    assert "热点预警" in html and "JS2026-7 待复查" not in html
    response = client.get(reverse("accounts:inbox-open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/cases/"
    mine = InboxItem.objects.get(pk=mine.pk)
    assert mine.read_at is not None
    assert "兰溪一村垃圾堆放增多" not in client.get(reverse("accounts:inbox")).content.decode()  # unread only by default
    assert "兰溪一村垃圾堆放增多" in client.get(reverse("accounts:inbox") + "?show=read").content.decode()
    # another user's item: not found, and still unread
    assert client.get(reverse("accounts:inbox-open", args=[other.pk])).status_code == 404
    assert InboxItem.objects.get(pk=other.pk).read_at is None
    response = client.post(reverse("accounts:inbox-read-all"), follow=True)
    assert "已将 1 条提醒标为已读" in response.content.decode()
    assert inbox.unread_count(world.oscar) == 0 and inbox.unread_count(world.owen) == 1
    assert 'data-testid="inbox-unread"' not in client.get(reverse("accounts:inbox")).content.decode()


def test_the_badge_costs_one_query(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    inbox.notify([world.oscar], InboxKind.HOTSPOT, "热点", key="h:1")
    client.force_login(world.oscar)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("accounts:sms")).status_code == 200
    assert sum("accounts_inboxitem" in q["sql"] for q in queries) == 1


def test_sms_settings_page_saves_and_refuses_an_unknown_kind(client, world):
    client.force_login(world.oscar)
    response = client.post(reverse("accounts:sms"), {"kinds": ["ASSIGNED", "OVERDUE"]})
    assert response.status_code == 302
    assert inbox.sms_kinds_of(world.oscar) == {"ASSIGNED", "OVERDUE"}
    response = client.post(reverse("accounts:sms"), {"kinds": ["ASSIGNED", "BOGUS"]})
    assert response.status_code == 400 and "短信提醒类别有误" in response.content.decode()
    assert inbox.sms_kinds_of(world.oscar) == {"ASSIGNED", "OVERDUE"}
    assert inbox.sms_kinds_of(world.owen) == set()


# --- the API ------------------------------------------------------------------------------------------------

def test_api_lists_own_items_and_refuses_anothers(client, world):
    mine = inbox.notify([world.oscar], InboxKind.HOTSPOT, "热点", key="h:1")[0]
    inbox.notify([world.oscar], InboxKind.RECHECK_DUE, "复查", key="r:1")
    other = inbox.notify([world.owen], InboxKind.HOTSPOT, "别人的", key="h:2")[0]
    client.force_login(world.oscar)
    body = client.get("/api/v1/inbox/").json()
    assert {row["id"] for row in body["results"]} == {mine.pk, mine.pk + 1}
    assert [row["kind"] for row in client.get("/api/v1/inbox/?kind=HOTSPOT").json()["results"]] == ["HOTSPOT"]
    assert client.get(f"/api/v1/inbox/{other.pk}/").status_code == 404
    assert client.post(f"/api/v1/inbox/{other.pk}/read/").status_code == 404
    assert InboxItem.objects.get(pk=other.pk).read_at is None
    response = client.post(f"/api/v1/inbox/{mine.pk}/read/")
    assert response.status_code == 200 and response.json()["unread"] is False
    assert [row["id"] for row in client.get("/api/v1/inbox/?unread=true").json()["results"]] == [mine.pk + 1]
    assert client.post("/api/v1/inbox/read-all/", {"kind": "BOGUS"}, content_type="application/json"
                       ).status_code == 400
    response = client.post("/api/v1/inbox/read-all/", {}, content_type="application/json")
    assert response.json() == {"marked": 1, "unread": 0}
    assert InboxItem.objects.get(pk=other.pk).read_at is None
    client.logout()
    assert client.get("/api/v1/inbox/").status_code in {401, 403}


# --- SMS ------------------------------------------------------------------------------------------------------

class Recording:
    sent = []

    def send(self, phone, text):
        if phone == "13900000000":
            raise RuntimeError("gateway down")
        Recording.sent.append((phone, text))


def test_sms_only_for_opted_in_kinds_with_the_backend_on(world, settings, django_capture_on_commit_callbacks):
    Recording.sent = []
    world.oscar.phone, world.owen.phone = "13812345678", "13900000000"
    world.oscar.save()
    world.owen.save()
    inbox.sms_preference_set(user=world.oscar, kinds=[InboxKind.HOTSPOT])
    inbox.sms_preference_set(user=world.owen, kinds=[InboxKind.HOTSPOT])
    inbox.sms_preference_set(user=world.otis, kinds=[InboxKind.HOTSPOT])   # no phone
    settings.SMS_BACKEND = None
    with django_capture_on_commit_callbacks(execute=True):
        inbox.notify([world.oscar], InboxKind.HOTSPOT, "热点一", key="h:1")
    assert not SmsMessage.objects.exists()   # off by default: nothing sent, nothing logged
    settings.SMS_BACKEND = "accounts.tests.test_inbox.Recording"
    with django_capture_on_commit_callbacks(execute=True):
        inbox.notify([world.oscar, world.owen, world.otis, world.sam], InboxKind.HOTSPOT, "热点二", key="h:2")
        inbox.notify([world.oscar], InboxKind.RECHECK_DUE, "复查", key="r:1")   # not opted in
        inbox.notify([world.oscar], InboxKind.HOTSPOT, "热点二", key="h:2")     # the same event: no second SMS
    assert Recording.sent == [("13812345678", "【安居】热点二")]
    log = {m.user_id: (m.status, m.backend) for m in SmsMessage.objects.all()}
    assert log == {world.oscar.pk: ("SENT", "accounts.tests.test_inbox.Recording"),
                   world.owen.pk: ("FAILED", "accounts.tests.test_inbox.Recording"),
                   world.otis.pk: ("NO_PHONE", "accounts.tests.test_inbox.Recording")}
    sent = SmsMessage.objects.get(user=world.oscar)
    assert sent.item == InboxItem.objects.get(user=world.oscar, key="h:2")
    assert "gateway down" in SmsMessage.objects.get(user=world.owen).error


def test_console_backend_logs(world, settings, caplog, django_capture_on_commit_callbacks):
    world.oscar.phone = "13812345678"
    world.oscar.save()
    inbox.sms_preference_set(user=world.oscar, kinds=[InboxKind.ASSIGNED])
    settings.SMS_BACKEND = "accounts.sms.ConsoleBackend"
    with caplog.at_level("INFO", logger="accounts.sms"), django_capture_on_commit_callbacks(execute=True):
        inbox.notify([world.oscar], InboxKind.ASSIGNED, "新分派", key="a:1")
    assert "SMS to 13812345678: 【安居】新分派" in caplog.text
    assert SmsMessage.objects.get().status == "SENT"


def test_items_are_newest_first(world):
    first = inbox.notify([world.oscar], InboxKind.HOTSPOT, "一", key="h:1")[0]
    second = inbox.notify([world.oscar], InboxKind.HOTSPOT, "二", key="h:2")[0]
    InboxItem.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=1))
    assert [i.pk for i in inbox.items_for(world.oscar)] == [second.pk, first.pk]
