from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts import roles


def site(request):
    """The institution's name for the header, and whether to show the People link (evaluated only if used)."""
    return {
        "INSTITUTION_NAME": settings.INSTITUTION_NAME,
        "can_invite": SimpleLazyObject(lambda: roles.can_invite(getattr(request, "user", None))),
    }
