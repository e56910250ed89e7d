"""The inbox (待办提醒, R3.8): what needs each user now, pushed by the service that causes it.

Producers call `notify` inside their own transaction: cases (assignment, 督办, referrals), credit (duty checks),
programme (a campaign's new task, to its owners) and the daily deadline task (cases.tasks.inbox_due). Re-check and
hotspot alerts use the same call with InboxKind.RECHECK_DUE / InboxKind.HOTSPOT. accounts sits below every domain
app, so any of them may push here without importing upward; the object an item is about is kept as plain
(app_label.model, pk).

An item is keyed by its event: notifying the same users of the same event again makes nothing new (nor a second
SMS). Users who opted in for the kind also get an SMS, sent after the transaction commits, when settings.SMS_BACKEND
is on; every attempt is logged (accounts.SmsMessage).
"""
import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from accounts import sms
from accounts.choices import InboxKind
from accounts.messages import render, stored
from accounts.models import InboxItem, SmsMessage, SmsPreference, User
from core.errors import ApplicationError

log = logging.getLogger(__name__)

SMS_PREFIX = "【安居】"


def event_key(kind: str, about=None, *extra) -> str:
    """The default key of an event: its kind, the object it is about, and anything that makes it another event
    (a deadline: a new stage deadline is news again)."""
    parts = [kind]
    if about is not None:
        parts += [about._meta.label_lower, str(about.pk)]
    parts += [str(value) for value in extra]
    return ":".join(parts)[:120]


def notify(users: Iterable, kind: str, title, url: str = "", *, about=None, key: str = "") -> list[InboxItem]:
    """One item per active user (users or their ids) for this event; returns the items made now (none for a
    user who already has this event). `title` is accounts.messages parts (shown in the reader's language) or
    plain text; `key` defaults to event_key(kind, about)."""
    return notify_each(kind, [(users, title, url, about, key)])


def notify_each(kind: str, events: Iterable[tuple]) -> list[InboxItem]:
    """Many events of one kind at once, each (users, title, url, about, key), in a fixed number of queries
    (the daily deadline task tells of every case due at once)."""
    if kind not in InboxKind.values:
        raise ApplicationError("提醒类别有误", f"unknown inbox kind '{kind}'")
    wanted = []
    for users, title, url, about, key in events:
        key = (key or event_key(kind, about))[:120]
        if key == kind and about is None:
            raise ApplicationError("提醒需要关联对象或事件标识", "an inbox item needs the object it is about or a key")
        title, parts = stored(title)
        ids = {getattr(user, "pk", user) for user in users if user is not None}
        wanted.append((ids, title.strip()[:200], parts, (url or "")[:300],
                       about._meta.label_lower if about is not None else "",
                       about.pk if about is not None else None, key))
    everyone = set().union(*(ids for ids, *_ in wanted)) if wanted else set()
    active = set(User.objects.filter(pk__in=everyone, is_active=True).values_list("pk", flat=True))
    keys = {key for *_, key in wanted}
    had = set()
    for chunk in _chunks(sorted(keys)):
        had |= set(InboxItem.objects.filter(key__in=chunk, user_id__in=active).values_list("user_id", "key"))
    items = []
    for ids, title, parts, url, about_model, about_pk, key in wanted:
        items += [InboxItem(user_id=pk, kind=kind, title=title, title_parts=parts, url=url, about_model=about_model,
                            about_pk=about_pk, key=key)
                  for pk in sorted(ids & active) if (pk, key) not in had]
    # ignore_conflicts: two requests telling of the same event at once still make one item each
    InboxItem.objects.bulk_create(items, ignore_conflicts=True)
    if items:  # ignore_conflicts leaves the ids unset: read the new rows back
        new = {(item.user_id, item.key) for item in items}
        found = []
        for chunk in _chunks(sorted({item.key for item in items})):
            found += [row for row in InboxItem.objects.filter(key__in=chunk, user_id__in={i.user_id for i in items})
                      if (row.user_id, row.key) in new]
        items = sorted(found, key=lambda row: row.pk)
    if items and sms.backend() is not None:
        chosen = SmsPreference.objects.filter(user_id__in={item.user_id for item in items}).values_list(
            "user_id", "kinds")
        texting = {pk for pk, kinds in chosen if kind in (kinds or [])}
        messages = [(item.user_id, item.key, SMS_PREFIX + (render(item.title_parts, translate=False)
                                                           if item.title_parts else item.title))
                    for item in items if item.user_id in texting]
        if messages:
            transaction.on_commit(lambda: _send_sms(messages), robust=True)
    return items


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _send_sms(messages: list[tuple[int, str, str]]) -> None:
    """Each (user id, item key, text), after the commit; every attempt is logged with its outcome."""
    backend = sms.backend()
    if backend is None:
        return
    name = sms.backend_name(backend)
    users = User.objects.in_bulk({pk for pk, _key, _text in messages})
    for pk, key, text in messages:
        user = users.get(pk)
        if user is None:
            continue
        phone = (user.phone or "").strip()
        status, error = SmsMessage.Status.SENT, ""
        if not phone:
            status = SmsMessage.Status.NO_PHONE
        else:
            try:
                backend.send(phone, text[:300])
            except Exception as exc:  # a gateway's failure is logged, never the user's request's
                log.warning("SMS to user %s failed: %s", pk, exc)
                status, error = SmsMessage.Status.FAILED, str(exc)[:300]
        item = InboxItem.objects.filter(user_id=pk, key=key).values_list("pk", flat=True).first()
        SmsMessage.objects.create(user=user, item_id=item, phone=phone, text=text[:300], backend=name,
                                  status=status, error=error)


# --- the reader's side -------------------------------------------------------------------------------------

def items_for(user, *, kind: str = "", unread: bool | None = None):
    """The user's own items, newest first; by kind, read or unread."""
    qs = InboxItem.objects.restrict(user, "view")
    if kind:
        qs = qs.filter(kind=kind)
    if unread is not None:
        qs = qs.filter(read_at__isnull=unread)
    return qs.order_by("-created_at", "-pk")


def unread_count(user) -> int:
    return items_for(user, unread=True).count()


def item_open(*, user, pk: int) -> InboxItem:
    """The user opens one of their items: it is marked read. Another user's item is not found (and unchanged)."""
    item = items_for(user).filter(pk=pk).first()
    if item is None:
        raise InboxItem.DoesNotExist
    if item.read_at is None:
        item.read_at = timezone.now()
        item.save(update_fields=["read_at"])
    return item


def mark_all_read(*, user, kind: str = "") -> int:
    """全部标为已读 (of one kind, or all): how many items were unread."""
    return items_for(user, kind=kind, unread=True).update(read_at=timezone.now())


# --- SMS opt-in ---------------------------------------------------------------------------------------------

def sms_kinds_of(user) -> set[str]:
    pk = getattr(user, "pk", user)
    kinds = SmsPreference.objects.filter(user_id=pk).values_list("kinds", flat=True).first()
    return set(kinds or [])


def sms_preference_set(*, user, kinds: Iterable[str]) -> SmsPreference:
    kinds = sorted(set(kinds))
    wrong = [kind for kind in kinds if kind not in InboxKind.values]
    if wrong:
        raise ApplicationError("短信提醒类别有误", f"unknown kinds: {', '.join(wrong)}")
    preference, _ = SmsPreference.objects.update_or_create(user=user, defaults={"kinds": kinds})
    return preference
