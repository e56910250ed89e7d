"""Writes of the assessment: the year's scheme (made from the defaults when the year has none) and the
administrator's indicators and weights. Every write is checked again here (accounts.policy.may), whole or not
at all."""
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from accounts import policy
from assessment.catalogue import DEFAULTS, definition
from assessment.choices import Subject, subjects_of
from assessment.models import Indicator, Scheme
from core.errors import ApplicationError

TOTAL = 100
SUBJECT_WORDS = {Subject.STREET: ("街镇", "streets"), Subject.DEPARTMENT: ("职能部门", "departments")}


def _check_year(year: int) -> None:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ApplicationError(f"考核年度“{year}”无效", f"no assessment year {year!r}")


@transaction.atomic
def default_scheme(year: int) -> Scheme:
    """The year's scheme; made from catalogue.DEFAULTS when the year has none (a later year copies the latest
    earlier scheme instead, so the administrator's changes carry over)."""
    _check_year(year)
    scheme = Scheme.objects.filter(year=year).first()
    if scheme is not None:
        return scheme
    earlier = Scheme.objects.filter(year__lt=year).order_by("-year").first()
    try:
        with transaction.atomic():
            scheme = Scheme.objects.create(year=year, name=f"{year}年度住宅小区违法行为综合治理考核方案")
    except IntegrityError:  # made meanwhile by another request
        return Scheme.objects.get(year=year)
    if earlier is not None:
        rows = [dict(metric=i.metric, applies_to=i.applies_to, direction=i.direction, weight=i.weight,
                     floor=i.floor, target=i.target) for i in earlier.indicators.all()]
        scheme.note = f"沿用{earlier.year}年度方案"
        scheme.save(update_fields=["note"])
    else:
        rows = [dict(metric=d.metric, applies_to=d.applies_to, direction=d.direction, weight=d.weight,
                     floor=d.floor, target=d.target) for d in DEFAULTS]
        scheme.note = ("默认方案：依据普陀区住宅小区违法行为综合治理工作方案（普府办〔2024〕18号）第七条"
                       "与数字城管绩效评价做法")
        scheme.save(update_fields=["note"])
    for position, row in enumerate(rows):
        Indicator.objects.create(scheme=scheme, position=position, **row)
    return scheme


def weight_sums(rows) -> dict[str, int]:
    """The weights per subject (an indicator for both counts for both)."""
    sums = defaultdict(int)
    for row in rows:
        for subject in subjects_of(row["applies_to"]):
            sums[subject] += int(row["weight"] or 0)
    return {subject: sums.get(subject, 0) for subject in Subject.values}


def check_weights(rows) -> None:
    """Streets' weights and departments' weights each add up to 100; refused with both languages."""
    if not rows:
        raise ApplicationError("考核方案至少应有一项指标", "a scheme needs at least one indicator")
    wrong = []
    for subject, total in weight_sums(rows).items():
        if total != TOTAL:
            zh, en = SUBJECT_WORDS[subject]
            wrong.append((f"{zh}指标权重合计为 {total} 分，应为 {TOTAL} 分", f"the {en}' weights add up to {total}, "
                                                                      f"not {TOTAL}"))
    if wrong:
        raise ApplicationError("；".join(w[0] for w in wrong), "; ".join(w[1] for w in wrong))


@transaction.atomic
def scheme_configure(*, scheme: Scheme, indicators: list[dict], actor, name: str | None = None,
                     note: str | None = None) -> Scheme:
    """Replace the scheme's indicators by `indicators` (dicts of metric, applies_to, direction, weight, floor,
    target, in order). Checked whole first: one bad row, a metric twice or weights that do not add up to 100
    and nothing is saved."""
    if not policy.may(actor, policy.ASSESSMENT_CONFIGURE):
        raise ApplicationError("只有系统管理员可以配置考核指标", "only the administrator configures the assessment")
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    check_weights(indicators)
    seen = set()
    made = []
    for position, row in enumerate(indicators):
        zh_name, en_name, *_rest = definition(row["metric"])
        if row["metric"] in seen:
            raise ApplicationError(f"第 {position + 1} 项指标（{zh_name}）重复：同一方案中每个指标只能出现一次",
                                   f"indicator {position + 1} ({en_name}) appears twice: each indicator once per "
                                   f"scheme")
        seen.add(row["metric"])
        indicator = Indicator(scheme=scheme, position=position, **{k: row[k] for k in (
            "metric", "applies_to", "direction", "weight", "floor", "target")})
        try:
            indicator.full_clean(exclude=["scheme"], validate_constraints=False)
        except ValidationError as exc:
            with translation.override("zh-hans"):
                zh = "；".join(exc.messages)
            with translation.override("en"):
                en = "; ".join(exc.messages)
            raise ApplicationError(f"第 {position + 1} 项指标（{zh_name}）：{zh}",
                                   f"indicator {position + 1} ({en_name}): {en}") from exc
        made.append(indicator)
    scheme.indicators.all().delete()
    for indicator in made:
        indicator.save()
    if name is not None and name.strip():
        scheme.name = name.strip()[:100]
    if note is not None:
        scheme.note = note.strip()
    scheme.updated_by = actor
    try:
        scheme.full_clean()
    except ValidationError as exc:
        raise ApplicationError("；".join(exc.messages), "the scheme is not valid") from exc
    scheme.save()
    return scheme
