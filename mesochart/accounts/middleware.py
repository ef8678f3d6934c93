"""Request-wide rules: session lifetimes, mandatory two-factor, and the current clinic."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone, translation

from mesochart.accounts.actor import Actor
from mesochart.accounts.models import Membership, session_deadlines

# Pages a signed-in user may reach before the second factor (the API checks it itself).
OPEN_PREFIXES = (
    "/accounts/sign-in/",
    "/accounts/two-factor/",
    "/accounts/sign-out/",
    "/accounts/language/",
    "/static/",
    "/jsi18n/",  # the scripts' words: the sign-in and two-factor pages load them too
    "/api/",
    "/healthz",
)


def _is_open(path: str) -> bool:
    return path.startswith(OPEN_PREFIXES)


# How stale the stored "last seen" may get before a request rewrites it. Writing it on every
# request would make every page view a write transaction (on SQLite, one writer at a time);
# the cost is that the idle deadline may come up to this much early, never late.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


class SessionLifetimeMiddleware:
    """Ends a session after 15 idle minutes (configurable) or its absolute lifetime."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and "started_at" in request.session:
            now = timezone.now()
            started = datetime.fromisoformat(request.session["started_at"])
            last_seen = datetime.fromisoformat(
                request.session.get("last_seen", started.isoformat())
            )
            idle_deadline, absolute_deadline = session_deadlines(started, last_seen)
            if now >= idle_deadline or now >= absolute_deadline:
                from mesochart.accounts.actions import sign_out

                reason = "idle time-out" if now >= idle_deadline else "session lifetime reached"
                sign_out(request, reason=reason)
                return _to_sign_in(
                    request, f"You were signed out ({reason}). Please sign in again."
                )
            if now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session["last_seen"] = now.isoformat()
        return self.get_response(request)


def _to_sign_in(request, message: str):
    """Back to sign-in with a message; an htmx request is told to load the page whole."""
    messages.info(request, message)
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
        return response
    return redirect(settings.LOGIN_URL)


class TwoFactorRequiredMiddleware:
    """Practitioners and admins must pass TOTP before any page; others may opt in.

    Whether this user needs it is decided once at sign-in (``needs_2fa`` in the session);
    a session without that flag is treated as needing it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not _is_open(request.path)
            and request.session.get("needs_2fa", True)
        ):
            return redirect(reverse("accounts:two_factor"))
        return self.get_response(request)


# Reachable while a reset password waits to be changed.
PASSWORD_CHANGE_OPEN = (
    "/accounts/password/",
    "/accounts/sign-in/",
    "/accounts/two-factor/",
    "/accounts/sign-out/",
    "/static/",
    "/jsi18n/",
    "/healthz",
)


class PasswordChangeRequiredMiddleware:
    """After an admin's reset, the temporary password opens the password change only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(PASSWORD_CHANGE_OPEN)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "password: must be changed before anything else"}, status=403
                )
            return redirect(reverse("accounts:password"))
        return self.get_response(request)


class CurrentClinicMiddleware:
    """Sets ``request.membership`` and ``request.clinic`` from the clinic switcher, and
    ``request.memberships`` (the switcher's choices, by clinic name): one query for all three,
    the signed-in user reused rather than read again. ``request.actor`` is who acts, for the
    actions the view calls."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.clinic = None
        request.memberships = []
        if request.user.is_authenticated:
            request.memberships = list(
                Membership.objects.active()
                .filter(user=request.user)
                .select_related("clinic")
                .order_by("clinic__name", "pk")
            )
            for each in request.memberships:
                each.user = request.user
            chosen = request.session.get("clinic_id")
            found = [m for m in request.memberships if chosen and m.clinic_id == chosen]
            membership = (found or request.memberships or [None])[0]
            if membership is not None:
                request.membership = membership
                request.clinic = membership.clinic
                if chosen != membership.clinic_id:  # unchanged, the session is not rewritten
                    request.session["clinic_id"] = membership.clinic_id
        request.actor = Actor.of(request)
        return self.get_response(request)


class UserLanguageMiddleware:
    """The staff member's language, else the current clinic's default; with neither, what
    Django's LocaleMiddleware took from the language cookie or Accept-Language stays."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            # The API answers in English codes (``field``, ``rule``) whoever asks; only its
            # ``detail`` is in the language of Accept-Language (mesochart/api.py).
            request.detail_language = request.LANGUAGE_CODE
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return self.get_response(request)
        language = ""
        if request.user.is_authenticated:
            clinic = getattr(request, "clinic", None)
            language = request.user.language or (clinic.language if clinic else "")
        if language and language != request.LANGUAGE_CODE:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
