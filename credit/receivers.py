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


# --- What credit adds to the case page (cases.hooks), registered in CreditConfig.ready() -----------------------

def case_related_records(user, case) -> dict:
    """The duty check the case's filing opened on the property company; for a negligence case the check it came
    from and the credit points its final fine gave; whether the companies' credit pages open for the user."""
    from accounts import policy
    from credit.models import CreditRecord, DutyCheck

    checks = DutyCheck.objects.restrict(user, "view").select_related("company", "case")
    return {
        "duty_check": checks.filter(case=case).first(),
        "negligence_of": checks.filter(negligence_case=case).first(),
        "credit_records": list(CreditRecord.objects.restrict(user, "view").filter(case=case)
                               .select_related("company", "project_manager").order_by("pk")),
        "company_credit_pages": policy.may(user, policy.CREDIT_OVERVIEW),
    }


def fine_gives_credit(case) -> bool:
    """A final fine of a negligence case puts credit points on the company (credit.services.credit_award_for_fine)."""
    from credit.services import NEGLIGENCE_TYPE

    return case.violation_type.code == NEGLIGENCE_TYPE
