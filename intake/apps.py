from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "诉件受理 Intake"

    def ready(self):
        # the community page shows the community's complaints (registry, below intake, offers the hook)
        from intake import selectors
        from registry import hooks

        hooks.register_community_panel(selectors.community_panel, order=10)
        # the queue's export, large ones as a background job (core.exports)
        from core import exports as core_exports
        from intake import exports

        core_exports.register(exports.KIND)
