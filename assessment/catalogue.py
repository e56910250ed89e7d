"""The figures an indicator may score: each is a metric of analytics.metrics (defined there, once) or one of
the few derived here from them (投诉万人比变化) or from the referrals (the departments, which have no street).

Each entry says whom it fits (streets, departments) and how it is read by default. The names and the counting
text shown beside a figure come from analytics.metrics.DEFINITIONS when the code is one of its metrics.
"""
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from assessment.choices import AppliesTo, Direction, Subject, subjects_of


@dataclass(frozen=True)
class Source:
    code: str
    subjects: frozenset            # Subject values it can be computed for
    direction: str                 # its natural reading (Direction)
    unit: str = "%"
    name: str = ""                 # only for the figures derived here (others: analytics DEFINITIONS)
    name_en: str = ""
    text: str = ""
    text_en: str = ""

    def fits(self, applies_to: str) -> bool:
        return subjects_of(applies_to) <= self.subjects


STREETS = frozenset({Subject.STREET})
DEPARTMENTS = frozenset({Subject.DEPARTMENT})

METRICS: dict[str, Source] = {s.code: s for s in (
    Source("on_time_rate", STREETS, Direction.HIGHER),
    Source("closing_rate", STREETS, Direction.HIGHER),
    Source("rework_rate", STREETS, Direction.LOWER),
    Source("recurrence_rate", STREETS, Direction.LOWER),
    Source("rectification_rate", STREETS, Direction.HIGHER),
    Source("supervision_answered_rate", STREETS, Direction.HIGHER),
    Source("satisfaction_rate", STREETS, Direction.HIGHER),
    Source(
        "per_10k_change", STREETS, Direction.LOWER,
        name="投诉万人比变化", name_en="Change in complaints per 10,000 residents",
        text="本期街镇投诉万人比较上年同期的变化（%）：（本期 − 上年同期）÷ 上年同期；"
             "分子为本期投诉数，分母为上年同期投诉数，两期的万人比列在实际值下",
        text_en="The street's complaints per 10,000 residents against the same period a year before, change in %: "
                "(this period − a year before) ÷ a year before; numerator this period's complaints, denominator "
                "the complaints of the same period a year before; both rates per 10,000 under the value",
    ),
    Source("referral_on_time_rate", DEPARTMENTS, Direction.HIGHER),  # analytics counts it; here per department
    Source(
        "referral_return_rate", DEPARTMENTS, Direction.LOWER,
        name="移交退回率", name_en="Referrals returned",
        text="本期收到的移交中被本部门退回（认为不属本部门）的件数 ÷ 本期收到的移交数（已撤回的不计）",
        text_en="Of the referrals received in the period (withdrawn ones left out), those the department "
                "returned as not its matter ÷ all of them",
    ),
)}


def metric_choices():
    return [(code, metric_name(code)) for code in METRICS]


def definition(code: str):
    """(name, name_en, text, text_en) of a metric: analytics' definition, or the derived one's own."""
    source = METRICS.get(code)
    if source is not None and source.name:
        return source.name, source.name_en, source.text, source.text_en
    from analytics.metrics import DEFINITIONS

    found = DEFINITIONS.get(code)
    if found is None:
        return code, code, "", ""
    return found.name, found.name_en, found.text, found.text_en


def metric_name(code: str) -> str:
    from django.utils import translation

    name, name_en, *_rest = definition(code)
    return name_en if (translation.get_language() or "").startswith("en") and name_en else name


# --- the default scheme (seed 000 §七(四); CJ/T 292 practice): used when a year has none ----------------

@dataclass(frozen=True)
class Default:
    metric: str
    applies_to: str
    direction: str
    weight: int
    floor: Decimal
    target: Decimal


DEFAULTS = (
    # streets: 100
    Default("on_time_rate", AppliesTo.STREET, Direction.HIGHER, 30, Decimal("60"), Decimal("95")),
    Default("rework_rate", AppliesTo.STREET, Direction.LOWER, 10, Decimal("10"), Decimal("0")),
    # 回潮 as analytics counts it (any complaint of the type in the community within 90 days of the closing)
    # runs high in dense communities: 0 points from 60 %, full at 20 %
    Default("recurrence_rate", AppliesTo.STREET, Direction.LOWER, 10, Decimal("60"), Decimal("20")),
    Default("per_10k_change", AppliesTo.STREET, Direction.LOWER, 30, Decimal("10"), Decimal("-10")),
    Default("supervision_answered_rate", AppliesTo.STREET, Direction.HIGHER, 20, Decimal("60"), Decimal("100")),
    # departments: 100
    Default("referral_on_time_rate", AppliesTo.DEPARTMENT, Direction.HIGHER, 80, Decimal("60"), Decimal("100")),
    Default("referral_return_rate", AppliesTo.DEPARTMENT, Direction.LOWER, 20, Decimal("30"), Decimal("5")),
)

RULE_TEXT = _("线性计分：达到或优于满分值得该指标全部权重分，达到或差于零分值得 0 分，其间按比例计分"
              "（得分 = 权重 × (实际值 − 零分值) ÷ (满分值 − 零分值)，保留两位小数）。某指标本期无数据（分母为 0）时"
              "不计分，总分按其余指标的权重折算为百分制（总分 = 各指标得分之和 ÷ 有数据指标的权重之和 × 100）。"
              "总分相同名次并列。")
