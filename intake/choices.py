from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    HOTLINE = "HOTLINE", _("12345热线")
    PATROL = "PATROL", _("巡查发现")
    PROPERTY_REPORT = "PROPERTY_REPORT", _("物业报告")
    SENSOR = "SENSOR", _("智能感知")
    MEDIA = "MEDIA", _("媒体曝光")
    THIRD_PARTY = "THIRD_PARTY", _("第三方检查")
    WORKSTATION = "WORKSTATION", _("社区工作室")
    SUPERVISION = "SUPERVISION", _("督察发现")
    MANUAL = "MANUAL", _("人工录入")


# The channels through which residents complain (投诉万人比 counts these, analytics.metrics): 12345, the community
# workstation, the media, and complaints a resident makes at the counter or by letter, entered by hand. Not the
# bureau's own findings (巡查, 智能感知, 第三方检查, 督察) nor property companies' reports.
RESIDENT_CHANNELS = frozenset({Channel.HOTLINE, Channel.WORKSTATION, Channel.MEDIA, Channel.MANUAL})


class ComplaintStatus(models.TextChoices):
    NEW = "NEW", _("待分拣")
    ROUTED = "ROUTED", _("已分派")
    REFERRED = "REFERRED", _("移交主管部门")  # waiting for confirmation, or referred: see its referrals
    DUPLICATE = "DUPLICATE", _("重复件")
    IN_CASE = "IN_CASE", _("已立案办理")
    CLOSED = "CLOSED", _("已办结")
    RETURNED = "RETURNED", _("已退单")


OPEN_STATUSES = [ComplaintStatus.NEW, ComplaintStatus.ROUTED, ComplaintStatus.REFERRED, ComplaintStatus.IN_CASE]


class DecisionSource(models.TextChoices):
    MODEL = "MODEL", _("系统判断")
    STAFF = "STAFF", _("人工确认")
    HINT = "HINT", _("来源分类")


class CorrectionField(models.TextChoices):
    TYPE = "TYPE", _("违法类型")
    DEPARTMENT = "DEPARTMENT", _("承办部门")
    COMMUNITY = "COMMUNITY", _("小区")
    DUPLICATE = "DUPLICATE", _("重复件")


# Referrals (移交) of a complaint or a case to the department that owns the matter (cases.models.Referral): the
# complaint follows them, so their statuses live here, below cases.
class ReferralStatus(models.TextChoices):
    SENT = "SENT", _("待签收")
    SIGNED = "SIGNED", _("已签收")
    ANSWERED = "ANSWERED", _("已反馈")
    RETURNED = "RETURNED", _("已退回")
    WITHDRAWN = "WITHDRAWN", _("已撤回")


# A referral that ended without an answer: returned by the department, or withdrawn by the bureau.
REFERRAL_ENDED = {ReferralStatus.RETURNED, ReferralStatus.WITHDRAWN}


# The answer to a 12345 work order (intake.models.HotlineReply).
class HotlineResult(models.TextChoices):
    SOLVED = "SOLVED", _("解决")
    UNSOLVED = "UNSOLVED", _("未解决")
    PARTLY = "PARTLY", _("部分解决")
    RETURNED = "RETURNED", _("不办理退单")


class Satisfaction(models.TextChoices):
    SATISFIED = "SATISFIED", _("满意")
    BASICALLY = "BASICALLY", _("基本满意")
    UNSATISFIED = "UNSATISFIED", _("不满意")


# Why a person must look before a complaint is routed (intake.classifier.review_decision's reason codes).
REVIEW_REASON_LABELS = {
    "low_confidence": _("置信度低"),
    "low_margin": _("两类难分"),
    "several_matters": _("一诉多事"),
    "out_of_vocabulary": _("生词多"),
}
