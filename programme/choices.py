from django.db import models
from django.utils.translation import gettext_lazy as _


class StructureStatus(models.TextChoices):
    EXISTING = "EXISTING", _("存量")
    HANDLING = "HANDLING", _("在办")
    DEMOLISHED = "DEMOLISHED", _("已拆除")
    ANNOTATED = "ANNOTATED", _("已注记")
    RECTIFIED = "RECTIFIED", _("已整改")


# Statuses that take an item off the books (清零).
CLEARED = frozenset({StructureStatus.DEMOLISHED, StructureStatus.ANNOTATED, StructureStatus.RECTIFIED})


class StructureKind(models.TextChoices):
    EXISTING = "EXISTING", _("存量违建")
    NEW = "NEW", _("新增（在建）")


class StructureMaterial(models.TextChoices):
    BRICK = "BRICK", _("砖混")
    STEEL = "STEEL", _("钢结构")
    COLOUR_STEEL = "COLOUR_STEEL", _("彩钢板")
    WOOD = "WOOD", _("木结构")
    GLASS = "GLASS", _("玻璃/阳光房")
    CONCRETE = "CONCRETE", _("钢筋混凝土")
    OTHER = "OTHER", _("其他")


# --- campaigns 专项行动 / 工作方案 (R6) ------------------------------------------------------------------

class CampaignKind(models.TextChoices):
    SPECIAL_ACTION = "SPECIAL_ACTION", _("专项行动")
    WORK_PLAN = "WORK_PLAN", _("工作方案")
    INVENTORY = "INVENTORY", _("存量违建清库清零")


class CampaignLevel(models.TextChoices):
    CITY = "CITY", _("市级")
    DISTRICT = "DISTRICT", _("区级")


class PhaseStatus(models.TextChoices):
    PLANNED = "PLANNED", _("未开始")
    ACTIVE = "ACTIVE", _("进行中")
    DONE = "DONE", _("已完成")


class ProblemSource(models.TextChoices):
    HOTSPOT = "HOTSPOT", _("投诉集中小区")
    REPEATED = "REPEATED", _("重复投诉")
    INVENTORY = "INVENTORY", _("存量违建未销项")
    DUTY_CHECK = "DUTY_CHECK", _("物业未履职")
    SURVEY = "SURVEY", _("排摸发现")


class ProblemStatus(models.TextChoices):
    OPEN = "OPEN", _("待解决")
    RESOLVED = "RESOLVED", _("已解决")


class EvidenceKind(models.TextChoices):
    COMPLAINT = "COMPLAINT", _("诉件")
    COMMUNITY = "COMMUNITY", _("小区")
    STRUCTURE = "STRUCTURE", _("违建台账条目")
    DUTY_CHECK = "DUTY_CHECK", _("履职检查")


class TaskStatus(models.TextChoices):
    OPEN = "OPEN", _("未开始")
    ACTIVE = "ACTIVE", _("推进中")
    DONE = "DONE", _("已完成")


class DutyRole(models.TextChoices):
    LEAD = "LEAD", _("牵头")
    ASSIST = "ASSIST", _("配合")
