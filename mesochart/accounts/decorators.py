from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


def member_required(view):
    """Signed in and acting for a clinic; otherwise the sign-in page or a 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "membership", None) is None:
            raise PermissionDenied(_("Your account has no active role at any clinic."))
        return view(request, *args, **kwargs)

    return wrapper
