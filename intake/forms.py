from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BusinessDateTimeField, MultipleFileField
from intake.choices import Channel, HotlineResult, Satisfaction
from registry.models import Community, Department, District, Street, ViolationType


class ComplaintForm(forms.Form):
    """Manual entry, patrol findings and other staff channels."""

    channel = forms.ChoiceField(label=_("来源渠道"), choices=[c for c in Channel.choices
                                                           if c[0] not in {Channel.PROPERTY_REPORT, Channel.SENSOR}])
    external_no = forms.CharField(label=_("外部编号"), required=False, max_length=64)
    received_at = BusinessDateTimeField(label=_("受理时间"), label_en="received_at", initial=timezone.now)
    address = forms.CharField(label=_("地址"), required=False, max_length=300,
                              widget=forms.TextInput(attrs={"placeholder": _("如 铜川路123弄5号")}))
    content = forms.CharField(label=_("情况描述"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    caller_name = forms.CharField(label=_("诉求人"), required=False, max_length=50)
    caller_phone = forms.CharField(label=_("联系电话"), required=False, max_length=30)
    lat = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    lng = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    photos = MultipleFileField(label=_("照片"), required=False, photos=True)

    kept_photos = forms.CharField(required=False, widget=forms.HiddenInput)  # core.drafts: photos of a failed submit

    def __init__(self, *args, channels=None, stamp_now=False, **kwargs):
        super().__init__(*args, **kwargs)
        if stamp_now:  # the patrol page: the server stamps the receipt, never a phone's clock of unknown zone
            del self.fields["received_at"]
        if channels is not None:
            self.fields["channel"].choices = [c for c in self.fields["channel"].choices if c[0] in channels]


class PropertyReportForm(forms.Form):
    """物业报告: a property company reports an owner's violation in one of its own communities."""

    community = forms.ModelChoiceField(label=_("小区"), queryset=Community.objects.none())
    address = forms.CharField(label=_("具体位置"), required=False, max_length=300,
                              widget=forms.TextInput(attrs={"placeholder": _("如 3号楼1201室")}))
    content = forms.CharField(label=_("违法行为情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    discovered_at = BusinessDateTimeField(label=_("发现时间"), label_en="discovered_at", initial=timezone.now)
    dissuaded = forms.BooleanField(label=_("已劝阻/制止"), required=False)
    photos = MultipleFileField(label=_("照片"), required=False, photos=True)
    kept_photos = forms.CharField(required=False, widget=forms.HiddenInput)  # core.drafts: photos of a failed submit

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.restrict(user, "view").order_by("name")


class CorrectTypeForm(forms.Form):
    violation_type = forms.ModelChoiceField(label=_("违法类型"), queryset=ViolationType.objects.all(),
                                            to_field_name="code")
    department = forms.ModelChoiceField(label=_("移交部门"), required=False, to_field_name="code",
                                        queryset=Department.objects.exclude(code="CHENGGUAN"),
                                        widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    reason = forms.CharField(label=_("理由"), required=False, max_length=200)


class CorrectCommunityForm(forms.Form):
    community = forms.ModelChoiceField(label=_("小区"), queryset=Community.objects.none())
    reason = forms.CharField(label=_("理由"), required=False, max_length=200)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.restrict(user, "view").select_related("street")


class MarkDuplicateForm(forms.Form):
    primary = forms.CharField(label=_("原诉件编号或ID"), max_length=64)
    reason = forms.CharField(label=_("理由"), required=False, max_length=200)


class HotlineUploadForm(forms.Form):
    file = forms.FileField(label=_("12345工单文件（CSV 或 XLSX）"))
    # Asked only of a user whose scope spans several districts (an administrator of the installation): the
    # district whose communities the orders are matched to. A district's user imports into their own.
    district = forms.ModelChoiceField(label=_("工单所属的区"), queryset=None, required=False,
                                      empty_label=_("请选择区"))

    def __init__(self, *args, choose_district: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if choose_district:
            self.fields["district"].queryset = District.objects.order_by("pk")
            self.fields["district"].required = True
        else:
            del self.fields["district"]


# --- 派单纠错: 退单, 改派街镇, 改派部门 (intake.dispatch) ---------------------------------------------

def _bootstrap(form):
    for field in form.fields.values():
        css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
        field.widget.attrs.setdefault("class", css)
    return form


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退单理由"), max_length=300, widget=forms.Textarea(attrs={
        "rows": 2, "placeholder": _("如：诉求地址位于长宁区，不属本区管辖")}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_return_%s")
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class CommunityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.street.name}）"


class RerouteStreetForm(forms.Form):
    """改派街镇: a street of the district, or (within the user's own scope) the exact community."""

    street = forms.ModelChoiceField(label=_("改派至街镇"), queryset=Street.objects.none(), required=False,
                                    empty_label=_("（请选择）"))
    community = CommunityChoiceField(label=_("或指定小区（选填）"), queryset=Community.objects.none(), required=False,
                                     empty_label=_("（不指定）"))
    reason = forms.CharField(label=_("改派理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        from accounts.scope import reroute_street_q

        kwargs.setdefault("auto_id", "id_street_%s")
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = Street.objects.filter(reroute_street_q(user)).order_by("code", "name")
        self.fields["community"].queryset = (Community.objects.restrict(user, "view").select_related("street")
                                             .order_by("street__code", "name"))
        _bootstrap(self)

    def clean(self):
        data = super().clean()
        street, community = data.get("street"), data.get("community")
        if street is None and community is None and not self.errors:
            raise forms.ValidationError(_("请选择改派的街镇或小区"))
        if street is not None and community is not None and community.street_id != street.pk:
            raise forms.ValidationError(_("所选小区不属于所选街镇"))
        return data


class RerouteDepartmentForm(forms.Form):
    department = forms.ModelChoiceField(label=_("移交至部门"), queryset=Department.objects.none(), to_field_name="code",
                                        empty_label=_("（请选择）"))
    reason = forms.CharField(label=_("理由"), max_length=300, widget=forms.Textarea(attrs={
        "rows": 2, "placeholder": _("如：系物业服务纠纷，属房管部门职责")}))

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("auto_id", "id_department_%s")
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.restrict(user, "view").exclude(code="CHENGGUAN")
        _bootstrap(self)


class SettleForm(forms.Form):
    """办结（未立案）: what was done; a 12345 order also its result and, when known, the caller's satisfaction."""

    reply = forms.CharField(label=_("办理情况（答复市民要点）"), max_length=2000, widget=forms.Textarea(attrs={
        "rows": 2, "placeholder": _("如：经现场核查劝导，当事人已当场清理楼道堆物")}))
    result = forms.ChoiceField(label=_("办理结果"), choices=[])
    satisfaction = forms.ChoiceField(label=_("满意度（回访）"), required=False, choices=[])

    def __init__(self, *args, hotline=True, **kwargs):
        kwargs.setdefault("auto_id", "id_settle_%s")
        super().__init__(*args, **kwargs)
        if hotline:
            self.fields["result"].choices = [c for c in HotlineResult.choices if c[0] != HotlineResult.RETURNED]
            self.fields["satisfaction"].choices = [("", _("（待回访）"))] + list(Satisfaction.choices)
        else:  # only 12345 orders are answered to a caller
            del self.fields["result"], self.fields["satisfaction"]
        _bootstrap(self)
