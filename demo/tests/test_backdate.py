"""demo.backdate: the one place that restates the dates of rows the services wrote now."""
from datetime import timedelta

from django.utils import timezone

from accounts.models import Notification
from demo import backdate


def _notice(user, title):
    return Notification.objects.create(user=user, kind="case_assigned", title=title, body="")


def test_stamps_write_each_rows_values_without_saving(world):
    first, second = _notice(world.oscar, "一"), _notice(world.oscar, "二")
    earlier = timezone.now() - timedelta(days=40)
    stamps = backdate.Stamps()
    stamps.stamp(Notification, first.pk, created_at=earlier)
    stamps.stamp(Notification, second.pk, created_at=earlier + timedelta(days=1))
    stamps.stamp(Notification, second.pk, created_at=earlier + timedelta(days=2))  # the later stamp wins
    stamps.apply()
    assert not stamps
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.created_at, second.created_at) == (earlier, earlier + timedelta(days=2))


def test_rows_written_after_a_mark_are_stamped_and_older_ones_kept(world):
    old = _notice(world.oscar, "旧")
    before = backdate.mark(Notification)
    new = [_notice(world.oscar, "新一"), _notice(world.sam, "新二")]
    earlier = timezone.now() - timedelta(days=3)
    stamps = backdate.Stamps()
    assert backdate.stamp_since(stamps, Notification, before, created_at=earlier) == [n.pk for n in new]
    stamps.apply()
    assert set(Notification.objects.filter(created_at=earlier).values_list("pk", flat=True)) == {n.pk for n in new}
    assert Notification.objects.get(pk=old.pk).created_at > earlier
    assert backdate.restamp(Notification.objects.filter(pk=old.pk), created_at=earlier) == 1
