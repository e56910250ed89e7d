"""Pages of the campaigns (专项行动 / 工作方案, R6): the list, one campaign with its phases' timeline and its
three lists as tabs, a task's progress (changed only after the user confirms what will change), 我的任务, the
task list as .xlsx. Thin: reads in programme.selectors, writes in programme.services.

Everyone of the district but the property companies reads the campaigns; what each sees of the lists is their
scope (accounts.scope.campaign_task_q / campaign_problem_q). Outside the scope → 404; an action the role may not
take → 403; a refused write changes nothing and shows the form again with the message."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.policy import may
from cases.models import EnforcementCase
from core.errors import ApplicationError, message_for_reader
from core.exports import export_response
from programme import selectors, services
from programme.choices import PhaseStatus
from programme.forms import ProblemForm, ProgressForm, TaskForm
from programme.models import CampaignPhase


def _allowed(user, action, obj=None):
    if not may(user, action, obj):
        raise PermissionDenied


def _timeline(campaign, today):
    """Each phase's place on the campaign's bar (percent of the span), and today's marker."""
    phases = list(campaign.phases.all())
    if not phases:
        return [], None
    first = min([campaign.starts_on, *(p.starts_on for p in phases)])
    last = max([campaign.ends_on or first, *(p.ends_on for p in phases)])
    span = max(1, (last - first).days + 1)
    rows = [{"phase": p, "left": round(100 * (p.starts_on - first).days / span, 2),
             "width": round(100 * ((p.ends_on - p.starts_on).days + 1) / span, 2),
             "current": p.starts_on <= today <= p.ends_on} for p in phases]
    marker = round(100 * (today - first).days / span, 2) if first <= today <= last else None
    return rows, marker


@login_required
def campaign_list(request):
    _allowed(request.user, policy.CAMPAIGN_LIST)
    today = timezone.localdate()
    campaigns = list(selectors.campaign_list(user=request.user))
    for campaign in campaigns:
        campaign.phase_now = selectors.campaign_phase_now(campaign, today)
        campaign.tally = selectors.task_tally(selectors.task_list(user=request.user, campaign=campaign), today)
    return render(request, "programme/campaign_list.html", {
        "campaigns": campaigns, "today": today,
        "my_tasks": selectors.open_tasks_for(request.user)[:10] if may(request.user, policy.CAMPAIGN_MY_TASKS) else [],
    })


@login_required
def campaign_detail(request, pk):
    _allowed(request.user, policy.CAMPAIGN_LIST)
    user, today = request.user, timezone.localdate()
    campaign = selectors.campaign_get(user=user, pk=pk)
    tasks = selectors.task_list(user=user, campaign=campaign)
    timeline, marker = _timeline(campaign, today)
    tab = request.GET.get("tab", "problems")
    return render(request, "programme/campaign_detail.html", {
        "campaign": campaign, "timeline": timeline, "marker": marker, "today": today,
        "tab": tab if tab in {"problems", "tasks", "responsibility"} else "problems",
        "problems": selectors.problem_list(user=user, campaign=campaign), "tasks": tasks,
        "tally": selectors.task_tally(tasks, today), "matrix": selectors.responsibility_matrix(user=user,
                                                                                                campaign=campaign),
        "my_tasks": selectors.open_tasks_for(user).filter(campaign=campaign),
        "can_manage": may(user, policy.CAMPAIGN_MANAGE, campaign), "can_survey": may(user, policy.CAMPAIGN_SURVEY),
        "phase_statuses": PhaseStatus.choices, "streets": services.campaign_streets(campaign),
    })


@login_required
@require_POST
def campaign_compile(request, pk):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    _allowed(request.user, policy.CAMPAIGN_MANAGE, campaign)
    counts = services.problems_compile(campaign=campaign, actor=request.user)
    messages.success(request, _("问题清单已汇总：新增 %(created)s 项，更新 %(updated)s 项，%(stale)s 项本次未再出现")
                     % counts)
    return redirect(f"{campaign.get_absolute_url()}?tab=problems")


@login_required
@require_POST
def phase_status(request, pk):
    phase = get_object_or_404(CampaignPhase.objects.select_related("campaign"), pk=pk,
                              campaign__in=selectors.campaign_list(user=request.user))
    _allowed(request.user, policy.CAMPAIGN_MANAGE, phase.campaign)
    try:
        services.phase_set_status(phase=phase, status=request.POST.get("status", ""), actor=request.user)
    except ApplicationError as exc:
        messages.error(request, message_for_reader(exc))
    else:
        messages.success(request, _("阶段状态已更新"))
    return redirect(phase.campaign.get_absolute_url())


def _form_page(request, campaign, form, title, error="", status=200):
    return render(request, "programme/campaign_form.html", {"campaign": campaign, "form": form, "title": title,
                                                             "error": error}, status=status)


