import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.api import IdFilter
from core.filtersets import FigureFiltersMixin
from intake.choices import OPEN_STATUSES, RESIDENT_CHANNELS, Channel, ComplaintStatus
from intake.models import Complaint
from intake.selectors import DUE_SOON, OVERDUE, due_soon_q, overdue_q, text_filter
from registry.models import Street, ViolationType

OPEN = "OPEN"  # every status still waiting for someone: the queue's default (intake.views)
STATUS_CHOICES = [(OPEN, _("未办结（全部）")), *ComplaintStatus.choices]
DUE_CHOICES = [(OVERDUE, _("超期")), (DUE_SOON, _("临期（2个工作日内到期）"))]
SORTS = {
    "due": (F("due_date").asc(nulls_last=True), "-received_at"),         # 办理时限 soonest first
    "received": ("-received_at",),                                       # newest first
}
SORT_CHOICES = [("due", _("按办理时限")), ("received", _("按受理时间（新→旧）"))]
# 渠道类别: residents' complaints (counted in 投诉万人比) or the bureau's findings and property reports
RESIDENT, OTHER = "resident", "other"
CHANNEL_GROUPS = [(RESIDENT, _("居民投诉（12345、社区工作室、媒体、人工录入）")),
                  (OTHER, _("巡查、感知、检查、督察和物业报告"))]
CONFIDENCE_BANDS = [("low", _("低（<50%）")), ("mid", _("中（50–80%）")), ("high", _("高（≥80%）"))]


def _streets(request):
    return Street.objects.restrict(request.user, "view") if request else Street.objects.none()


class ComplaintFilter(FigureFiltersMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("渠道"), empty_label=_("全部渠道"))
    channel_group = django_filters.ChoiceFilter(choices=CHANNEL_GROUPS, method="by_group", label=_("渠道类别"),
                                                empty_label=_("全部类别"))
    violation_type = django_filters.ModelChoiceFilter(queryset=ViolationType.objects.all(), to_field_name="code",
                                                      label=_("类型"), empty_label=_("全部类型"))
    street = django_filters.ModelChoiceFilter(queryset=_streets, label=_("街镇"), empty_label=_("全部街镇"))
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="by_status", label=_("状态"),
                                         empty_label=_("全部状态"))
    confidence = django_filters.ChoiceFilter(choices=CONFIDENCE_BANDS, method="band", label=_("置信度"),
                                             empty_label=_("全部置信度"))
    needs_consultation = django_filters.BooleanFilter(label=_("需会诊"))
    # the community page's link; the API's id rule (a positive 64-bit id, documented in the schema as such)
    community = IdFilter(field_name="community_id", label=_("小区"))
    due = django_filters.ChoiceFilter(choices=DUE_CHOICES, method="by_due", label=_("办理时限"),
                                      empty_label=_("全部时限"))
    sort = django_filters.ChoiceFilter(choices=SORT_CHOICES, method="by_sort", label=_("排序"),
                                       empty_label=_("按置信度（低→高）"))
    received_after = django_filters.DateFilter(field_name="received_at", lookup_expr="date__gte", label=_("起始日期"))
    received_before = django_filters.DateFilter(field_name="received_at", lookup_expr="date__lte", label=_("截止日期"))

    class Meta:
        model = Complaint
        fields = ["q", "channel", "violation_type", "street", "status", "confidence", "needs_consultation", "due",
                  "community"]

    # the filters an analytics figure's link sets (analytics.metrics): kept as hidden inputs and shown on the list
    FIGURE_FILTERS = ("channel_group", "received_after", "received_before")

    def search(self, queryset, name, value):
        return text_filter(queryset, value)

    def by_due(self, queryset, name, value):
        return queryset.filter({OVERDUE: overdue_q, DUE_SOON: due_soon_q}[value]())

    def by_group(self, queryset, name, value):
        resident = Q(channel__in=list(RESIDENT_CHANNELS))
        return queryset.filter(resident if value == RESIDENT else ~resident)

    def by_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS[value])

    def by_status(self, queryset, name, value):
        return queryset.filter(status__in=OPEN_STATUSES) if value == OPEN else queryset.filter(status=value)

    def band(self, queryset, name, value):
        return {
            "low": queryset.filter(confidence__lt=0.5),
            "mid": queryset.filter(confidence__gte=0.5, confidence__lt=0.8),
            "high": queryset.filter(confidence__gte=0.8),
        }.get(value, queryset)
