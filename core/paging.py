"""Page lists whose cost does not grow with the table.

A list page shows one page of rows and how many there are. Counting every row that matches costs a scan of
all of them: at five million complaints, over a second for "all statuses". `CappedPaginator` counts at most
CAP rows (an unordered subquery with LIMIT, so the database stops at CAP + 1) and says "more than CAP" beyond;
pages past the cap are not offered: the user narrows the list with a filter, a date or the search box, which
is what a person does with ten thousand rows anyway. Exports are not capped: they stream every row.
"""
from functools import cached_property

from django.core.paginator import Paginator

CAP = 10_000


class CappedPaginator(Paginator):
    cap = CAP

    @cached_property
    def _counted(self) -> int:
        # only the key: the list's annotations and joins for display (a due flag, select_related) are not counted
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """More rows match than were counted: the page says "more than CAP"."""
        return self._counted > self.cap


def page_of(objects, request, per_page: int):
    """The requested page of `objects` (the last one when the number is past the end, as get_page does)."""
    return CappedPaginator(objects, per_page).get_page(request.GET.get("page"))
