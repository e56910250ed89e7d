from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from accounts.scope import role_of
from registry import selectors as registry_selectors


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "detail": str(exc)}, status=503)
    return JsonResponse({"status": "ok"})


@login_required
def home(request):
    return render(
        request,
        "core/home.html",
        {"role": role_of(request.user), "summary": registry_selectors.scope_summary(user=request.user)},
    )
