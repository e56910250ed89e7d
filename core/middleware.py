"""Middleware of the whole site."""
import re

TOKEN = re.compile(r"^[A-Za-z0-9]{1,32}$")


class ExportTokenMiddleware:
    """An export asked with `export_token=<n>` (static/js/exports.js) answers with the cookie export_token=<n>,
    so that the page can end its "正在生成…" state when the download begins."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token = request.GET.get("export_token", "")
        if TOKEN.match(token):
            # Read by the page's script: not HttpOnly, and it carries nothing but the page's own random token.
            response.set_cookie("export_token", token, max_age=120, samesite="Lax", httponly=False)
        return response
