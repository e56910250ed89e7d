from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "detail": str(exc)}, status=503)
    return JsonResponse({"status": "ok"})


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a refused form (an expired page, cookies off) gets the site's 403 page in the
    reader's language, saying what to do, instead of Django's bare "403 Forbidden"."""
    return render(request, "403.html", {"csrf_failed": True}, status=403)


class ErrorPageMiddleware:
    """A page answered 405 (a POST-only address opened by a link) or 400 with no body of its own gets the site's
    error page in the reader's language. API responses are the API's own (JSON) and are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code in (400, 405) and not response.content and not request.path.startswith("/api/")
                and not getattr(response, "streaming", False)):
            page = render(request, "400.html", {"method_not_allowed": response.status_code == 405},
                          status=response.status_code)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response
