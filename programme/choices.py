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
