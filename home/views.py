from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from home import selectors
from programmes import access


@login_required
def home(request):
    return render(request, "home/home.html", selectors.home_for(request.user))


@login_required
def account_settings(request):
    """The person's own details, with the ways to change their password and turn on two-factor authentication."""
    from allauth.mfa.utils import is_mfa_enabled

    return render(
        request,
        "accounts/account_settings.html",
        {
            "mfa_enabled": is_mfa_enabled(request.user),
            "roles": [access.ROLE_LABELS[role] for role in access.roles_for(request.user)],
        },
    )
