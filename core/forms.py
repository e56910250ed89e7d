"""Form fields shared by every app."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import dates
from core.errors import ApplicationError, message_for_reader
from core.uploads import MAX_PHOTO_BYTES, upload_check


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files (at most `max_files`), cleaned to a list. With `photos=True` each one is checked at once
    as a photo (core.uploads.upload_check: real type, name, size); other files are checked by the service that
    stores them, which every path (page, API) goes through."""

    widget = MultipleFileInput

    def __init__(self, *args, max_files: int | None = None, photos: bool = False, **kwargs):
        self.max_files, self.photos = max_files, photos
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if self.max_files is not None and len(files) > self.max_files:
            raise forms.ValidationError(_("一次最多上传 %(n)s 个文件"), params={"n": self.max_files})
        single = super().clean
        cleaned = [single(f, initial) for f in files]
        if self.photos:
            for f in cleaned:
                try:
                    upload_check(f, max_bytes=MAX_PHOTO_BYTES, photos_only=True)
                except ApplicationError as exc:
                    raise forms.ValidationError(message_for_reader(exc)) from None
        return cleaned


# --- dates and times: the browser's own pickers, read as Asia/Shanghai, kept in the plausible range ---------------

class BoundedDateInput(forms.DateInput):
    """<input type="date"> with the value as YYYY-MM-DD (the only form the browser shows) and min/max from the
    plausible range of its kind (core.dates), computed when the page is drawn."""

    input_type = "date"

    def __init__(self, attrs=None, kind: str = dates.PAST):
        self.kind = kind
        super().__init__(attrs, format="%Y-%m-%d")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        low, high = dates.date_bounds(self.kind)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.setdefault("min", low.isoformat())
        widget_attrs.setdefault("max", high.isoformat())
        return context


class BoundedDateTimeInput(forms.DateTimeInput):
    """<input type="datetime-local"> with the value as YYYY-MM-DDTHH:MM (any other form leaves it blank) and
    min/max from the plausible range of its kind, in Asia/Shanghai wall-clock time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None, kind: str = dates.PAST):
        self.kind = kind
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        low, high = (timezone.localtime(t) for t in dates.datetime_bounds(self.kind))
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.setdefault("min", low.strftime("%Y-%m-%dT%H:%M"))
        widget_attrs.setdefault("max", high.strftime("%Y-%m-%dT%H:%M"))
        return context


class _Business:
    """A business date or time (core.dates kind PAST or DUE), refused outside its plausible range by `check`."""

    check = staticmethod(dates.date_check)
    widget_class = BoundedDateInput
    label_zh, default_label_en = "日期", "date"

    def __init__(self, *args, kind: str = dates.PAST, label_en: str = "", **kwargs):
        self.kind, self.label_en = kind, label_en or self.default_label_en
        kwargs.setdefault("widget", self.widget_class(kind=kind))
        super().__init__(*args, **kwargs)

    def validate(self, value):
        super().validate(value)
        try:
            self.check(value, kind=self.kind, label=_source(self.label) or self.label_zh, label_en=self.label_en)
        except ApplicationError as exc:
            raise forms.ValidationError(message_for_reader(exc), code="out_of_range") from None


class BusinessDateField(_Business, forms.DateField):
    """A business date refused outside its plausible range."""


class BusinessDateTimeField(_Business, forms.DateTimeField):
    """A business time typed as Asia/Shanghai wall-clock time (a value with an offset is converted), refused
    outside its plausible range."""

    check = staticmethod(dates.datetime_check)
    widget_class = BoundedDateTimeInput
    label_zh, default_label_en = "时间", "time"


def _source(label) -> str:
    """The Chinese source of a (lazily translated) label: the refusal carries its own English."""
    from django.utils import translation

    with translation.override(None):
        return str(label or "")
