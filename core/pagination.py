"""The API's page numbers (settings.REST_FRAMEWORK): a page that does not exist is a bilingual 404, and the schema
says pages start at 1. Counts stop at core.paging.CAP, as on the pages (`count_capped` says so): counting millions
of rows for every page would make the first page as slow as the whole table. Its own module: DRF imports it while
rest_framework.generics is still loading."""
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from core.paging import CappedPaginator

ID_MAX = 2**63 - 1


class Pagination(PageNumberPagination):
    invalid_page_message = "页码无效 / invalid page"
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        return Response({
            "count": self.page.paginator.count,
            "count_capped": self.page.paginator.capped,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "true: more rows match than `count` (the count stops there); narrow with filters",
        }
        described["required"] = [*described.get("required", ["count", "results"]), "count_capped"]
        return described

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
        return parameters
