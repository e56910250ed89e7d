"""回头看 in the demo district (R3.6): the closings of demo.cases scheduled their re-checks (cases.effects); this step
records them as the officers went back to the site.

- the demo's reopenings (回潮, demo.cases._add_reopening) were found by a re-check: the re-check their reopening
  cancelled is restated as the one that found it (done at the reopening, 回潮);
- two more 回潮 through the service itself (cases.services.recheck_record, with a site photo): one within its type's
  window, which reopens the case, and one after it, which opens a new case linked to the old one (its owner named
  again: a repeat offender);
- a repeat-offender flat: two cases about the same room of one community (cases.repeat), the earlier one 60 days ago;
- the other re-checks already due are done, found clean, a few days after their due day, except those of the
  last ten days (some on the officers' workbenches, overdue) and those still ahead.

Idempotent: nothing happens once a re-check is recorded. Dates are restated only through demo.backdate."""
import random
from collections import Counter
from datetime import datetime, timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from demo import backdate

KIND = "回头看 re-checks"
SEED = 15
LEFT_OPEN_DAYS = 10          # re-checks due in the last ten days are left to do (or overdue)
FLAT = "6号1102室"


def _photo(seed: int):
    from demo.cases import _png

    return SimpleUploadedFile(f"recheck-{seed}.png", _png(seed, "before"), content_type="image/png")


def seed(*, tally, progress=None, now: datetime | None = None) -> None:
    from cases.choices import ReCheckStatus
    from cases.models import ReCheck

    now = now or timezone.now()
    if ReCheck.objects.filter(status=ReCheckStatus.DONE).exists() or not ReCheck.objects.exists():
        tally.counts.setdefault(KIND, Counter())["unchanged"] += ReCheck.objects.filter(
            status=ReCheckStatus.DONE).count()
        return
    rng = random.Random(SEED)
    made = _reopenings_found() + _through_the_service(now) + _repeat_flat(now) + _clean(rng, now)
    for _ in range(made):
        tally.add(KIND, "created")


def _reopenings_found() -> int:
    """The demo's reopenings: the re-check each one cancelled found the 回潮."""
    from cases.choices import ReCheckResult, ReCheckStatus
    from cases.models import CaseTransition, ReCheck

    stamps = backdate.Stamps()
    for case_id, at, reason, actor_id in (CaseTransition.objects.filter(action="reopen").order_by("at", "pk")
                                          .values_list("case_id", "at", "reason", "actor_id")):
        found = (ReCheck.objects.filter(case_id=case_id, status=ReCheckStatus.CANCELLED, closed_at__lte=at)
                 .order_by("-closed_at", "due").first())
        if found is not None:
            stamps.stamp(ReCheck, found.pk, status=ReCheckStatus.DONE, result=ReCheckResult.RECURRED, done_at=at,
                         done_by=actor_id, note=reason, follow_up=case_id)
    made = len(stamps)
    stamps.apply()
    return made


def _candidates(now: datetime, *, within: bool):
    from cases import rules
    from cases.choices import ReCheckStatus
    from cases.models import ReCheck

    today = timezone.localtime(now).date()
    for recheck in (ReCheck.objects.filter(status=ReCheckStatus.DUE, due__lt=today - timedelta(days=2),
                                           case__officer__isnull=False, case__community__isnull=False,
                                           case__parties__kind="PERSON")
                    .select_related("case__violation_type", "case__officer").order_by("due", "pk").distinct()):
        if (now - recheck.closed_at <= rules.reopen_window(recheck.case.violation_type)) == within:
            yield recheck


def _through_the_service(now: datetime) -> int:
    """Two 回潮 recorded by the officer through the service, an hour before the demo's moment: one reopens the case
    (within the window), one opens a new case linked to the old one, whose owner is named again."""
    from cases import services
    from cases.choices import ReCheckResult

    made = 0
    at = now - timedelta(hours=1)
    for within, note in ((True, "回头看发现原处又有违法行为（回潮）"), (False, "回头看发现原处又有违法行为，结案已久")):
        recheck = next(_candidates(now, within=within), None)
        if recheck is None:
            continue
        officer = recheck.case.officer
        with time_machine.travel(at, tick=False):
            done = services.recheck_record(recheck=recheck, actor=officer, result=ReCheckResult.RECURRED, note=note,
                                           files=[_photo(recheck.pk)])
            if done.follow_up_id != recheck.case_id:   # the new case: the same household again
                owner = recheck.case.parties.filter(kind="PERSON").order_by("pk").first()
                services.party_add(case=done.follow_up, actor=officer, role=owner.role, name=owner.name,
                                   id_number=owner.id_number, phone=owner.phone, address=owner.address)
        made += 1
    return made


def _repeat_flat(now: datetime) -> int:
    """Two 群租 cases about one room: the second one's page names the first (此户/此人：此前 1 起案件)."""
    from cases import services
    from cases.models import EnforcementCase
    from registry.models import CommunityAddress, ViolationType

    address = (CommunityAddress.objects.filter(unit="LANE", community__street__cases__officer__isnull=False)
               .select_related("community").order_by("pk").first())
    if address is None:
        return 0
    community = address.community
    officer = (EnforcementCase.objects.filter(street_id=community.street_id, officer__isnull=False)
               .order_by("pk").first().officer)
    group_renting = ViolationType.objects.get(code="GROUP_RENTING")
    where = f"{address.raw}{FLAT}"
    made = 0
    for days, (name, role) in ((60, ("周某", "OWNER")), (1, ("吴某", "TENANT"))):
        at = now - timedelta(days=days)
        with time_machine.travel(at, tick=False):
            case = services.case_open(violation_type=group_renting, community=community, summary="巡查发现该户疑似群租",
                                      actor=officer, officer=officer, location=where, origin="patrol")
            services.party_add(case=case, actor=officer, role=role, name=name, address=where)
        backdate.case_moved(case, at, created=True)
        made += 1
    return made


def _clean(rng, now: datetime) -> int:
    """The re-checks due before the last LEFT_OPEN_DAYS days: done, clean, one to five days after their due day."""
    from cases.choices import ReCheckResult, ReCheckStatus
    from cases.models import ReCheck

    today = timezone.localtime(now).date()
    stamps = backdate.Stamps()
    tz = timezone.get_current_timezone()
    for pk, due, officer_id in (ReCheck.objects.filter(status=ReCheckStatus.DUE,
                                                       due__lt=today - timedelta(days=LEFT_OPEN_DAYS))
                                .order_by("pk").values_list("pk", "due", "case__officer_id")):
        done = datetime.combine(due + timedelta(days=rng.randint(1, 5)), datetime.min.time(), tzinfo=tz) \
            + timedelta(hours=rng.randint(9, 16))
        stamps.stamp(ReCheck, pk, status=ReCheckStatus.DONE, result=ReCheckResult.CLEAN,
                     done_at=min(done, now - timedelta(hours=2)), done_by=officer_id)
    made = len(stamps)
    stamps.apply()
    return made