@login_required
def task_create(request, pk):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    _allowed(request.user, policy.CAMPAIGN_MANAGE, campaign)
    form = TaskForm(request.POST or None, campaign=campaign, user=request.user,
                    initial={"starts_on": timezone.localdate(), "working_days": 10})
    error = ""
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.task_create(campaign=campaign, actor=request.user, title=data["title"],
                                     detail=data["detail"], owner_department=data["owner_department"],
                                     owner_street=data["owner_street"], phase=data["phase"],
                                     problem=data["problem"], starts_on=data["starts_on"],
                                     working_days=data["working_days"], assisting=list(data["assisting"]))
            except ApplicationError as exc:
                error = message_for_reader(exc)
            else:
                messages.success(request, _("任务已下达"))
                return redirect(f"{campaign.get_absolute_url()}?tab=tasks")
        else:
            error = _("请检查填写的内容")
    return _form_page(request, campaign, form, _("下达任务"), error, status=400 if error else 200)


@login_required
def problem_create(request, pk):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    _allowed(request.user, policy.CAMPAIGN_SURVEY)
    form = ProblemForm(request.POST or None, campaign=campaign, user=request.user)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.problem_add(campaign=campaign, actor=request.user, title=data["title"],
                                     detail=data["detail"], street=data["street"], community=data["community"])
            except ApplicationError as exc:
                error = message_for_reader(exc)
            else:
                messages.success(request, _("已录入问题清单"))
                return redirect(f"{campaign.get_absolute_url()}?tab=problems")
        else:
            error = _("请检查填写的内容")
    return _form_page(request, campaign, form, _("录入排摸发现的问题"), error, status=400 if error else 200)


TASK_COLUMNS = [  # (中文, English, accessor)
    ("任务", "task", "title"),
    ("阶段", "phase", lambda t: t.phase.name if t.phase else ""),
    ("责任部门或街镇", "owner", lambda t: str(t.owner)),
    ("开始日期", "starts_on", "starts_on"),
    ("时限（工作日）", "working_days", "working_days"),
    ("完成期限", "due_on", "due_on"),
    ("进度（%）", "progress", "progress"),
    ("状态", "status", "get_status_display"),
    ("完成日期", "done_on", "done_on"),
    ("超期", "overdue", lambda t: _("是") if t.is_overdue(timezone.localdate()) else ""),
    ("关联案件", "cases", lambda t: "、".join(c.number for c in t.cases.all())),
    ("进展情况", "note", "progress_note"),
]


@login_required
def task_export(request, pk):
    """The task list (任务清单) of the campaign as the user sees it, as .xlsx."""
    _allowed(request.user, policy.CAMPAIGN_LIST)
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    english = (request.LANGUAGE_CODE or "").startswith("en")
    columns = [(en if english else zh, accessor) for zh, en, accessor in TASK_COLUMNS]
    stamp = timezone.localdate().strftime("%Y%m%d")
    return export_response("xlsx", f"任务清单-{campaign.pk}-{stamp}",
                           selectors.task_list(user=request.user, campaign=campaign), columns, "任务清单")


@login_required
def my_tasks(request):
    _allowed(request.user, policy.CAMPAIGN_MY_TASKS)
    return render(request, "programme/my_tasks.html", {"tasks": selectors.open_tasks_for(request.user),
                                                        "today": timezone.localdate()})


@login_required
def task_detail(request, pk):
    """GET: the task; POST: the new progress is shown for confirmation first, saved only once confirmed."""
    user = request.user
    task = selectors.task_get(user=user, pk=pk)
    can_update = may(user, policy.CAMPAIGN_TASK_UPDATE, task)
    form, error, confirm, cases = None, "", False, None
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied
        form = ProgressForm(request.POST)
        if form.is_valid():
            numbers = form.numbers()
            found = {c.number: c for c in EnforcementCase.objects.restrict(user, "view").filter(number__in=numbers)}
            missing = [n for n in numbers if n not in found]
            if missing:
                error = _("找不到案件 %(numbers)s 或不在您的范围内") % {"numbers": "、".join(missing)}
            elif not form.cleaned_data["confirmed"]:
                confirm, cases = True, list(found.values())
            else:
                try:
                    services.task_progress(task=task, actor=user, progress=form.cleaned_data["progress"],
                                           note=form.cleaned_data["note"], cases=list(found.values()))
                except ApplicationError as exc:
                    error = message_for_reader(exc)
                else:
                    messages.success(request, _("任务进度已更新"))
                    return redirect("programme:task-detail", task.pk)
        else:
            error = _("请检查填写的内容")
    elif can_update:
        form = ProgressForm(initial={"progress": task.progress, "note": task.progress_note,
                                     "case_numbers": "\n".join(c.number for c in task.cases.all())})
    visible = set(EnforcementCase.objects.restrict(user, "view").filter(pk__in=task.cases.values("pk"))
                  .values_list("pk", flat=True))
    return render(request, "programme/task_detail.html", {
        "task": task, "form": form, "error": error, "confirm": confirm, "confirm_cases": cases,
        "today": timezone.localdate(), "overdue": task.is_overdue(timezone.localdate()),
        "cases": [(c, c.pk in visible) for c in task.cases.all()], "history": task.history.select_related(
            "history_user").order_by("-history_date")[:20],
    }, status=400 if error else 200)
