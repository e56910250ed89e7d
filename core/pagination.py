"""The API's page numbers (settings.REST_FRAMEWORK): a page that does not exist is a bilingual 404, and the schema
says pages start at 1. Its own module: DRF imports it while rest_framework.generics is still loading."""
from rest_framework.pagination import PageNumberPagination

ID_MAX = 2**63 - 1


class Pagination(PageNumberPagination):
    invalid_page_message = "页码无效 / invalid page"

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
        return parameters
