"""Listens to the case workflow (cases.signals): closing a case closes its inventory items, reopening it
(回潮) puts them back 在办. The rule itself is programme.services.structures_follow_case; the signal is sent
inside the case's transaction, so the items change with the case or not at all."""
from django.dispatch import receiver

from cases.signals import case_moved


@receiver(case_moved, dispatch_uid="programme.structures_follow_case")
def follow_case(sender, case, move, source, actor, **kwargs):
    from programme import services

    services.structures_follow_case(case=case, move=move, actor=actor)


# --- What programme adds to the case page (cases.hooks), registered in ProgrammeConfig.ready() -----------------

def case_related_records(user, case) -> dict:
    """The illegal-construction inventory items the case handles, and whether the user may register one from it
    (programme.services.may_change_in: the inventory's own rule)."""
    from accounts.scope import NOTHING
    from cases.choices import CaseState
    from programme import rules as programme_rules
    from programme import services as programme_services
    from programme.models import IllegalStructure

    may_register = (case.violation_type.code == programme_rules.VIOLATION_TYPE
                    and case.state != CaseState.REFERRED
                    and (programme_services.may_change_in(user, case.community) if case.community_id
                         else IllegalStructure.scope_q(user, "change") != NOTHING))
    return {
        "structures": list(IllegalStructure.objects.restrict(user, "view").filter(case=case).order_by("number")),
        "tracks_structures": case.violation_type.code == programme_rules.VIOLATION_TYPE,
        "may_register_structure": may_register,
    }
