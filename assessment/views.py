"""年度考核 pages: the year's ranking of streets and departments, each score's breakdown, the administrator's
indicators and weights, and the ranking as xlsx.

Who: the bureau (lead, admin) sees everything; a street the rankings and its own street's breakdown; a
department the rankings and its own breakdown (another unit's breakdown is 404 from their side); officers and
property companies are refused (403) by accounts.policy."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import policy
from accounts.policy import may
from assessment import exports, figures, selectors, services
from assessment.catalogue import RULE_TEXT
from assessment.choices import Subject
from assessment.forms import IndicatorFormSet, SchemeForm, initial_rows, kept_rows
from core.errors import ApplicationError, message_for_reader
from core.exports import export_response


def _require(user, action):
    if not may(user, action):
        raise PermissionDenied


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


def _year_and_period(request):
    """The year asked (?year=, default this year), its period and scheme; a bad year is a 400 page."""
    year = selectors.parse_year(request.GET.get("year"))
    return year, selectors.period_of(year), services.default_scheme(year)


def _period_label(period) -> str:
    if period.kind == "custom":  # the year so far
        return _("%(year)s年（截至 %(day)s）") % {"year": period.start.year, "day": period.end.isoformat()}
    return period.label_en if _english() else period.label


def _refused(request, exc, status=400):
    return render(request, "assessment/refused.html", {"error": message_for_reader(exc)}, status=status)


def _subject(request) -> str:
    """The ranking shown (and exported): ?subject=STREET|DEPARTMENT; a department's user starts on its own."""
    asked = request.GET.get("subject")
    if asked in Subject.values:
        return asked
    return Subject.DEPARTMENT if request.user.department_id and not may(request.user, policy.ASSESSMENT_CONFIGURE) \
        and selectors.may_open(request.user, Subject.DEPARTMENT, request.user.department_id) else Subject.STREET


@login_required
def overview(request):
    _require(request.user, policy.ASSESSMENT_VIEW)
    try:
        year, period, scheme = _year_and_period(request)
    except ApplicationError as exc:
        return _refused(request, exc)
    streets = selectors.street_scores(scheme, period)
    departments = selectors.department_scores(scheme, period)
    subject = _subject(request)
    shown = departments if subject == Subject.DEPARTMENT else streets
    if request.GET.get("export") in {"csv", "xlsx"}:
        title = exports.title(year, subject)
        return export_response(request.GET["export"], title, shown,
                               exports.ranking_columns(selectors.indicators_of(scheme, subject)), title)
    for score in streets + departments:
        score.may_open = selectors.may_open(request.user, score.subject, score.unit_id)
    return render(request, "assessment/overview.html", {
        "year": year, "years": selectors.years(), "period": period, "period_label": _period_label(period),
        "scheme": scheme, "streets": streets, "departments": departments, "subject": subject, "scores": shown,
        "detail_url": "assessment:department" if subject == Subject.DEPARTMENT else "assessment:street",
        "indicators": selectors.indicators_of(scheme, subject),
        "rule_text": RULE_TEXT, "can_configure": may(request.user, policy.ASSESSMENT_CONFIGURE),
        "streets_total": len(streets), "departments_total": len(departments),
        "can_open_all": may(request.user, policy.ASSESSMENT_CONFIGURE) or selectors.may_open_all(request.user),
        "cache_minutes": figures.CACHE_SECONDS // 60,
    })


def _breakdown(request, subject, pk):
    _require(request.user, policy.ASSESSMENT_VIEW)
    try:
        year, period, scheme = _year_and_period(request)
    except ApplicationError as exc:
        return _refused(request, exc)
    score = selectors.breakdown(request.user, scheme, period, subject, pk)
    of = len(selectors.street_scores(scheme, period)) if subject == Subject.STREET else len(selectors.departments())
    return render(request, "assessment/breakdown.html", {
        "year": year, "years": selectors.years(), "period": period, "period_label": _period_label(period),
        "scheme": scheme, "score": score, "of": of, "subject": subject, "rule_text": RULE_TEXT,
        "english": _english(),
    })


@login_required
def street(request, pk):
    return _breakdown(request, Subject.STREET, pk)


@login_required
def department(request, pk):
    return _breakdown(request, Subject.DEPARTMENT, pk)


@login_required
def configure(request):
    """The indicators and weights of a year's scheme: edited in a formset, shown back for confirmation
    (the weights per subject), saved whole on the confirmation or not at all."""
    _require(request.user, policy.ASSESSMENT_CONFIGURE)
    try:
        year = selectors.parse_year(request.GET.get("year") or request.POST.get("year"))
    except ApplicationError as exc:
        return _refused(request, exc)
    scheme = services.default_scheme(year)
    error, preview, status = "", None, 200
    if request.method == "POST":
        form = SchemeForm(request.POST)
        formset = IndicatorFormSet(request.POST, prefix="ind")
        if not (form.is_valid() and formset.is_valid()):
            error = _("请更正标出的错误") + "：" + "；".join(
                [f"{form.fields[k].label}：{e}" for k, errs in form.errors.items() for e in errs]
                + [f"{i + 1}. {f.fields[k].label if k in f.fields else ''}：{e}"
                   for i, f in enumerate(formset.forms) for k, errs in f.errors.items() for e in errs]
                + [str(e) for e in formset.non_form_errors()])
        else:
            rows = kept_rows(formset)
            try:
                services.check_weights(rows)
                if request.POST.get("confirm") == "1":
                    services.scheme_configure(scheme=scheme, indicators=rows, actor=request.user,
                                              name=form.cleaned_data["name"], note=form.cleaned_data["note"])
                    messages.success(request, _("%(year)s年度考核方案已保存") % {"year": year})
                    return redirect(reverse("assessment:overview") + f"?year={year}")
                preview = {"sums": services.weight_sums(rows), "rows": len(rows)}
            except (ApplicationError, ValidationError) as exc:
                error = message_for_reader(exc)
        if error:
            status = 400
    else:
        form = SchemeForm(initial={"name": scheme.name, "note": scheme.note})
        formset = IndicatorFormSet(initial=initial_rows(scheme), prefix="ind")
    return render(request, "assessment/configure.html", {
        "year": year, "years": selectors.years(), "scheme": scheme, "form": form, "formset": formset,
        "error": error, "preview": preview, "rule_text": RULE_TEXT,
        "street_label": Subject.STREET.label, "department_label": Subject.DEPARTMENT.label,
    }, status=status)
