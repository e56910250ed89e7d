from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = "专项行动 Programmes"

    def ready(self):
        from programme import receivers  # noqa: F401  (connects to cases.signals)
