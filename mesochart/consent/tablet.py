"""Patient mode on a tablet: a member of staff hands the tablet over for one patient and one
task (answer the questionnaire, or sign a consent); the patient sees only that task.

The lock lives in the staff member's session: while it is set, every page of this app shows the
patient's task instead (`staff_mode`), and `TabletLockMiddleware` does the same for every other
page of the site once it is listed in ``settings.MIDDLEWARE``. Submitting the task keeps the
tablet in patient mode on a thank-you screen; leaving patient mode, early or after the task,
always needs the staff member's password (or authenticator code), so a patient cannot walk
out of patient mode into the record.
"""

from functools import wraps

from django.shortcuts import redirect
from django.urls import reverse

SESSION_KEY = "consent_tablet"
QUESTIONNAIRE, SIGN = "questionnaire", "sign"
# Wrong staff passwords allowed on the way out of patient mode before the session ends.
MAX_EXIT_FAILURES = 5


def lock(request, patient, purpose: str, **details) -> None:
    request.session[SESSION_KEY] = {
        "patient": patient.pk,
        "purpose": purpose,
        "started_by": request.user.pk,
        **details,
    }


def current(request) -> dict | None:
    """The lock, if this session is in patient mode for the signed-in user."""
    found = request.session.get(SESSION_KEY)
    if not found or found.get("started_by") != request.user.pk:
        return None
    return found


def finish(request, task: str) -> None:
    """The patient's task is done: the tablet stays locked on the thank-you screen."""
    found = request.session[SESSION_KEY]
    request.session[SESSION_KEY] = {**found, "done": task}


def unlock(request) -> None:
    request.session.pop(SESSION_KEY, None)


def staff_mode(view):
    """Staff pages are not shown in patient mode: the tablet goes back to the patient's task."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.session.get(SESSION_KEY):
            return redirect("consent:tablet")
        return view(request, *args, **kwargs)

    return wrapper


class TabletLockMiddleware:
    """Keeps a session in patient mode on the patient's task, whatever URL is typed.

    Static files, the scripts' words (`lib.jsi18n`), the tablet pages themselves and signing
    out stay reachable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY):
            tablet, logout = reverse("consent:tablet"), reverse("accounts:logout")
            allowed = (tablet, logout, "/static/", "/jsi18n/")
            if not request.path.startswith(allowed):
                return redirect("consent:tablet")
        return self.get_response(request)
