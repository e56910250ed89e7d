"""移交: matters sent to the department that owns them. The department signs for each (签收),
handles it and answers (反馈) within the deadline; overdue referrals reach supervisors."""
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts import inbox, policy
from accounts.choices import InboxKind, Role
from accounts.messages import text
from cases.choices import REFERRAL_ENDED, ReferralStatus
from cases.models import Referral
from core import calendar
from core.errors import ApplicationError

ANSWER_DAYS = 5  # 一般求助/投诉: 5 working days (沪府办〔2018〕62号 as applied)


def answer_due(sent: date, days: int = ANSWER_DAYS) -> date:
    """The department's deadline for a referral sent on `sent`: `days` working days."""
    return calendar.add_working_days(sent, days)


@transaction.atomic
def referral_send(*, department, matter: str, actor, complaint=None, case=None, days: int = ANSWER_DAYS):
    if department is None or department.code == "CHENGGUAN":
        raise ApplicationError("请选择接收部门", "choose the receiving department")
    street_id = (case.street_id if case else None) or (complaint.street_id if complaint else None)
    existing = Referral.objects.filter(complaint=complaint, case=case, department=department).exclude(
        status__in=REFERRAL_ENDED).first() if (complaint or case) else None
    if existing:
        return existing
    referral = Referral.objects.create(
        complaint=complaint, case=case, department=department, street_id=street_id, matter=matter[:4000],
        sent_by=actor, due=answer_due(timezone.localdate(), days),
    )
    _notify_received(referral)
    return referral


def _subject(referral) -> str:
    if referral.case_id:
        return referral.case.number
    if referral.complaint_id:
        return str(referral.complaint)
    return f"#{referral.pk}"


def _notify_received(referral):
    """收到移交: every user of the receiving department (any of them signs for it)."""
    from accounts.models import User

    users = User.objects.filter(role=Role.DEPARTMENT, department_id=referral.department_id).values_list("pk",
                                                                                                       flat=True)
    inbox.notify(list(users), InboxKind.REFERRAL_RECEIVED,
                 text(gettext_noop("收到移交：{subject}，请于 {due} 前反馈"), subject=_subject(referral),
                      due=referral.due),
                 reverse("cases:inbox"), about=referral)


def _notify_answered(referral, template: str):
    """移交已反馈 (or returned): the one who sent it, where the matter is."""
    if referral.sent_by_id is None:
        return
    if referral.case_id:
        link = reverse("cases:detail", args=[referral.case_id])
    elif referral.complaint_id:
        link = reverse("intake:detail", args=[referral.complaint_id])
    else:
        link = ""
    inbox.notify([referral.sent_by_id], InboxKind.REFERRAL_ANSWERED,
                 text(template, department=referral.department.name, subject=_subject(referral)), link,
                 about=referral, key=inbox.event_key(InboxKind.REFERRAL_ANSWERED, referral, referral.status))


def _for_department(referral, actor):
    if not policy.may(actor, policy.REFERRAL_HANDLE, referral):
        raise ApplicationError("只有接收部门可以办理该移交", "only the receiving department handles this referral")


@transaction.atomic
def referral_sign(*, referral, actor):
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _for_department(referral, actor)
    if referral.status != ReferralStatus.SENT:
        raise ApplicationError("该移交已签收", "already signed for")
    referral.status, referral.signed_by, referral.signed_at = ReferralStatus.SIGNED, actor, timezone.now()
    referral.save()
    return referral


@transaction.atomic
def referral_answer(*, referral, actor, answer: str):
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _for_department(referral, actor)
    if referral.status == ReferralStatus.SENT:
        raise ApplicationError("请先签收再反馈", "sign for it before answering")
    if referral.status != ReferralStatus.SIGNED:
        raise ApplicationError("该移交已反馈", "already answered")
    if not answer.strip():
        raise ApplicationError("请填写反馈内容", "write the answer")
    referral.status, referral.answer = ReferralStatus.ANSWERED, answer.strip()
    referral.answered_by, referral.answered_at = actor, timezone.now()
    referral.save()
    _notify_answered(referral, gettext_noop("{department}已反馈移交：{subject}"))
    _complaint_follows(referral, actor)
    return referral


@transaction.atomic
def referral_return(*, referral, actor, reason: str):
    """The department says the matter is not theirs; it goes back to the bureau to re-route."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _for_department(referral, actor)
    if referral.status == ReferralStatus.ANSWERED:
        raise ApplicationError("已反馈的移交不能退回", "an answered referral cannot be returned")
    if not reason.strip():
        raise ApplicationError("请填写退回理由", "give the reason")
    referral.status, referral.answer = ReferralStatus.RETURNED, f"退回：{reason.strip()}"
    referral.answered_by, referral.answered_at = actor, timezone.now()
    referral.save()
    _notify_answered(referral, gettext_noop("{department}退回移交：{subject}"))
    _complaint_follows(referral, actor)
    return referral


def _complaint_follows(referral, actor):
    """A complaint referred on its own (no case) ends with the department's answer, and goes back to the
    queue when the department returns it (intake.services decides)."""
    if referral.complaint_id is not None and referral.case_id is None:
        from intake.services import complaint_referral_ended

        complaint_referral_ended(complaint=referral.complaint, referral=referral, actor=actor)


@transaction.atomic
def referral_withdraw(*, referral, actor, reason: str):
    """The bureau takes back a referral not yet answered (the matter was sent to the wrong department, or
    the work order went back to the hotline): it leaves the department's inbox, the reason is kept."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status not in {ReferralStatus.SENT, ReferralStatus.SIGNED}:
        raise ApplicationError("该移交已办结，不能撤回", "the referral is no longer pending")
    if not reason.strip():
        raise ApplicationError("请填写撤回理由", "give the reason")
    referral.status, referral.answer = ReferralStatus.WITHDRAWN, f"撤回：{reason.strip()}"[:4000]
    referral._change_reason = "撤回移交"
    referral._history_user = actor
    referral.save()
    return referral


def complaint_referrals_withdraw(*, complaint, actor, reason: str, keep=None) -> int:
    """Pending referrals of the complaint to departments other than `keep` are withdrawn (intake.dispatch asks,
    through intake.hooks, when the complaint is returned, settled or re-routed to another department)."""
    pending = Referral.objects.filter(complaint_id=complaint.pk, status__in=[ReferralStatus.SENT,
                                                                             ReferralStatus.SIGNED])
    if keep is not None:
        pending = pending.exclude(department=keep)
    ids = list(pending.values_list("pk", flat=True))
    for pk in ids:
        referral_withdraw(referral=Referral(pk=pk), actor=actor, reason=reason)
    return len(ids)


def is_overdue(referral) -> bool:
    return referral.status in {ReferralStatus.SENT, ReferralStatus.SIGNED} and referral.due < timezone.localdate()
