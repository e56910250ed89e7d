"""即将到期 / 已超期 (R3.8): each open case's officer is told once when its stage deadline comes within
core.calendar.DUE_SOON_WORKING_DAYS working days, and once when it has passed.

This is not polling. No page and no user asks for these: the passing of a day is the event, and this one daily job
(the beat schedule in anju/settings.py, or `manage.py inbox_due` from cron) is its producer, as case_assign is the
producer of 新分派. Each item is keyed by (case, kind, stage, deadline), so running the job twice on a day, or every
day while the case stays overdue, makes nothing new; a new stage deadline is news again. A 回头看 falling due
(复查到期) is told the same way, once per re-check, to the officer of its case.
"""
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts import inbox
from accounts.choices import InboxKind
from accounts.messages import text
from cases import indicators
from cases.choices import ReCheckStatus
from cases.models import EnforcementCase, ReCheck
from core.calendar import due_soon_until


@transaction.atomic
def inbox_due(today: date | None = None) -> dict:
    """How many items were made, per kind."""
    today = today or timezone.localdate()
    made = {}
    for kind, q, template in (
        (InboxKind.DUE_SOON, indicators.due_soon_q(today), gettext_noop("案件 {number} 本阶段期限 {due}，即将到期")),
        (InboxKind.OVERDUE, indicators.overdue_q(today), gettext_noop("案件 {number} 已超过本阶段期限 {due}")),
    ):
        cases = (EnforcementCase.objects.filter(q, officer__isnull=False)
                 .only("pk", "number", "state", "state_due", "officer_id").order_by("pk"))
        events = [([case.officer_id], text(template, number=case.number, due=case.state_due),
                   reverse("cases:detail", args=[case.pk]), case,
                   inbox.event_key(kind, case, case.state, case.state_due)) for case in cases.iterator()]
        made[kind] = len(inbox.notify_each(kind, events))
    rechecks = (ReCheck.objects.filter(status=ReCheckStatus.DUE, due__lte=due_soon_until(today),
                                       case__officer__isnull=False)
                .select_related("case").only("pk", "due", "case__number", "case__officer_id").order_by("pk"))
    events = [([recheck.case.officer_id],
               text(gettext_noop("案件 {number} 应于 {due} 回头看"), number=recheck.case.number, due=recheck.due),
               reverse("cases:recheck", args=[recheck.pk]), recheck,
               inbox.event_key(InboxKind.RECHECK_DUE, recheck, recheck.due)) for recheck in rechecks.iterator()]
    made[InboxKind.RECHECK_DUE] = len(inbox.notify_each(InboxKind.RECHECK_DUE, events))
    return made
