from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = "物业履职与信用 Property credit"

    def ready(self):
        from cases import hooks
        from credit import receivers  # connects to cases.signals

        hooks.register_related_records(receivers.case_related_records)
        hooks.register_fine_gives_credit(receivers.fine_gives_credit)
