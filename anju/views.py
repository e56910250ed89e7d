"""The home page: it gathers a summary from several apps (registry, accounts, credit), so it lives in the project
package, which alone may import every app."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts import policy
from accounts.scope import role_of
from accounts.selectors import notifications_for
from credit import selectors as credit_selectors
from registry import selectors as registry_selectors


@login_required
def home(request):
    return render(
        request,
        "core/home.html",
        {"role": role_of(request.user), "summary": registry_selectors.scope_summary(user=request.user),
         "notifications": notifications_for(request.user)[:20],
         # the joint credit-punishment list, for those who act on it: the housing bureau and the leads (R4.2)
         "open_listings": credit_selectors.open_listings(user=request.user).count()
         if policy.may(request.user, policy.CREDIT_DECIDE) else None},
    )
