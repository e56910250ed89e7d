from django.db import models
from django.utils.translation import gettext_lazy as _


class StreetKind(models.TextChoices):
    SUBDISTRICT = "SUBDISTRICT", _("街道")
    TOWN = "TOWN", _("镇")


class Grade(models.TextChoices):
    """分级分类 of communities for enforcement inspection."""

    A = "A", _("A类")
    B = "B", _("B类")
    C = "C", _("C类")


class ProblemClass(models.TextChoices):
    """The three classes of problems of seed 001 §二."""

    SAFETY = "SAFETY", _("危及安全")
    ORDER = "ORDER", _("破坏环境秩序")
    PROPERTY = "PROPERTY", _("物业违规")
    NONE = "NONE", _("非城管执法事项")


class Measure(models.TextChoices):
    """Handling measures (处理决定) of R3.1/R3.2."""

    STOP = "STOP", _("制止")
    ORDER_CORRECT = "ORDER_CORRECT", _("责令改正")
    FINE = "FINE", _("罚款")
    DEMOLISH = "DEMOLISH", _("拆除")
    RESTORE = "RESTORE", _("恢复原状")
    ANNOTATE = "ANNOTATE", _("注记")
    FORCED_DEMOLITION = "FORCED_DEMOLITION", _("强制拆除")
    EDUCATE = "EDUCATE", _("教育劝导")
    REFER = "REFER", _("移交")


class RegulationStatus(models.TextChoices):
    CURRENT = "CURRENT", _("现行有效")
    SUPERSEDED = "SUPERSEDED", _("已被修订/替代")
    TO_VERIFY = "TO_VERIFY", _("待核实")


class BasisRole(models.TextChoices):
    PROHIBITION = "PROHIBITION", _("禁止性规定")
    PENALTY = "PENALTY", _("罚则")
    DUTY = "DUTY", _("义务性规定")


class AddressUnit(models.TextChoices):
    LANE = "LANE", _("弄")
    NUMBER = "NUMBER", _("号")


class FineUnit(models.TextChoices):
    """How a fine range is counted: per case, or per unit of a quantity the officer measures."""

    CASE = "", _("按件")
    M2 = "M2", _("每平方米")
    PERSON = "PERSON", _("每人")
    MULTIPLE = "MULTIPLE", _("倍（基数为赔偿金额）")


class PartyKindScope(models.TextChoices):
    """Which parties a range or threshold applies to (the values of cases.choices.PartyKind)."""

    ANY = "", _("不限")
    PERSON = "PERSON", _("自然人")
    ORGANISATION = "ORGANISATION", _("单位")


class ThresholdKind(models.TextChoices):
    HEARING = "HEARING", _("较大数额罚款（应告知听证）")
    MAJOR = "MAJOR", _("重大案件（法制审核、集体讨论）")
