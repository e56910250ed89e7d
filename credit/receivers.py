"""Listens to the case workflow (cases.signals); the rules themselves live in credit.services.

The signals are sent inside the transaction of the case's write, so a duty check or a credit award commits or
rolls back with the filing or the fine that caused it."""
from django.dispatch import receiver

from cases.signals import case_moved, fine_became_final

FILING = "file"  # 立案 in cases.workflow.MOVES


@receiver(case_moved, dispatch_uid="credit.duty_check_on_filing")
def open_duty_check(sender, *, case, move, actor, **kwargs):
    if move.action == FILING:
        from credit import services

        services.duty_check_open(case=case, actor=actor)


@receiver(fine_became_final, dispatch_uid="credit.award_on_final_fine")
def award_credit_points(sender, *, fine, actor, **kwargs):
    from credit import services

    services.credit_award_for_fine(fine=fine, actor=actor)
