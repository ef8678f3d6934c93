from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def member_required(view):
    """Signed in and acting for a clinic; otherwise the sign-in page or a 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "membership", None) is None:
            raise PermissionDenied("Your account has no active role at any clinic.")
        return view(request, *args, **kwargs)

    return wrapper
