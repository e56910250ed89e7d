from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = "专项行动 Programmes"

    def ready(self):
        from cases import hooks
        from programme import receivers  # connects to cases.signals

        hooks.register_related_records(receivers.case_related_records)
