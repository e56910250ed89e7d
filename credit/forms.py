"""Forms of the credit pages: the duty-check list filter, the company's answer, the bureau's decision,
attachments, disputes (异议) and their decision, and removing a company from the punishment list.

Forms only check what a form can see (required fields, one choice); every rule that needs the record
(deadline, scope, state) is the service's, which refuses with a message the page shows."""
import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.forms import MAX_FILES, bootstrap
from core.forms import MultipleFileField
from credit import selectors
from credit.choices import DutyOutcome
from credit.models import CreditRule, DutyCheck
from registry.models import PropertyCompany, Street

# The four duties of 《上海市住宅物业管理规定》 as the pages show them: field, label, what it means.
DUTIES = [
    ("discovered", _("发现"), _("是否及时发现业主的违法行为")),
    ("dissuaded", _("劝阻"), _("是否对当事人进行劝阻")),
    ("stopped", _("制止"), _("劝阻无效时是否予以制止")),
    ("reported", _("报告"), _("制止无效时是否及时向城管执法等部门报告")),
]
DUTY_FIELDS = [name for name, _label, _help in DUTIES]
YES_NO = [("", _("未说明")), ("true", _("是")), ("false", _("否"))]


def style(form):
    """cases.forms.bootstrap, with radio buttons as Bootstrap check inputs."""
    bootstrap(form)
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect):
            field.widget.attrs["class"] = "form-check-input"
    return form


def _tri(value):
    return {"true": True, "false": False}.get(value)


class DutyField(forms.TypedChoiceField):
    """是 / 否 / 未说明 for one duty (None when not stated)."""

    def __init__(self, label, help_text, **kwargs):
        super().__init__(label=label, help_text=help_text, choices=YES_NO, coerce=_tri, empty_value=None,
                         required=False, widget=forms.RadioSelect, **kwargs)


def _duty_fields():
    return {name: DutyField(label, help_text) for name, label, help_text in DUTIES}


# --- the list ----------------------------------------------------------------------------------

def _streets(request):
    return Street.objects.restrict(request.user, "view") if request else Street.objects.none()


def _companies(request):
    if request is None:
        return PropertyCompany.objects.none()
    visible = DutyCheck.objects.restrict(request.user, "view").values("company_id")
    return PropertyCompany.objects.restrict(request.user, "view").filter(pk__in=visible).order_by("name")


class DutyCheckFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    street = django_filters.ModelChoiceFilter(queryset=_streets, label=_("街镇"), empty_label=_("全部街镇"))
    company = django_filters.ModelChoiceFilter(queryset=_companies, label=_("物业企业"), empty_label=_("全部企业"))
    outcome = django_filters.ChoiceFilter(choices=DutyOutcome.choices, label=_("认定结果"), empty_label=_("全部结果"))
    overdue = django_filters.BooleanFilter(method="by_overdue", label=_("逾期未说明"), widget=forms.CheckboxInput)
    pending = django_filters.BooleanFilter(method="by_pending", label=_("待认定"), widget=forms.CheckboxInput)

    class Meta:
        model = DutyCheck
        fields = ["q", "street", "company", "outcome", "overdue", "pending"]

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(case__number__icontains=value) | Q(community__name__icontains=value)
                               | Q(company__name__icontains=value) | Q(case__summary__icontains=value))

    def by_overdue(self, queryset, name, value):
        return queryset.filter(selectors.DUTY_CHECK_FILTERS["answer_overdue"](True)) if value else queryset

    def by_pending(self, queryset, name, value):
        return queryset.filter(outcome=DutyOutcome.PENDING) if value else queryset

    @property
    def qs(self):
        """Pending checks are work owed: the ones waiting longest come first."""
        qs = super().qs
        data = getattr(self.form, "cleaned_data", {})
        if data.get("pending") or data.get("outcome") == DutyOutcome.PENDING:
            qs = qs.order_by("created_at", "pk")
        return qs


# --- the company's answer, the bureau's decision, files -----------------------------------------

class DutyAnswerForm(forms.Form):
    """企业情况说明: what it did about the owner's violation, per duty, with its files."""

    statement = forms.CharField(label=_("情况说明"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
                                help_text=_("何时发现、如何劝阻和制止、何时向谁报告；可附照片、告知书、报告回执等"))
    files = MultipleFileField(label=_("证明材料"), required=False, max_files=MAX_FILES)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_answer_%s")
        super().__init__(*args, **kwargs)
        duties = _duty_fields()
        self.fields = {**duties, **self.fields}
        style(self)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"statement": data["statement"], "files": data["files"],
                **{name: data[name] for name in DUTY_FIELDS}}


class DutyDecisionForm(forms.Form):
    """认定: fulfilled, or failed with the reasons and the kind of failure from the points table."""

    outcome = forms.ChoiceField(label=_("认定结果"), widget=forms.RadioSelect,
                                choices=[(DutyOutcome.FULFILLED, _("已履职")),
                                         (DutyOutcome.FAILED, _("未履职（立物业未履职案件）"))])
    failure_rule = forms.ModelChoiceField(label=_("失信行为（记分标准）"), required=False,
                                          queryset=CreditRule.objects.filter(active=True),
                                          empty_label=_("— 未履职时必选 —"))
    reasons = forms.CharField(label=_("认定理由"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, check=None, **kwargs):
        kwargs.setdefault("auto_id", "id_decide_%s")
        super().__init__(*args, **kwargs)
        duties = _duty_fields()
        for name, field in duties.items():
            field.help_text = ""
            if check is not None and not self.is_bound:
                field.initial = {True: "true", False: "false"}.get(getattr(check, name))
        self.fields = {**duties, **self.fields}
        style(self)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == DutyOutcome.FAILED and not data.get("failure_rule"):
            self.add_error("failure_rule", _("认定未履职须选择失信行为"))
        if data.get("outcome") == DutyOutcome.FULFILLED:
            data["failure_rule"] = None
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"outcome": data["outcome"], "reasons": data["reasons"], "failure_rule": data["failure_rule"],
                **{name: data[name] for name in DUTY_FIELDS}}


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("文件"))
    description = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_attach_%s")
        super().__init__(*args, **kwargs)
        style(self)


# --- disputes and the punishment list ------------------------------------------------------------

class DisputeForm(forms.Form):
    reason = forms.CharField(label=_("异议理由"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("说明记分有误的事实和依据"))

    def __init__(self, *args, record=None, **kwargs):
        if record is not None:
            kwargs.setdefault("auto_id", f"id_dispute{record.pk}_%s")
        super().__init__(*args, **kwargs)
        style(self)


class DisputeDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(label=_("处理结果"), widget=forms.RadioSelect, coerce=_tri,
                                    choices=[("true", _("异议成立，修正记分")), ("false", _("异议不成立，维持记分"))])
    decision = forms.CharField(label=_("处理意见"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, dispute=None, **kwargs):
        if dispute is not None:
            kwargs.setdefault("auto_id", f"id_decide{dispute.pk}_%s")
        super().__init__(*args, **kwargs)
        style(self)


class ListingRemoveForm(forms.Form):
    reason = forms.CharField(label=_("移出理由"), max_length=300)

    def __init__(self, *args, listing=None, **kwargs):
        if listing is not None:
            kwargs.setdefault("auto_id", f"id_remove{listing.pk}_%s")
        super().__init__(*args, **kwargs)
        style(self)
