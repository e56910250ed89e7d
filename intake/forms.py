from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.choices import Channel
from registry.models import Community, Department, ViolationType

MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/heic"}


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiFileField(forms.FileField):
    widget = MultiFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultiFileField, self).clean(f, initial) for f in files]
        for f in cleaned:
            if f.size > MAX_PHOTO_BYTES:
                raise forms.ValidationError(_("照片“%(name)s”超过10MB / photo too large"), params={"name": f.name})
            head = f.read(12)
            f.seek(0)
            if not _is_image(head):
                raise forms.ValidationError(_("“%(name)s”不是图片文件 / not an image"), params={"name": f.name})
        return cleaned


def _is_image(head: bytes) -> bool:
    return (head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG") or head[8:12] == b"WEBP"
            or head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"))


class ComplaintForm(forms.Form):
    """Manual entry, patrol findings and other staff channels."""

    channel = forms.ChoiceField(label=_("来源渠道"), choices=[c for c in Channel.choices
                                                           if c[0] not in {Channel.PROPERTY_REPORT, Channel.SENSOR}])
    external_no = forms.CharField(label=_("外部编号"), required=False, max_length=64)
    received_at = forms.DateTimeField(label=_("受理时间"), initial=timezone.now,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    address = forms.CharField(label=_("地址"), required=False, max_length=300,
                              widget=forms.TextInput(attrs={"placeholder": "如 铜川路123弄5号"}))
    content = forms.CharField(label=_("情况描述"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    caller_name = forms.CharField(label=_("诉求人"), required=False, max_length=50)
    caller_phone = forms.CharField(label=_("联系电话"), required=False, max_length=30)
    lat = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    lng = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    photos = MultiFileField(label=_("照片"), required=False)

    def __init__(self, *args, channels=None, **kwargs):
        super().__init__(*args, **kwargs)
        if channels is not None:
            self.fields["channel"].choices = [c for c in self.fields["channel"].choices if c[0] in channels]


class PropertyReportForm(forms.Form):
    """物业报告: a property company reports an owner's violation in one of its own communities."""

    community = forms.ModelChoiceField(label=_("小区"), queryset=Community.objects.none())
    address = forms.CharField(label=_("具体位置"), required=False, max_length=300,
                              widget=forms.TextInput(attrs={"placeholder": "如 3号楼1201室"}))
    content = forms.CharField(label=_("违法行为情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    discovered_at = forms.DateTimeField(label=_("发现时间"), initial=timezone.now,
                                        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    dissuaded = forms.BooleanField(label=_("已劝阻/制止"), required=False)
    photos = MultiFileField(label=_("照片"), required=False)

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
