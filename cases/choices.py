from django.db import models
from django.utils.translation import gettext_lazy as _

# The referral's statuses and the 12345 reply's result and satisfaction belong with the complaint (intake, below
# cases), which reacts to them; named here too for the case code that already reads them from cases.choices.
from intake.choices import REFERRAL_ENDED, HotlineResult, ReferralStatus, Satisfaction  # noqa: F401


class CaseState(models.TextChoices):
    REGISTERED = "REGISTERED", _("线索登记")
    VERIFYING = "VERIFYING", _("核查")
    FILED = "FILED", _("立案")
    INVESTIGATING = "INVESTIGATING", _("调查取证")
    DECIDED = "DECIDED", _("处理决定")
    RECTIFYING = "RECTIFYING", _("整改期限")
    REVIEWING = "REVIEWING", _("复查")
    CLOSED = "CLOSED", _("结案")
    REFERRED = "REFERRED", _("移交")


TERMINAL = {CaseState.CLOSED, CaseState.REFERRED}


class PartyRole(models.TextChoices):
    OWNER = "OWNER", _("业主")
    USER = "USER", _("使用人")
    TENANT = "TENANT", _("承租人")
    AGENCY = "AGENCY", _("房地产经纪机构")
    AGENT = "AGENT", _("经纪人员")
    PROPERTY_COMPANY = "PROPERTY_COMPANY", _("物业服务企业")
    CONTRACTOR = "CONTRACTOR", _("施工单位")
    OTHER = "OTHER", _("其他")


class PartyKind(models.TextChoices):
    PERSON = "PERSON", _("自然人")
    ORGANISATION = "ORGANISATION", _("单位")


class EvidenceKind(models.TextChoices):
    PHOTO = "PHOTO", _("照片")
    VIDEO = "VIDEO", _("视频")
    PDF = "PDF", _("PDF文件")
    OFFICE = "OFFICE", _("Office文件")


class DocumentKind(models.TextChoices):
    ORDER_CORRECT = "ORDER_CORRECT", _("责令改正通知书")
    PENALTY_DECISION = "PENALTY_DECISION", _("行政处罚决定书")
    REFERRAL_LETTER = "REFERRAL_LETTER", _("移交函")


class PaymentStatus(models.TextChoices):
    UNPAID = "UNPAID", _("未缴纳")
    PAID = "PAID", _("已缴纳")
    INSTALMENT = "INSTALMENT", _("分期/延期缴纳")
    ENFORCED = "ENFORCED", _("申请强制执行")


class SupervisionStatus(models.TextChoices):
    OPEN = "OPEN", _("待回复")
    ANSWERED = "ANSWERED", _("已回复")
    CLOSED = "CLOSED", _("已办结")


