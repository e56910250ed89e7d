from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from accounts import policy
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
    from accounts.selectors import notifications_for
    from credit import selectors as credit_selectors

    return render(
        request,
        "core/home.html",
        {"role": role_of(request.user), "summary": registry_selectors.scope_summary(user=request.user),
         "notifications": notifications_for(request.user)[:20],
         # the joint credit-punishment list, for those who act on it: the housing bureau and the leads (R4.2)
         "open_listings": credit_selectors.open_listings(user=request.user).count()
         if policy.may(request.user, policy.CREDIT_DECIDE) else None},
    )
