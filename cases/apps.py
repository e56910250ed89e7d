from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "执法办案 Cases"
