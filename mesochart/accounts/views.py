"""Sign-in with a second factor, the clinic switcher and staff management (API tokens:
`views_tokens`)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from mesochart.accounts import actions, password_actions
from mesochart.accounts.actor import Actor
from mesochart.accounts.decorators import member_required
from mesochart.accounts.forms import (
    CredentialForm,
    NewStaffForm,
    PasswordChangeForm,
    RoleForm,
    SignInForm,
    TotpForm,
)
from mesochart.accounts.models import Membership
from mesochart.accounts.roles import allows
from mesochart.accounts.totp import qr_svg
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category, Outcome
from mesochart.lib.errors import page_lines


def sign_in(request):
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = actions.sign_in(
            request, form.cleaned_data["username"], form.cleaned_data["password"]
        )
        if result.user is not None:
            if request.session.get("needs_2fa"):
                return redirect("accounts:two_factor")
            return redirect("patients:list")
        form.add_error(None, result.error)
    context = {
        "form": form,
        "failure_limit": settings.LOGIN_FAILURE_LIMIT,
        "lockout_minutes": settings.LOGIN_LOCKOUT_SECONDS // 60,
    }
    return render(request, "accounts/sign_in.html", context)


@login_required
def two_factor(request):
    """Verify a TOTP code, or enrol a first device when none is confirmed yet."""
    if request.user.is_verified():
        return redirect("patients:list")
    device = request.user.totpdevice_set.filter(confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device, _ = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
        )
    form = TotpForm(request.POST or None)
    allowed, throttle = device.verify_is_allowed()
    if request.method == "POST" and form.is_valid() and not allowed:
        wait = throttle.get("locked_until")
        seconds = max(1, int((wait - timezone.now()).total_seconds()) + 1) if wait else 1
        form.add_error(
            "code",
            gettext_lazy("was not checked: too many wrong codes, wait %(seconds)s s")
            % {"seconds": seconds},
        )
    elif request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                if enrolling:
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                otp_login(request, device)
                record(
                    Actor.of_account(request),
                    Action.SIGN_IN,
                    Category.AUTHENTICATION,
                    detail={"second_factor": "totp", "enrolled": enrolling},
                )
            return redirect("patients:list")
        record(
            Actor.of_account(request),
            Action.SIGN_IN_FAILED,
            Category.AUTHENTICATION,
            outcome=Outcome.FAILURE,
            detail={"reason": "wrong TOTP code"},
        )
        form.add_error("code", gettext_lazy("is not the current code from your authenticator app"))
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context["qr"] = qr_svg(device.config_url)
        context["secret"] = device.bin_key.hex()
    return render(request, "accounts/two_factor.html", context)


@require_POST
def sign_out(request):
    actions.sign_out(request)
    messages.info(request, gettext_lazy("You are signed out."))
    return redirect("accounts:login")


def _int_or_404(value: str) -> int:
    """An id posted by the browser; anything else is a page that does not exist."""
    try:
        return int(value)
    except ValueError:
        raise Http404("No such object.") from None


@login_required
@require_POST
def switch_clinic(request):
    membership = get_object_or_404(
        Membership.objects.active(),
        user=request.user,
        clinic_id=_int_or_404(request.POST.get("clinic", "")),
    )
    request.session["clinic_id"] = membership.clinic_id
    # Only back to a page of this site: ``next`` comes from the browser.
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "patients:list"
    return redirect(target)


@require_POST
def set_language(request):
    """The header's language switcher: saved on the staff member (and in the cookie, which
    the sign-in page reads before anybody is signed in)."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    if request.user.is_authenticated:
        actions.set_language(request.user, language)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "patients:list" if request.user.is_authenticated else "accounts:login"
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


def _admin_membership(request):
    if not allows(request.membership.role, "staff.manage"):
        raise PermissionDenied(gettext_lazy("Only an admin of this clinic may manage its staff."))
    return request.membership


@member_required
def staff_list(request):
    membership = _admin_membership(request)
    members = (
        Membership.objects.filter(clinic=membership.clinic)
        .select_related("user", "user__credential")
        .order_by("user__last_name", "user__first_name")
    )
    form = NewStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            actions.set_role(request.actor, membership.clinic, user, form.cleaned_data["role"])
        messages.success(
            request,
            gettext_lazy("%(v0)s was added.") % {"v0": user.get_full_name() or user.username},
        )
        return redirect("accounts:staff")
    return render(request, "accounts/staff_list.html", {"members": members, "form": form})


@member_required
def staff_edit(request, user_id: int):
    membership = _admin_membership(request)
    target = get_object_or_404(
        Membership.objects.select_related("user"), clinic=membership.clinic, user_id=user_id
    )
    user = target.user
    credential = getattr(user, "credential", None)
    role_form = RoleForm(initial={"role": target.role})
    credential_form = CredentialForm(instance=credential)
    if request.method == "POST":
        try:
            if "role" in request.POST:
                role_form = RoleForm(request.POST)
                if role_form.is_valid():
                    actions.set_role(
                        request.actor,
                        membership.clinic,
                        user,
                        role_form.cleaned_data["role"],
                    )
                    messages.success(request, gettext_lazy("The role was changed."))
                    return redirect("accounts:staff_edit", user_id=user.pk)
            elif "reset_password" in request.POST:
                temporary = password_actions.reset_password(request.actor, membership.clinic, user)
                return render(
                    request,
                    "accounts/password_reset_done.html",
                    {"staff_user": user, "temporary": temporary},
                )
            elif "active" in request.POST:
                active = request.POST["active"] == "1"
                actions.set_active(request.actor, membership.clinic, user, active)
                messages.success(
                    request,
                    "The account was enabled."
                    if active
                    else "The account was disabled and its sessions ended.",
                )
                return redirect("accounts:staff_edit", user_id=user.pk)
            else:
                credential_form = CredentialForm(request.POST, instance=credential)
                if credential_form.is_valid():
                    actions.save_credential(
                        request.actor,
                        membership.clinic,
                        user,
                        **credential_form.cleaned_data,
                    )
                    messages.success(request, gettext_lazy("The licence was saved."))
                    return redirect("accounts:staff_edit", user_id=user.pk)
        except ValidationError as error:
            # The enable/disable buttons sit under the page's "Account" heading.
            for line in page_lines(error, {"active": gettext("Account")}, form=role_form):
                messages.error(request, line)
    return render(
        request,
        "accounts/staff_edit.html",
        {
            "target": target,
            "staff_user": user,
            "role_form": role_form,
            "credential_form": credential_form,
        },
    )


@login_required
def password_change(request):
    """Change one's own password, with the current one (and at once after an admin's reset)."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            password_actions.change_password(
                request, data["current_password"], data["new_password"], data["new_password_again"]
            )
        except ValidationError as error:
            for field, rules in error.message_dict.items():
                for rule in rules:
                    form.add_error(field, rule)
        else:
            messages.success(request, gettext_lazy("Your password was changed."))
            return redirect("patients:list")
    forced = request.user.must_change_password
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})
