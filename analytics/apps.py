from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Metrics (投诉万人比, effectiveness), their daily aggregates, dashboards and hotspot alerts: reads every
    domain app; none of them imports it."""

    name = "analytics"
    verbose_name = "数据分析 Analytics"
