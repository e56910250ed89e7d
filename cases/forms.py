"""Forms of the case pages. A move's form is built from the workflow table: it asks for exactly what
the move `needs` (cases.workflow.MOVES), so adding a need to the table adds the field here."""
from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import User
from cases import indicators, rules, selectors
from cases.choices import (
    CaseState,
    DocumentKind,
    HotlineResult,
    PartyKind,
    PartyRole,
    PaymentStatus,
    ReCheckResult,
    ReviewResult,
    Satisfaction,
    ServiceManner,
)
from cases.models import CaseTransition, EnforcementCase
from core import dates, search
from core.api import IdFilter
from core.errors import ApplicationError, message_for_reader
from core.filtersets import FigureFiltersMixin
from core.forms import BoundedDateInput, BusinessDateField, BusinessDateTimeField, MultipleFileField
from registry.choices import Measure
from registry.models import Community, Department, Street, ViolationType

MAX_FILES = 20  # evidence files in one move (their real type and size: core.uploads, in cases.services)


def bootstrap(form):
    """Bootstrap classes on every widget, so templates can render `{{ field }}` as is."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
            continue
        if isinstance(widget, forms.HiddenInput):
            continue
        css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form


# --- the case list ------------------------------------------------------------------------------

DUE_CHOICES = [(selectors.OVERDUE, _("超期")), (selectors.SOON, _("临期（2个工作日内到期）"))]
STATE_CHOICES = [("open", _("全部在办"))] + list(CaseState.choices)


def _streets(request):
    return Street.objects.restrict(request.user, "view") if request else Street.objects.none()


def _officers(request):
    if request is None:
        return User.objects.none()
    # The officers (cases are assigned only to officers) with a case the user sees, asked officer by officer through
    # the officer index: at half a million cases "every officer of every case" read the whole table, 0.6 s on every
    # list page, and PostgreSQL planned a correlated EXISTS as a scan per user.
    visible = EnforcementCase.objects.restrict(request.user, "view")
    handling = [pk for pk in User.objects.filter(role=Role.OFFICER).values_list("pk", flat=True)
                if visible.filter(officer_id=pk).exists()]
    return User.objects.filter(Q(pk__in=handling) | Q(pk=request.user.pk, role=Role.OFFICER)).order_by("username")


# The case list's search box: the case's own text in the order of its pair column (cases 0009, core.search), the case
# number by trigrams, the community by name in its own table. The whole text typed is one phrase.
SEARCH_TEXT = ("summary", "location")


class CaseFilter(FigureFiltersMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    state = django_filters.ChoiceFilter(choices=STATE_CHOICES, method="by_state", label=_("状态"),
                                        empty_label=_("全部状态"))
    violation_type = django_filters.ModelChoiceFilter(queryset=ViolationType.objects.all(), to_field_name="code",
                                                      label=_("类型"), empty_label=_("全部类型"))
    street = django_filters.ModelChoiceFilter(queryset=_streets, label=_("街镇"), empty_label=_("全部街镇"))
    officer = django_filters.ModelChoiceFilter(queryset=_officers, label=_("承办队员"), empty_label=_("全部队员"))
    due = django_filters.ChoiceFilter(choices=DUE_CHOICES, method="by_due", label=_("期限"), empty_label=_("全部"))
    mine = django_filters.BooleanFilter(method="by_mine", label=_("我的案件"), widget=forms.CheckboxInput)
    # the community page's link; the API's id rule (a positive 64-bit id, documented in the schema as such)
    community = IdFilter(field_name="community_id", label=_("小区"))
    # the analytics figures' links (analytics.metrics): opened, closed, due (应结案) or reopened within a range of
    # days, overdue at a day — the rules are cases.indicators'
    opened_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label=_("登记起"))
    opened_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label=_("登记止"))
    closed_after = django_filters.DateFilter(method="by_range", label=_("结案起"))
    closed_before = django_filters.DateFilter(method="by_range", label=_("结案止"))
    owed_after = django_filters.DateFilter(method="by_range", label=_("应结案起"))
    owed_before = django_filters.DateFilter(method="by_range", label=_("应结案止"))
    reopened_after = django_filters.DateFilter(method="by_range", label=_("回潮重开起"))
    reopened_before = django_filters.DateFilter(method="by_range", label=_("回潮重开止"))
    overdue_at = django_filters.DateFilter(method="by_overdue_at", label=_("截至该日超期"))
    recurred = django_filters.BooleanFilter(method="by_recurred", label=_("结案后90日内回潮"))
    on_time = django_filters.BooleanFilter(method="by_on_time", label=_("按期结案"))

    class Meta:
        model = EnforcementCase
        fields = ["q", "state", "violation_type", "street", "officer", "due", "mine", "community"]

    # the filters an analytics figure's link sets (analytics.metrics): kept as hidden inputs and shown on the list
    FIGURE_FILTERS = ("opened_after", "opened_before", "closed_after", "closed_before", "owed_after",
                      "owed_before", "reopened_after", "reopened_before", "overdue_at", "recurred", "on_time")

    def by_range(self, queryset, name, value):
        """A range filter: applied once, by its `_after` half (or its `_before` half alone), with both ends."""
        base, end = name.rsplit("_", 1)
        data = self.form.cleaned_data
        low, high = data.get(f"{base}_after"), data.get(f"{base}_before")
        if end == "before" and low is not None:
            return queryset  # the `_after` half applied the range
        low, high = low or dates.EARLIEST, high or dates.date_bounds(dates.DUE)[1]
        if base == "closed":
            return queryset.filter(indicators.closed_in_q(low, high))
        if base == "owed":
            return queryset.filter(indicators.owed_in_q(low, high))
        lo, hi = indicators._bounds(low, high)
        reopened = CaseTransition.objects.filter(action="reopen", at__gte=lo, at__lt=hi).values("case_id")
        return queryset.filter(pk__in=reopened)

    def by_recurred(self, queryset, name, value):
        return queryset.filter(indicators.recurred_q()) if value else queryset.exclude(indicators.recurred_q())

    def by_on_time(self, queryset, name, value):
        closed = list(queryset.filter(state=CaseState.CLOSED).values_list("pk", flat=True))
        on_time = indicators.on_time_ids(closed)
        return queryset.filter(pk__in=on_time) if value else queryset.filter(pk__in=set(closed) - on_time)

    def by_overdue_at(self, queryset, name, value):
        return queryset.filter(indicators.overdue_at_q(value))

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(search.matching(EnforcementCase, value, SEARCH_TEXT, trigram=("number",),
                                               lookups={"community": Community.objects.filter(name__icontains=value)}))

    def by_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(state__in=selectors.OPEN_STATES)
        return queryset.filter(state=value)

    def by_due(self, queryset, name, value):
        return {selectors.OVERDUE: selectors.overdue, selectors.SOON: selectors.due_soon}[value](queryset)

    def by_mine(self, queryset, name, value):
        return queryset.filter(officer=self.request.user) if value else queryset


# --- moves --------------------------------------------------------------------------------------

# What each check of the workflow table means to the person making the move (needs without a field). An unmet
# check also shows the rule's own message (cases.rules), e.g. which officer has no 执法证号.
NEED_HINTS = {
    "parties": _("须已登记当事人"),
    "evidence": _("须有证据材料（已上传或随本次上传）"),
    "review_evidence": _("须上传复查照片或材料"),
    "fines_settled": _("罚款须已缴纳"),
    "within_90_days": _("结案90日内方可回潮重新核查"),
    "two_officers": _("须有承办队员和协办队员两名持执法证的执法人员（行政处罚法第四十二条）"),
    "within_time_limit": _("须在办案期限内（超期须先延长办案期限）"),
    "statement_recorded": _("须已记录当事人的陈述申辩且尚未复核"),
    "no_statement": _("尚未记录陈述申辩或放弃"),
    "defence_settled": _("陈述申辩已复核、当事人已放弃，或陈述申辩期已满"),
    "no_legal_review_needed": _("本案无需法制审核（未经听证且非重大案件）"),
    "discussion_if_major": _("重大案件须先记录集体讨论"),
    "decision_issued": _("须已出具行政处罚决定书且尚未记录送达"),
    "payment_overdue": _("须有逾期未缴纳的罚款"),
    "court_application": _("已催告满10日，且在申请强制执行的期限内"),
    "hearing_request": _("告知书送达后5个工作日内，且告知了听证权利"),
}
# Needs whose check reads only the case (no input): their hint can say whether they are met before the move.
CASE_ONLY_NEEDS = set(NEED_HINTS) - {"evidence", "review_evidence", "parties", "hearing_request"}


class RangeSelect(forms.Select):
    """The fine ranges, each option saying its unit (data-unit), so the page shows the quantity only for a
    per-unit range (每平方米, 每人, 倍)."""

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        unit = self.units.get(str(value))
        if unit:
            option["attrs"]["data-unit"] = unit
        return option


class MoveForm(forms.Form):
    """The form of one workflow move; `version` is the case version the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, move, case, user, **kwargs):
        kwargs.setdefault("auto_id", f"id_{move.action}_%s")
        super().__init__(*args, **kwargs)
        self.move, self.case = move, case
        self.penalty_parties, self.penalty_optional = [], False
        needs = set(move.needs)
        self.asks_penalty = bool(needs & {"penalty", "summary_penalty"})
        procedure = _procedure(case)
        if "findings" in needs:
            self.fields["findings"] = forms.CharField(
                label=_("查明的违法事实"), max_length=4000, required=not (case.findings or "").strip(),
                initial=case.findings, widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("文书“经查”部分据此制作：时间、地点、行为、数量及证据"))
        if "reason" in needs:
            self.fields["reason"] = forms.CharField(
                label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
        if "department" in needs:
            self.fields["department"] = forms.ModelChoiceField(
                label=_("接收部门"), to_field_name="code",
                queryset=Department.objects.restrict(user, "view").exclude(code="CHENGGUAN"))
        if "measures" in needs:
            self.fields["measures"] = forms.MultipleChoiceField(
                label=_("处理措施"), widget=forms.CheckboxSelectMultiple,
                initial=["FINE"] if "penalty" in needs else None,
                choices=[(m, Measure(m).label) for m in rules.allowed_measures(case) if m in Measure.values])
        if "rectify_due" in needs:
            self.fields["rectify_due"] = BusinessDateField(
                label=_("整改期限"), kind=dates.DUE, label_en="rectify_due",
                widget=BoundedDateInput(attrs={"min": timezone.localdate().isoformat()}, kind=dates.DUE))
        if "closing_measures" in needs:
            closes_with = rules.MEASURE_RULES.get(case.violation_type.code, {}).get("closes_with", [])
            if closes_with:
                self.fields["measures_done"] = forms.MultipleChoiceField(
                    label=_("已落实的措施"), widget=forms.CheckboxSelectMultiple,
                    choices=[(m, Measure(m).label) for m in closes_with])
        if "service" in needs:
            self.fields["served_on"] = BusinessDateField(label=_("送达日期"), label_en="served_on",
                                                         initial=timezone.localdate())
            self.fields["manner"] = forms.ChoiceField(label=_("送达方式"), choices=ServiceManner.choices)
        if "record_urge" in move.effects:
            self.fields["served_on"] = BusinessDateField(label=_("催告书送达日期"), label_en="served_on",
                                                         required=False, initial=timezone.localdate())
        if "statement" in needs:
            self.fields["statement"] = forms.CharField(label=_("陈述申辩意见"), max_length=4000,
                                                       widget=forms.Textarea(attrs={"rows": 3}))
            self.fields["statement_on"] = BusinessDateField(label=_("陈述申辩日期"), label_en="statement_on",
                                                            required=False, initial=timezone.localdate())
        if "defence_review" in needs:
            self.fields["review_result"] = forms.ChoiceField(label=_("复核结果"), choices=ReviewResult.choices)
            self.fields["review_text"] = forms.CharField(
                label=_("复核意见"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("对当事人提出的事实、理由和证据逐项说明是否采纳"))
        if "hearing_request" in needs:
            self.fields["requested_on"] = BusinessDateField(label=_("申请听证日期"), label_en="requested_on",
                                                            required=False, initial=timezone.localdate())
        if "hearing_plan" in needs:
            self.fields["hearing_at"] = BusinessDateTimeField(label=_("听证时间"), kind=dates.DUE,
                                                              label_en="hearing_at")
            self.fields["hearing_place"] = forms.CharField(label=_("听证地点"), max_length=200)
            self.fields["presider"] = forms.ModelChoiceField(
                label=_("听证主持人"), queryset=presiders(user, case),
                help_text=_("由非本案调查人员主持（行政处罚法第六十四条）"))
        if "hearing_held" in needs:
            self.fields["hearing_record"] = forms.CharField(
                label=_("听证情况（笔录摘要）"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("笔录经当事人核对签字后，请作为证据上传"))
        if "legal_opinion" in needs:
            self.fields["opinion"] = forms.CharField(
                label=_("法制审核意见"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("事实是否清楚、证据是否确凿、依据是否正确、程序是否合法、处罚是否适当"))
        if "discussion" in needs:
            self.fields["participants"] = forms.CharField(label=_("参加人"), max_length=300)
            self.fields["minutes"] = forms.CharField(label=_("讨论记录"), max_length=4000,
                                                     widget=forms.Textarea(attrs={"rows": 3}))
            self.fields["discussion_on"] = BusinessDateField(label=_("讨论日期"), label_en="discussion_on",
                                                             required=False, initial=timezone.localdate())
        if "extension" in needs:
            self.fields["extend_days"] = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=90)
        if "court_application" in needs:
            self.fields["court"] = forms.CharField(label=_("受理法院"), max_length=100, required=False,
                                                   initial=_("普陀区人民法院"))
        if needs & {"penalty", "summary_penalty", "defence_review"}:
            self._add_penalty_rows(case, user, procedure, optional="defence_review" in needs)
        if needs & {"evidence", "review_evidence", "proof"}:
            label = (_("送达回证（签收回执、邮寄凭证或留置送达见证材料）") if "proof" in needs
                     else _("复查照片或材料") if "review_evidence" in needs else _("证据材料"))
            self.fields["files"] = MultipleFileField(
                label=label, required="proof" in needs,
                help_text=_("照片、视频、PDF 或 Office 文件，可多选"), max_files=MAX_FILES)
        bootstrap(self)

    # --- the intended penalty: one row per party of the case --------------------------------------------

    def _add_penalty_rows(self, case, user, procedure, *, optional):
        from cases import penalties

        ranges = list(penalties.ranges_for(case))
        units = {str(r.pk): r.get_unit_display() for r in ranges if r.unit}
        choices = [("", _("（不处罚款）"))] + [(r.pk, penalties.range_text(r)) for r in ranges]
        stored = {row["party"]: row for row in (procedure.proposed if procedure else [])}
        self.penalty_optional = optional
        for party in case.parties.restrict(user, "view").order_by("pk"):
            row = stored.get(party.pk, {})
            prefix = f"penalty_{party.pk}_"
            self.fields[f"{prefix}range"] = forms.ChoiceField(
                label=_("罚款幅度"), choices=choices, required=False, initial=row.get("range"),
                widget=RangeSelect(units=units, attrs={"data-penalty-range": prefix}))
            self.fields[f"{prefix}quantity"] = forms.DecimalField(
                label=_("计罚数量"), required=False, min_value=Decimal("0.01"), max_digits=12, decimal_places=2,
                initial=row.get("quantity"), widget=forms.NumberInput(attrs={"step": "0.01",
                                                                            "data-penalty-quantity": prefix}))
            self.fields[f"{prefix}amount"] = forms.DecimalField(
                label=_("罚款金额（元）"), required=False, min_value=Decimal("0.01"), max_digits=12, decimal_places=2,
                initial=row.get("amount"), widget=forms.NumberInput(attrs={"step": "0.01"}))
            self.penalty_parties.append(party)

    PENALTY_PARTS = ("range", "quantity", "amount")

    @property
    def penalty_rows(self) -> list[dict]:
        return [{"party": party, **{part: self[f"penalty_{party.pk}_{part}"] for part in self.PENALTY_PARTS}}
                for party in self.penalty_parties]

    @property
    def plain_fields(self):
        return [f for f in self.visible_fields() if not f.name.startswith("penalty_")]

    def penalty(self) -> list[dict]:
        """The rows the user filled, as the service takes them ([{party, range, amount, quantity}])."""
        out = []
        for party in self.penalty_parties:
            values = {part: self.cleaned_data.get(f"penalty_{party.pk}_{part}") for part in self.PENALTY_PARTS}
            if not values["range"] and values["amount"] is None:
                continue
            out.append({"party": party.pk, "range": values["range"] or None,
                        "amount": None if values["amount"] is None else str(values["amount"]),
                        "quantity": None if values["quantity"] is None else str(values["quantity"])})
        return out

    @property
    def has_inputs(self) -> bool:
        return len(self.fields) > 1

    @property
    def hints(self) -> list[tuple[str, bool]]:
        """The checks of the move as (text, already met), so the officer sees what is still missing; an unmet
        check that reads only the case says why (the rule's own message, e.g. the officer without 执法证号)."""
        out = []
        for need in self.move.needs:
            if need not in NEED_HINTS:
                continue
            problem = rules.REQUIREMENTS[need](self.case, {})
            text = str(NEED_HINTS[need])
            if problem is not None and need in CASE_ONLY_NEEDS:
                text = f"{text}：{message_for_reader(ApplicationError(*problem))}"
            out.append((text, problem is None))
        return out

    @property
    def blocked(self) -> bool:
        """Whether a check that reads only the case fails now (the move is shown, but cannot succeed yet)."""
        return any(rules.REQUIREMENTS[n](self.case, {}) is not None for n in self.move.needs if n in CASE_ONLY_NEEDS)

    def service_kwargs(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version" and not k.startswith("penalty_")}
        data["reason"] = data.get("reason", "")
        data["files"] = data.get("files") or []
        if self.penalty_parties:
            data["penalty"] = self.penalty()
        return data


def _procedure(case):
    from cases.models import PenaltyProcedure

    return PenaltyProcedure.objects.filter(case=case).first()


def presiders(user, case):
    """Who may preside a hearing: the bureau's people in the user's district, never the case's investigators."""
    return (User.objects.filter(is_active=True, role__in=[Role.LEAD, Role.LEGAL, Role.OFFICER, Role.ADMIN])
            .filter(Q(district__isnull=True) | Q(district_id=user.district_id) if user.district_id else Q())
            .exclude(pk__in=[pk for pk in (case.officer_id, case.co_officer_id) if pk])
            .order_by("role", "display_name", "username"))


class CoOfficerForm(forms.Form):
    """协办队员: the second certified officer of the case (行政处罚法 §42)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    co_officer = forms.ModelChoiceField(label=_("协办队员"), queryset=User.objects.none())

    def __init__(self, *args, case, **kwargs):
        from cases.services import assignable_officers

        kwargs.setdefault("auto_id", "id_co_officer_%s")
        super().__init__(*args, **kwargs)
        team = [pk for pk in (case.officer_id, case.co_officer_id) if pk]
        self.fields["co_officer"].queryset = assignable_officers(case).exclude(cert_number="").exclude(pk__in=team)
        bootstrap(self)

    @property
    def has_choices(self) -> bool:
        return self.fields["co_officer"].queryset.exists()


# --- who handles the case, 正在搭建 --------------------------------------------------------------

class AssignForm(forms.Form):
    """指派 / 改派 the case's officer: only officers working in the case's street are offered."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    officer = forms.ModelChoiceField(label=_("承办队员"), queryset=User.objects.none())
    reason = forms.CharField(label=_("理由"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, **kwargs):
        from cases.services import assignable_officers

        kwargs.setdefault("auto_id", "id_assign_%s")
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = assignable_officers(case).exclude(pk=case.officer_id)
        if case.officer_id:  # a reassignment says why
            self.fields["reason"].required = True
            self.fields["reason"].label = _("改派理由")
        bootstrap(self)

    @property
    def has_choices(self) -> bool:
        return self.fields["officer"].queryset.exists()


class ClaimForm(forms.Form):
    """认领: an officer takes an unassigned case of his streets; one click, at the version he saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_claim_%s")
        super().__init__(*args, **kwargs)


class InProgressForm(forms.Form):
    """正在搭建 or 存量: the form changes it to the other one, with the reason."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    in_progress = forms.BooleanField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("认定理由"), max_length=1000, widget=forms.Textarea(attrs={
        "rows": 2, "placeholder": _("如：现场核查时仍在施工，已搭建框架")}))

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("auto_id", "id_in_progress_%s")
        kwargs.setdefault("initial", {"in_progress": not case.in_progress, "version": case.version})
        super().__init__(*args, **kwargs)
        self.target = not case.in_progress
        bootstrap(self)

    @property
    def button(self):
        return _("认定为正在搭建") if self.target else _("改为存量违建")


# --- parties, evidence, supervision, referrals --------------------------------------------------

class PartyForm(forms.Form):
    role = forms.ChoiceField(label=_("身份"), choices=PartyRole.choices)
    kind = forms.ChoiceField(label=_("类别"), choices=PartyKind.choices, initial=PartyKind.PERSON)
    name = forms.CharField(label=_("姓名/名称"), max_length=100)
    id_number = forms.CharField(label=_("证件号码/信用代码"), max_length=30, required=False)
    phone = forms.CharField(label=_("电话"), max_length=30, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_party_%s")
        super().__init__(*args, **kwargs)
        bootstrap(self)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("文件（照片、视频、PDF 或 Office）"))
    description = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_evidence_%s")
        super().__init__(*args, **kwargs)
        bootstrap(self)


class SupervisionForm(forms.Form):
    instruction = forms.CharField(label=_("督办要求"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    response_days = forms.IntegerField(label=_("回复期限（工作日）"), min_value=1, max_value=30, initial=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class SupervisionResponseForm(forms.Form):
    response = forms.CharField(label=_("回复内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ReferralAnswerForm(forms.Form):
    answer = forms.CharField(label=_("反馈内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ReferralReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


def errors_text(form) -> str:
    return "；".join(f"{form.fields[k].label}：{e}" if k in form.fields else str(e)
                    for k, errors in form.errors.items() for e in errors)


# --- documents, fines, 12345 replies ------------------------------------------------------------

def _unverified_bases(case) -> list[str]:
    """The case's cited articles still marked 待核实 (the document service refuses them unless confirmed)."""
    return [f"{b.regulation.short_name}{b.article or ''}" for b in
            case.violation_type.bases.select_related("regulation").filter(verified=False).order_by("id")]


class DocumentForm(forms.Form):
    """What issuing a document of `kind` needs beyond the case itself (cases.documents.EXTRA_KEYS)."""

    note = forms.CharField(label=_("补充说明（选填）"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, kind, case, user, **kwargs):
        kwargs.setdefault("auto_id", f"id_doc_{kind}_%s")
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == DocumentKind.ORDER_CORRECT:
            self.fields["rectify_due"] = BusinessDateField(
                label=_("整改期限"), required=case.rectify_due is None, initial=case.rectify_due, kind=dates.DUE,
                label_en="rectify_due",
                widget=BoundedDateInput(attrs={"min": timezone.localdate().isoformat()}, kind=dates.DUE))
        if kind == DocumentKind.REFERRAL_LETTER:
            self.fields["department"] = forms.ModelChoiceField(
                label=_("接收部门"), to_field_name="code", required=case.referred_to_id is None,
                initial=case.referred_to.code if case.referred_to_id else None,
                queryset=Department.objects.restrict(user, "view").exclude(code="CHENGGUAN"))
            self.fields["matter"] = forms.CharField(label=_("移交事项"), max_length=4000, required=False,
                                                    initial=case.summary, widget=forms.Textarea(attrs={"rows": 2}))
        if kind == DocumentKind.SERVICE_RECEIPT:
            from cases import documents

            self.fields["document"] = forms.ModelChoiceField(
                label=_("送达的文书"), required=False, empty_label=_("最近出具的需送达文书"),
                queryset=case.documents.filter(kind__in=documents.SERVED).order_by("-issued_at"))
        if kind in {DocumentKind.SERVICE_RECEIPT, DocumentKind.INQUIRY_RECORD}:
            self.fields["party"] = forms.ModelChoiceField(
                label=_("受送达人") if kind == DocumentKind.SERVICE_RECEIPT else _("被询问人"), required=False,
                empty_label=_("全部当事人") if kind == DocumentKind.SERVICE_RECEIPT else _("不选，手工填写"),
                queryset=case.parties.order_by("id"))
        unverified = _unverified_bases(case)
        if unverified and kind not in {DocumentKind.FILING_APPROVAL, DocumentKind.INQUIRY_RECORD,
                                       DocumentKind.INSPECTION_RECORD, DocumentKind.SERVICE_RECEIPT}:
            self.fields["confirm_unverified"] = forms.BooleanField(
                label=_("本案引用的法律依据“%(bases)s”尚待核实，我已核对条文，确认出具（文书中将标注“待核实”）")
                % {"bases": "、".join(unverified)}, required=False)
        self.order_fields(["rectify_due", "department", "matter", "document", "party", "confirm_unverified", "note"])
        bootstrap(self)

    @property
    def kind_label(self) -> str:
        return DocumentKind(self.kind).label

    def extra(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


class PaymentForm(forms.Form):
    status = forms.ChoiceField(label=_("缴纳状态"), choices=PaymentStatus.choices)
    paid_at = BusinessDateField(label=_("缴纳日期"), required=False, label_en="paid_at")

    def __init__(self, *args, fine, **kwargs):
        kwargs.setdefault("auto_id", f"id_pay{fine.pk}_%s")
        kwargs.setdefault("initial", {"status": fine.status, "paid_at": fine.paid_at})
        super().__init__(*args, **kwargs)
        bootstrap(self)


class HotlineReplyForm(forms.Form):
    """答复 of a 12345 work order that is in a case (退单 is no longer possible once a case is open)."""

    reply = forms.CharField(label=_("答复市民要点"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    result = forms.ChoiceField(label=_("办理结果"),
                               choices=[c for c in HotlineResult.choices if c[0] != HotlineResult.RETURNED])
    satisfaction = forms.ChoiceField(label=_("满意度（回访）"), required=False,
                                     choices=[("", _("（待回访）"))] + list(Satisfaction.choices))

    def __init__(self, *args, complaint, **kwargs):
        kwargs.setdefault("auto_id", f"id_reply{complaint.pk}_%s")
        if _has_reply(complaint):
            reply = complaint.reply
            kwargs.setdefault("initial", {"reply": reply.reply, "result": reply.result,
                                          "satisfaction": reply.satisfaction})
        super().__init__(*args, **kwargs)
        bootstrap(self)


def _has_reply(complaint) -> bool:
    from intake.models import HotlineReply

    try:
        return complaint.reply is not None
    except HotlineReply.DoesNotExist:
        return False


# --- 回头看 (R3.6) -----------------------------------------------------------------------------------------

RECHECK_SHOW = [("", _("全部")), ("due", _("待回头看")), ("overdue", _("已逾期")), ("done", _("已完成"))]


class ReCheckFilterForm(forms.Form):
    show = forms.ChoiceField(label=_("状态"), choices=RECHECK_SHOW, required=False)
    mine = forms.BooleanField(label=_("仅我的案件"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ReCheckForm(forms.Form):
    """回头看的结果: photos of the site (their real type and size checked by core.uploads in the service), what was
    found, and the confirmation of a step that cannot be undone."""

    result = forms.ChoiceField(label=_("回头看结果"), choices=ReCheckResult.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("现场情况"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}), help_text=_("回潮的须写明现场情况"))
    files = MultipleFileField(label=_("现场照片"), required=True, max_files=MAX_FILES,
                              help_text=_("照片、视频、PDF 或 Office 文件，可多选"))
    confirm = forms.BooleanField(label=_("我已核实现场情况，确认提交（提交后不能更改）"), required=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_recheck_%s")
        super().__init__(*args, **kwargs)
        bootstrap(self)
