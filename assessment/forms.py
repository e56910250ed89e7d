from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from assessment.catalogue import metric_choices
from assessment.choices import AppliesTo, Direction


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("方案名称"), max_length=100)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class IndicatorForm(forms.Form):
    # an untouched extra row equals these initial values, so it is left out rather than refused
    metric = forms.ChoiceField(label=_("指标"), choices=(), initial="")
    applies_to = forms.ChoiceField(label=_("考核对象"), choices=AppliesTo.choices, initial=AppliesTo.STREET)
    direction = forms.ChoiceField(label=_("方向"), choices=Direction.choices, initial=Direction.HIGHER)
    weight = forms.IntegerField(label=_("权重（分）"), min_value=1, max_value=100)
    floor = forms.DecimalField(label=_("零分值"), max_digits=7, decimal_places=2, min_value=-1000, max_value=1000)
    target = forms.DecimalField(label=_("满分值"), max_digits=7, decimal_places=2, min_value=-1000, max_value=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "—")] + metric_choices()
        for f in self.fields.values():
            css = "form-select form-select-sm" if isinstance(f, forms.ChoiceField) else "form-control form-control-sm"
            f.widget.attrs.setdefault("class", css)
            f.widget.attrs.setdefault("aria-label", str(f.label))


IndicatorFormSet = formset_factory(IndicatorForm, extra=1, can_delete=True, max_num=20, validate_max=True)


def initial_rows(scheme) -> list[dict]:
    return [dict(metric=i.metric, applies_to=i.applies_to, direction=i.direction, weight=i.weight, floor=i.floor,
                 target=i.target) for i in scheme.indicators.all()]


def kept_rows(formset) -> list[dict]:
    """The rows of a valid formset that are filled and not marked for deletion, in order."""
    out = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE"):
            continue
        out.append({k: data[k] for k in ("metric", "applies_to", "direction", "weight", "floor", "target")})
    return out
