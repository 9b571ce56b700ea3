"""Pages: inviting people (there is no public sign-up)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import roles, services
from accounts.forms import AcceptInvitationForm, InvitationForm
from accounts.models import Invitation
from core.errors import DomainError
from core.views import add_domain_error, paginate, render_form


def _require_inviter(user) -> None:
    if not roles.can_invite(user):
        raise PermissionDenied("Only programme directors and administrators can invite people.")


@login_required
def invitation_list(request):
    _require_inviter(request.user)
    invitations = Invitation.objects.select_related("organisation", "invited_by").order_by("-created_at")
    if not request.user.is_superuser:
        invitations = invitations.filter(invited_by=request.user)
    return render(request, "accounts/invitation_list.html", paginate(request, invitations))


@login_required
def invitation_create(request):
    _require_inviter(request.user)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_send(invited_by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email}. It expires on {invitation.expires_at:%d/%m/%Y}.",
            )
            return redirect("invitation_list")
    return render(
        request, "accounts/invitation_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def invitation_revoke(request, pk: int):
    _require_inviter(request.user)
    scope = (
        Invitation.objects.all()
        if request.user.is_superuser
        else Invitation.objects.filter(invited_by=request.user)
    )
    invitation = get_object_or_404(scope, pk=pk)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The invitation for {invitation.email} was revoked.")
    return redirect("invitation_list")


def invitation_accept(request, token: str):
    invitation = get_object_or_404(Invitation.objects.select_related("user", "organisation"), token=token)
    if not invitation.is_usable:
        return render(request, "accounts/invitation_unusable.html", {"invitation": invitation}, status=410)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(invitation=invitation, password=form.cleaned_data["password"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, "Your password is set. Sign in with your email address and new password."
            )
            return redirect("account_login")
    return render_form(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})
