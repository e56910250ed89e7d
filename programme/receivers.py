"""Listens to the case workflow (cases.signals): closing a case closes its inventory items, reopening it
(回潮) puts them back 在办. The rule itself is programme.services.structures_follow_case; the signal is sent
inside the case's transaction, so the items change with the case or not at all."""
from django.dispatch import receiver

from cases.signals import case_moved


@receiver(case_moved, dispatch_uid="programme.structures_follow_case")
def follow_case(sender, case, move, source, actor, **kwargs):
    from programme import services

    services.structures_follow_case(case=case, move=move, actor=actor)
