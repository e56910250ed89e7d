from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = "物业履职与信用 Property credit"

    def ready(self):
        from credit import receivers  # noqa: F401  (connects to cases.signals)
