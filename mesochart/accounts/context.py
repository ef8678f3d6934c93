from mesochart.accounts.models import Membership
from mesochart.accounts.roles import PERMISSIONS, allows


def clinic_context(request) -> dict:
    """The clinic switcher's choices and the current role's permissions, for every page."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    role = membership.role
    return {
        "current_membership": membership,
        # Read once by `CurrentClinicMiddleware`; a request that set its membership another
        # way (an API token) has no switcher, so it reads them here.
        "clinic_choices": getattr(request, "memberships", None)
        or Membership.objects.active()
        .filter(user=request.user)
        .select_related("clinic")
        .order_by("clinic__name"),
        "can": {name.replace(".", "_"): allows(role, name) for name in PERMISSIONS},
    }
