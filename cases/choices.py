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
    # 行政处罚一般程序 (行政处罚法 §44–§58): the notice, the party's statement and defence, the hearing, the legal
    # review and the leader's approval come between the investigation and a penalty decision.
    NOTICE = "NOTICE", _("事先告知")
    DEFENCE = "DEFENCE", _("陈述申辩")
    HEARING = "HEARING", _("听证")
    LEGAL_REVIEW = "LEGAL_REVIEW", _("法制审核")
    APPROVAL = "APPROVAL", _("负责人审批")
    DECIDED = "DECIDED", _("处理决定")
    RECTIFYING = "RECTIFYING", _("整改期限")
    REVIEWING = "REVIEWING", _("复查")
    ENFORCING = "ENFORCING", _("申请强制执行")
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
    FILING_APPROVAL = "FILING_APPROVAL", _("立案审批表")
    INQUIRY_RECORD = "INQUIRY_RECORD", _("询问笔录")
    INSPECTION_RECORD = "INSPECTION_RECORD", _("现场检查（勘验）笔录")
    PRIOR_NOTICE = "PRIOR_NOTICE", _("行政处罚事先告知书")
    HEARING_NOTICE = "HEARING_NOTICE", _("听证告知书")
    DEFENCE_REVIEW = "DEFENCE_REVIEW", _("陈述申辩复核意见书")
    LEGAL_REVIEW = "LEGAL_REVIEW", _("法制审核意见书")
    SERVICE_RECEIPT = "SERVICE_RECEIPT", _("送达回证")
    SUMMARY_DECISION = "SUMMARY_DECISION", _("当场行政处罚决定书")


class PaymentStatus(models.TextChoices):
    UNPAID = "UNPAID", _("未缴纳")
    PAID = "PAID", _("已缴纳")
    INSTALMENT = "INSTALMENT", _("分期/延期缴纳")
    ENFORCED = "ENFORCED", _("申请强制执行")


class SupervisionStatus(models.TextChoices):
    OPEN = "OPEN", _("待回复")
    ANSWERED = "ANSWERED", _("已回复")
    CLOSED = "CLOSED", _("已办结")




class Procedure(models.TextChoices):
    GENERAL = "GENERAL", _("一般程序")
    SUMMARY = "SUMMARY", _("简易程序（当场处罚）")


class ServiceManner(models.TextChoices):
    """送达方式 (行政处罚法 §61, 民事诉讼法's rules of service)."""

    IN_PERSON = "IN_PERSON", _("直接送达")
    POST = "POST", _("邮寄送达")
    LEFT = "LEFT", _("留置送达")
    ELECTRONIC = "ELECTRONIC", _("电子送达（经当事人同意）")


class ReviewResult(models.TextChoices):
    """陈述申辩复核: what the party's statement and defence changed (行政处罚法 §45)."""

    ACCEPTED = "ACCEPTED", _("采纳")
    PARTLY = "PARTLY", _("部分采纳")
    REJECTED = "REJECTED", _("不予采纳")


class ReCheckStatus(models.TextChoices):
    """回头看: a re-check of a closed case's site (R3.6)."""

    DUE = "DUE", _("待回头看")
    DONE = "DONE", _("已回头看")
    CANCELLED = "CANCELLED", _("已取消（案件重新打开）")


class ReCheckResult(models.TextChoices):
    CLEAN = "CLEAN", _("未回潮")
    RECURRED = "RECURRED", _("回潮")
