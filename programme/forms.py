"""Forms of the inventory pages: the list's filters, the item form, the status form, linking or opening a case,
and the upload. The forms only collect input; programme.services decides."""
import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import scope
from accounts.choices import Role
from accounts.models import User
from core import dates
from core.forms import BusinessDateField
from programme import rules, selectors
from programme.choices import StructureKind, StructureMaterial, StructureStatus
from programme.models import IllegalStructure
from registry.choices import Measure
from registry.models import Community, Street

STATUS_GROUPS = [("remaining", _("未销项（存量+在办）")), ("cleared", _("已销项"))]


def bootstrap(form):
    """Bootstrap classes on every widget, so templates can render `{{ field }}` as is."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif not isinstance(widget, forms.HiddenInput):
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form


def _streets(request):
    return Street.objects.restrict(request.user, "view") if request else Street.objects.none()


def _communities(request):
    """Communities that have items the user sees (the filter would otherwise list the whole district)."""
    if request is None:
        return Community.objects.none()
    having = IllegalStructure.objects.restrict(request.user, "view").values("community_id")
    return Community.objects.filter(pk__in=having).select_related("street").order_by("street__code", "name")


class StructureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    street = django_filters.ModelChoiceFilter(queryset=_streets, label=_("街镇"), empty_label=_("全部街镇"))
    community = django_filters.ModelChoiceFilter(queryset=_communities, label=_("小区"), empty_label=_("全部小区"))
    status = django_filters.ChoiceFilter(choices=STATUS_GROUPS + list(StructureStatus.choices), method="by_status",
                                         label=_("状态"), empty_label=_("全部状态"))
    kind = django_filters.ChoiceFilter(choices=StructureKind.choices, label=_("类别"), empty_label=_("全部类别"))
    overdue = django_filters.BooleanFilter(method="by_overdue", label=_("超期未销项"), widget=forms.CheckboxInput)

    class Meta:
        model = IllegalStructure
        fields = ["q", "street", "community", "status", "kind", "overdue"]

    def search(self, queryset, name, value):
        return selectors.search(queryset, value)

    def by_status(self, queryset, name, value):
        return selectors.with_status(queryset, value)

    def by_overdue(self, queryset, name, value):
        return queryset.filter(selectors.overdue_q()) if value else queryset


def community_choices(user) -> list:
    """The communities the user may register items in, grouped by street."""
    communities = (Community.objects.filter(scope.inventory_q(user, "change")).select_related("street")
                   .order_by("street__code", "street__name", "name"))
    groups: dict[str, list] = {}
    for community in communities:
        groups.setdefault(community.street.name, []).append((community.pk, community.name))
    return [("", "—————")] + list(groups.items())


MEASURE_CHOICES = [("", "—")] + [(code, Measure(code).label) for code in
                                 dict.fromkeys(rules.MEASURES_BY_KIND["EXISTING"] + rules.MEASURES_BY_KIND["NEW"])]


class StructureForm(forms.Form):
    community = forms.TypedChoiceField(label=_("小区"), coerce=int)
    location = forms.CharField(label=_("具体位置"), max_length=200,
                               help_text=_("楼号、室号、部位，如 12号楼 屋顶"))
    kind = forms.ChoiceField(label=_("类别"), choices=StructureKind.choices, initial=StructureKind.EXISTING)
    found_on = BusinessDateField(label=_("发现日期"), label_en="found_on")
    area_m2 = forms.DecimalField(label=_("面积（㎡）"), max_digits=9, decimal_places=2,
                                 widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}))
    material = forms.ChoiceField(label=_("结构"), choices=StructureMaterial.choices)
    measure = forms.ChoiceField(label=_("处置措施"), choices=MEASURE_CHOICES, required=False,
                                help_text=_("正在搭建的：制止、拆除、罚款；存量：责令改正、恢复原状、罚款、注记、拆除"))
    target_date = BusinessDateField(label=_("计划完成日期"), required=False, kind=dates.DUE, label_en="target_date")
    owner_hint = forms.CharField(label=_("当事人（户）"), max_length=100, required=False,
                                 help_text=_("如 5号楼601室业主"))
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, item: IllegalStructure | None = None, **kwargs):
        if item is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(item, name) for name in
                                 ("location", "kind", "found_on", "area_m2", "material", "measure", "target_date",
                                  "owner_hint", "note")} | {"community": item.community_id}
        super().__init__(*args, **kwargs)
        choices = community_choices(user)
        if item is not None and not any(item.community_id == pk for _street, group in choices[1:]
                                        for pk, _name in group):
            choices.append((item.street.name, [(item.community_id, item.community.name)]))
        self.fields["community"].choices = choices
        self.fields["found_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if item is not None and item.case_id:
            self.fields["community"].disabled = True
            self.fields["community"].help_text = _("已关联案件，不能改换小区")
        bootstrap(self)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["community"] = Community.objects.get(pk=data["community"])
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("新状态"))
    cleared_on = BusinessDateField(label=_("销项日期"), required=False, help_text=_("不填为今天"),
                                   label_en="cleared_on")
    measure = forms.ChoiceField(label=_("处置措施"), choices=MEASURE_CHOICES, required=False,
                                help_text=_("不填按状态：已拆除→拆除，已注记→注记，已整改→恢复原状"))
    reason = forms.CharField(label=_("说明"), max_length=100, required=False,
                             help_text=_("重新打开已销项条目时必填"))

    def __init__(self, *args, item: IllegalStructure, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = rules.STATUS_MOVES[item.status]
        self.fields["status"].choices = [("", _("请选择"))] + [
            (v, label) for v, label in StructureStatus.choices if v in allowed]
        self.fields["cleared_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        bootstrap(self)


class LinkCaseForm(forms.Form):
    case_number = forms.CharField(label=_("案件编号"), max_length=32, help_text=_("违法搭建案件，如 AJ2026-000123"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_number"].widget.attrs["placeholder"] = "AJ2026-000123"
        bootstrap(self)


class OpenCaseForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("承办队员"), queryset=User.objects.none(), required=False,
                                     empty_label=_("（本人或暂不指派）"))
    summary = forms.CharField(label=_("案情摘要"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("不填则由台账信息生成"))

    def __init__(self, *args, item: IllegalStructure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = User.objects.filter(role=Role.OFFICER, is_active=True,
                                                              streets=item.street_id).order_by("username")
        bootstrap(self)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("台账文件（CSV 或 XLSX）"))


# --- campaigns 专项行动 ------------------------------------------------------------------------------------

class TaskForm(forms.Form):
    """A new task: one owner, a department or a street of the campaign."""

    title = forms.CharField(label=_("任务"), max_length=200)
    detail = forms.CharField(label=_("要求"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    owner_department = forms.ModelChoiceField(label=_("责任部门"), queryset=None, required=False)
    owner_street = forms.ModelChoiceField(label=_("责任街镇"), queryset=None, required=False)
    assisting = forms.ModelMultipleChoiceField(label=_("配合部门"), queryset=None, required=False,
                                               widget=forms.SelectMultiple(attrs={"size": 4}))
    phase = forms.ModelChoiceField(label=_("阶段"), queryset=None, required=False)
    problem = forms.ModelChoiceField(label=_("对应问题"), queryset=None, required=False)
    starts_on = BusinessDateField(label=_("开始日期"), kind=dates.DUE, label_en="start date")
    working_days = forms.IntegerField(label=_("时限（工作日）"), min_value=1, max_value=1000,
                                      help_text=_("完成期限按工作日计算，节假日不计"))

    def __init__(self, *args, campaign, user, **kwargs):
        from programme import services
        from registry.models import Department

        super().__init__(*args, **kwargs)
        departments = Department.objects.exclude(code="STREET").order_by("pk")
        self.fields["owner_department"].queryset = departments
        self.fields["assisting"].queryset = departments
        self.fields["owner_street"].queryset = Street.objects.filter(
            pk__in=[s.pk for s in services.campaign_streets(campaign)]).order_by("code", "name")
        self.fields["phase"].queryset = campaign.phases.order_by("order")
        self.fields["problem"].queryset = selectors.problem_list(user=user, campaign=campaign)
        bootstrap(self)

    def clean(self):
        data = super().clean()
        if bool(data.get("owner_department")) == bool(data.get("owner_street")):
            raise forms.ValidationError(_("请指定一个责任部门或一个责任街镇"))
        return data


class ProblemForm(forms.Form):
    """A survey finding (排摸发现) entered by hand."""

    title = forms.CharField(label=_("问题"), max_length=200)
    detail = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    street = forms.ModelChoiceField(label=_("街镇"), queryset=None)
    community = forms.ModelChoiceField(label=_("小区"), queryset=None, required=False)

    def __init__(self, *args, campaign, user, **kwargs):
        from programme import services

        super().__init__(*args, **kwargs)
        streets = [s.pk for s in services.campaign_streets(campaign)]
        if scope.role_of(user) in scope.STREET_SCOPED:
            streets = [pk for pk in streets if pk in scope.street_ids(user)]
        self.fields["street"].queryset = Street.objects.filter(pk__in=streets).order_by("code", "name")
        self.fields["community"].queryset = Community.objects.filter(street_id__in=streets).order_by("name")
        bootstrap(self)


class ProgressForm(forms.Form):
    """A task's progress, its note and its linked cases (numbers, one a line or separated by commas)."""

    progress = forms.IntegerField(label=_("进度（%）"), min_value=0, max_value=100)
    note = forms.CharField(label=_("进展情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    case_numbers = forms.CharField(label=_("关联案件"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text=_("案件编号，每行一个或以逗号分隔"))
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def numbers(self) -> list[str]:
        import re

        return [n for n in re.split(r"[\s,，、]+", self.cleaned_data.get("case_numbers") or "") if n]
