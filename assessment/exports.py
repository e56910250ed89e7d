"""The ranking as a spreadsheet: one row per street (or department), its rank, total and, per indicator, the
value and the points."""
from django.utils.translation import gettext as _

from assessment.catalogue import metric_name
from assessment.choices import Subject


def title(year: int, subject: str) -> str:
    if subject == Subject.DEPARTMENT:
        return _("%(year)s年度职能部门考核排名") % {"year": year}
    return _("%(year)s年度街镇考核排名") % {"year": year}


def _line(score, metric):
    return next((line for line in score.lines if line.indicator.metric == metric), None)


def ranking_columns(indicators):
    columns = [
        (_("名次"), lambda s: s.rank),
        (_("单位"), "name"),
        (_("总分"), lambda s: float(s.total) if s.total is not None else None),
    ]
    for indicator in indicators:
        name, metric = metric_name(indicator.metric), indicator.metric
        columns += [
            (f"{name}（{_('实际值')}）", lambda s, m=metric: (_line(s, m).value if _line(s, m) else None)),
            (f"{name}（{_('分子')}）", lambda s, m=metric: (_line(s, m).figure.numerator if _line(s, m) else None)),
            (f"{name}（{_('分母')}）", lambda s, m=metric: (_line(s, m).figure.denominator if _line(s, m) else None)),
            (f"{name}（{_('得分')}/{indicator.weight}）",
             lambda s, m=metric: (float(_line(s, m).points) if _line(s, m) and _line(s, m).points is not None
                                  else None)),
        ]
    return columns
