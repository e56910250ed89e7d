from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Metrics (投诉万人比, effectiveness), their daily aggregates, dashboards and hotspot alerts: reads every
    domain app; none of them imports it."""

    name = "analytics"
    verbose_name = "数据分析 Analytics"

    def ready(self):
        # DailyComplaintCount follows every complaint (analytics.aggregates); intake never imports analytics.
        from django.db.models.signals import post_delete, post_save, pre_save

        from analytics import aggregates
        from intake.models import Complaint, ImportBatch

        pre_save.connect(aggregates.complaint_pre_save, sender=Complaint, dispatch_uid="analytics_complaint_pre")
        post_save.connect(aggregates.complaint_post_save, sender=Complaint, dispatch_uid="analytics_complaint_post")
        post_delete.connect(aggregates.complaint_post_delete, sender=Complaint, dispatch_uid="analytics_complaint_del")
        post_save.connect(aggregates.batch_post_save, sender=ImportBatch, dispatch_uid="analytics_batch")

        # CaseStageExit follows every input of cases.indicators.stage_exits, DailyCaseCount every case (aggregates)
        from cases.models import CaseTransition, EnforcementCase, ReCheck
        from core.models import Holiday
        from registry.models import ViolationType

        post_save.connect(aggregates.transition_post_save, sender=CaseTransition, dispatch_uid="analytics_move")
        post_delete.connect(aggregates.transition_post_delete, sender=CaseTransition,
                            dispatch_uid="analytics_move_del")
        pre_save.connect(aggregates.case_pre_save, sender=EnforcementCase, dispatch_uid="analytics_case_pre")
        post_save.connect(aggregates.case_post_save, sender=EnforcementCase, dispatch_uid="analytics_case_post")
        post_delete.connect(aggregates.case_post_delete, sender=EnforcementCase, dispatch_uid="analytics_case_del")
        # 回潮 found by a 回头看 counts in the recurrence figures (cases.indicators.recurred_q)
        post_save.connect(aggregates.recheck_post_save, sender=ReCheck, dispatch_uid="analytics_recheck")
        post_save.connect(aggregates.violation_type_post_save, sender=ViolationType, dispatch_uid="analytics_type")
        pre_save.connect(aggregates.holiday_pre_save, sender=Holiday, dispatch_uid="analytics_holiday_pre")
        post_save.connect(aggregates.holiday_changed, sender=Holiday, dispatch_uid="analytics_holiday")
        post_delete.connect(aggregates.holiday_changed, sender=Holiday, dispatch_uid="analytics_holiday_del")

        # the credit ranking counts complaints per company from the daily counts (credit never imports analytics)
        from credit import selectors as credit_selectors

        credit_selectors.register_complaint_counter(aggregates.complaints_per_company)
