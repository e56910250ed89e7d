from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """Annual assessment (年度考核) of streets and departments: configured indicators and weights over analytics'
    metrics, scores and rankings."""

    name = "assessment"
    verbose_name = "年度考核 Assessment"
