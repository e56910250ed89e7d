"""The form that asks for a bulletin: a period (a month or a quarter) and, for the bureau, a street or the whole
district (for the city bureau, which district).
Checks that need the user (whose street) are the service's (bulletins.services.bulletin_request)."""
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.periods import Period
from core.errors import ApplicationError, message_for_reader
from registry.models import District, Street

from . import services


def recent_periods(today: date | None = None, months: int = 18, quarters: int = 6) -> list[tuple[str, str]]:
    """(code, label) of the latest months and quarters, newest first: the period picker's choices."""
    today = today or timezone.localdate()
    out, year, month = [], today.year, today.month
    for _i in range(months):
        period = Period.month(year, month)
        out.append((period.code, period.label))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _i in range(quarters):
        period = Period.quarter(year, quarter)
        out.append((period.code, period.label))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return out


class BulletinForm(forms.Form):
    period = forms.CharField(label=_("统计周期"), max_length=20)
    street = forms.CharField(label=_("范围"), required=False)
    # shown only to users whose scope spans several districts (the city bureau): whose district-wide bulletin
    district = forms.CharField(label=_("区"), required=False)

    def clean_period(self):
        try:
            return services.period_of(self.cleaned_data["period"]).code
        except ApplicationError as exc:
            raise forms.ValidationError(message_for_reader(exc)) from None

    def clean_street(self):
        value = (self.cleaned_data.get("street") or "").strip()
        if not value:
            return None
        street = Street.objects.filter(pk=int(value)).first() if value.isdigit() else None
        if street is None:
            raise forms.ValidationError(_("没有该街镇"))
        return street

    def clean_district(self):
        value = (self.cleaned_data.get("district") or "").strip()
        if not value:
            return None
        district = District.objects.filter(pk=int(value)).first() if value.isdigit() else None
        if district is None:
            raise forms.ValidationError(_("没有该区"))
        return district
