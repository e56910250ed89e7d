"""The home page: it gathers each role's work from several apps (intake, cases, credit, registry), so it lives in
the project package, which alone may import every app.

Every role's home shows its real work, each item a count that links to the page where it is done (no dead end):
the officer's day is the 今日工作台 itself; a department sees its open and overdue referrals; a property company
its duty checks to answer; the streets and the bureau what is overdue in their scope."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import policy
from accounts.choices import Role
from accounts.policy import may
from accounts.scope import role_of
from accounts.selectors import notifications_for
from analytics import hotspots
from cases import selectors as case_selectors
from credit import selectors as credit_selectors
from credit.choices import DisputeStatus, DutyOutcome
from intake import selectors as intake_selectors
from intake.choices import ComplaintStatus
from registry import selectors as registry_selectors

HOTSPOT_ROLES = {Role.ADMIN, Role.LEAD, Role.STREET}  # the bureau's leads and the streets see hotspot alerts


def _task(key, label, count, url, tone="primary", icon="list-check"):
    return {"key": key, "label": label, "count": count, "url": url, "tone": tone if count else "secondary",
            "icon": icon}


def tasks_for(user) -> list[dict]:
    """The counts of what waits for the user, each with the link to the list that holds it (in the user's scope)."""
    tasks = []
    if may(user, policy.COMPLAINT_QUEUE):
        complaints = intake_selectors.complaint_list(user=user)
        queue = reverse("intake:queue")
        tasks.append(_task("complaints-overdue", _("超期诉件（已过办理时限）"),
                           complaints.filter(intake_selectors.overdue_q()).count(),
                           f"{queue}?due=overdue&sort=due", "danger", "exclamation-octagon"))
        if may(user, policy.COMPLAINT_TRIAGE):
            tasks.append(_task("complaints-new", _("待分拣诉件"),
                               complaints.filter(status=ComplaintStatus.NEW).count(),
                               f"{queue}?status={ComplaintStatus.NEW}", "primary", "inbox"))
    if may(user, policy.CASE_LIST) and not may(user, policy.CASE_WORKBENCH):
        cases = case_selectors.case_list(user=user)
        url = reverse("cases:list")
        tasks.append(_task("cases-overdue", _("超期案件"), case_selectors.overdue(cases).count(),
                           f"{url}?due={case_selectors.OVERDUE}", "danger", "exclamation-octagon"))
        tasks.append(_task("cases-soon", _("临期案件（2个工作日内到期）"), case_selectors.due_soon(cases).count(),
                           f"{url}?due={case_selectors.SOON}", "warning", "hourglass-split"))
    if may(user, policy.CASE_BOARD):
        board = case_selectors.board(user=user)
        url = reverse("cases:board")
        tasks.append(_task("supervisions-open", _("未回复的督办"), board["supervisions_total"],
                           f"{url}#supervisions", "warning", "alarm"))
        tasks.append(_task("referrals-late", _("超期未反馈的移交"), board["referrals_total"],
                           f"{url}#referrals", "danger", "envelope-exclamation"))
    if may(user, policy.DUTY_CHECK_LIST):
        checks = credit_selectors.duty_checks(user=user)
        url = reverse("credit:duty-checks")
        tasks.append(_task("duty-checks-overdue", _("逾期未说明的履职检查"),
                           checks.filter(credit_selectors.DUTY_CHECK_FILTERS["answer_overdue"](True)).count(),
                           f"{url}?overdue=on", "danger", "clipboard-x"))
        tasks.append(_task("duty-checks-pending", _("待认定的履职检查"),
                           checks.filter(outcome=DutyOutcome.PENDING).count(), f"{url}?pending=on", "primary",
                           "clipboard-check"))
    if may(user, policy.CREDIT_DECIDE):
        tasks.append(_task("disputes", _("待处理的记分异议"),
                           credit_selectors.disputes(user=user, status=DisputeStatus.LODGED).count(),
                           reverse("credit:disputes"), "warning", "chat-square-text"))
    return tasks


def _property_work(user) -> dict:
    """A property company's duty checks still open, soonest answer deadline first."""
    today = timezone.localdate()
    open_checks = list(credit_selectors.duty_checks(user=user).filter(outcome=DutyOutcome.PENDING)
                       .select_related("case", "community").order_by("answer_due", "pk")[:10])
    for check in open_checks:
        check.to_answer = check.answered_at is None and check.answer_due >= today
        check.late = check.answered_at is None and check.answer_due < today
    return {"checks": open_checks, "to_answer": sum(1 for c in open_checks if c.to_answer)}


@login_required
def home(request):
    user = request.user
    context = {
        "role": role_of(user), "summary": registry_selectors.scope_summary(user=user),
        "notifications": notifications_for(user)[:20],
        # the joint credit-punishment list, for those who act on it: the housing bureau and the leads (R4.2)
        "open_listings": credit_selectors.open_listings(user=user).count()
        if may(user, policy.CREDIT_DECIDE) else None,
        "tasks": tasks_for(user),
    }
    if may(user, policy.CASE_WORKBENCH):  # the officer's day, as on 今日工作台
        context.update(case_selectors.workbench(user=user), workbench=True)
    if may(user, policy.REFERRAL_INBOX):
        context["referrals"] = case_selectors.inbox_summary(user=user)
    if may(user, policy.CREDIT_MINE) and user.property_company_id:
        context["property_work"] = _property_work(user)
    if role_of(user) in HOTSPOT_ROLES and may(user, policy.ANALYTICS_VIEW):
        # communities whose complaints jumped in the last 7 days (analytics.hotspots), in the user's scope
        context["hotspots"] = hotspots.current_alerts(user)
        context["hotspot_rule"] = hotspots.RULE_TEXT
    return render(request, "core/home.html", context)
