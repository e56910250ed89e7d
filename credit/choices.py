from django.db import models
from django.utils.translation import gettext_lazy as _


class DutyOutcome(models.TextChoices):
    PENDING = "PENDING", _("待认定")
    FULFILLED = "FULFILLED", _("已履职")
    FAILED = "FAILED", _("未履职")


class Subject(models.TextChoices):
    COMPANY = "COMPANY", _("物业企业")
    MANAGER = "MANAGER", _("项目经理")


class DisputeStatus(models.TextChoices):
    LODGED = "LODGED", _("待处理")
    UPHELD = "UPHELD", _("异议成立，已修正")
    REJECTED = "REJECTED", _("异议不成立")


class NoticeKind(models.TextChoices):
    """Kinds of the in-app notices (accounts.Notification.kind) this app sends."""

    DUTY_CHECK_OPENED = "duty_check_opened", _("履职检查待说明")
    DUTY_CHECK_ANSWERED = "duty_check_answered", _("企业已说明")
    DUTY_CHECK_DECIDED = "duty_check_decided", _("履职检查已认定")
    CREDIT_AWARDED = "credit_awarded", _("失信记分")
    COMPANY_LISTED = "company_listed", _("列入联合信用惩戒名单")
    LISTING_REMOVED = "listing_removed", _("移出联合信用惩戒名单")
    DISPUTE_LODGED = "dispute_lodged", _("信用记分异议")
    DISPUTE_DECIDED = "dispute_decided", _("异议处理结果")
