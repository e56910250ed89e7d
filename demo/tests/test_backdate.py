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


def test_a_complaints_moves_are_dated_at_their_step_and_never_before_its_receipt(world):
    from intake.choices import Channel, ComplaintStatus
    from intake.models import Complaint, ComplaintTransition
    from intake.services import complaint_transition

    now = timezone.now()
    step = now - timedelta(days=5)
    complaints = [Complaint.objects.create(
        channel=Channel.PATROL, received_at=now - timedelta(days=days), content=f"占道{days}",
        community=world.caoyang_a, street=world.caoyang, status=ComplaintStatus.ROUTED) for days in (10, 1)]
    marks = backdate.complaint_marks()
    for complaint in complaints:
        complaint_transition(complaint=complaint, action="settle", actor=world.oscar, reason="已劝离")
    stamps = backdate.Stamps()
    after = backdate.complaints_moved(stamps, marks, step)
    assert after == backdate.complaint_marks()
    # the two rows just written, whatever the sequence's gaps (PostgreSQL does not reuse rolled-back numbers)
    assert ComplaintTransition.objects.filter(pk__gt=marks[0], pk__lte=after[0]).count() == 2
    stamps.apply()
    earlier, later = (ComplaintTransition.objects.get(complaint=c) for c in complaints)
    assert (earlier.at, later.at) == (step, complaints[1].received_at)  # a repeat that came later: at its receipt
    history = Complaint.history.model.objects.filter(history_type="~").order_by("id")
    assert list(history.values_list("history_date", flat=True)) == [step, complaints[1].received_at]
