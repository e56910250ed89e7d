from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "执法办案 Cases"

    def ready(self):
        # What cases does for a complaint, offered to intake (below cases) through its hooks.
        from cases import referrals
        from intake import hooks

        hooks.register_referral_desk(send=referrals.referral_send,
                                     withdraw_pending=referrals.complaint_referrals_withdraw)
        # the community page shows the community's cases (registry, below cases, offers the hook)
        from cases import selectors
        from registry import hooks as registry_hooks

        registry_hooks.register_community_panel(selectors.community_panel, order=20)
        # the case list's export, large ones as a background job (core.exports)
        from cases import exports
        from core import exports as core_exports

        core_exports.register(exports.export_kind())
