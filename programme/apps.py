from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = "专项行动 Programmes"

    def ready(self):
        from cases import hooks
        from programme import receivers  # connects to cases.signals

        hooks.register_related_records(receivers.case_related_records)
        # the community page shows the community's inventory items (registry offers the hook)
        from programme import selectors
        from registry import hooks as registry_hooks

        registry_hooks.register_community_panel(selectors.community_panel, order=30)
