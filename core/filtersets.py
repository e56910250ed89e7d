"""Pieces shared by the list pages' filter sets (django-filter)."""
import django_filters


class FigureFiltersMixin:
    """The filters an analytics figure's link sets on a list (analytics.metrics): the list keeps them as hidden
    inputs and shows them as a 统计口径 bar. A filter set names them in FIGURE_FILTERS."""

    FIGURE_FILTERS: tuple[str, ...] = ()

    @property
    def figure_filters(self) -> list[tuple[str, str, str, str]]:
        """(name, label, value as given, value shown) of the figure filters in the query."""
        data, shown = self.data or {}, []
        for name in self.FIGURE_FILTERS:
            if data.get(name):
                choices = {str(k): str(v) for k, v in self.filters[name].extra.get("choices", [])}
                value = "" if isinstance(self.filters[name], django_filters.BooleanFilter) else data[name]
                shown.append((name, str(self.filters[name].label), data[name], choices.get(value, value)))
        return shown
