"""`{% export_href "xlsx" %}`: the link to a list's export, carrying the list's current filters.

The query string of the page minus its paging, sorting and any earlier export parameters, so the file holds
exactly the rows the filtered list counts. static/js/exports.js does the same in the browser after htmx has
changed the filters without a reload.
"""
from django import template

register = template.Library()

NOT_FILTERS = ("page", "sort", "export", "export_token")


def export_query(request, fmt: str) -> str:
    query = request.GET.copy()
    for key in NOT_FILTERS:
        query.pop(key, None)
    query["export"] = fmt
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def export_href(context, fmt: str) -> str:
    return export_query(context["request"], fmt)
