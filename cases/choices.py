from django.db import models
from django.utils.translation import gettext_lazy as _


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


class ReferralStatus(models.TextChoices):
    SENT = "SENT", _("待签收")
    SIGNED = "SIGNED", _("已签收")
    ANSWERED = "ANSWERED", _("已反馈")
    RETURNED = "RETURNED", _("已退回")
    WITHDRAWN = "WITHDRAWN", _("已撤回")


# A referral that ended without an answer: returned by the department, or withdrawn by the bureau.
REFERRAL_ENDED = {ReferralStatus.RETURNED, ReferralStatus.WITHDRAWN}


class HotlineResult(models.TextChoices):
    SOLVED = "SOLVED", _("解决")
    UNSOLVED = "UNSOLVED", _("未解决")
    PARTLY = "PARTLY", _("部分解决")
    RETURNED = "RETURNED", _("不办理退单")


class Satisfaction(models.TextChoices):
    SATISFIED = "SATISFIED", _("满意")
    BASICALLY = "BASICALLY", _("基本满意")
    UNSATISFIED = "UNSATISFIED", _("不满意")
