"""allauth adapter: people are invited, never sign themselves up."""

from allauth.account.adapter import DefaultAccountAdapter


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """Closes public sign-up; accounts are created by invitation (see accounts.services.invitation_send)."""

    def is_open_for_signup(self, request) -> bool:  # noqa: ARG002 - allauth's signature
        return False
