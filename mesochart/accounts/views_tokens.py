"""API tokens: your own (issue with your authenticator's code, revoke), and the clinic's
for its admin (list every user's, revoke any)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from mesochart.accounts import tokens
from mesochart.accounts.decorators import member_required
from mesochart.accounts.forms import TokenForm
from mesochart.accounts.models import ApiToken
from mesochart.accounts.roles import allows


def _int_or_404(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("not a token") from None


@member_required
def api_tokens(request):
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and "revoke" in request.POST:
        tokens.revoke_token(request.actor, _int_or_404(request.POST["revoke"]))
        return redirect("accounts:api_tokens")
    if request.method == "POST" and form.is_valid():
        try:
            _, raw = tokens.issue_token(
                request.actor,
                request.clinic,
                form.cleaned_data["name"],
                form.cleaned_data["code"],
            )
            form = TokenForm()
        except ValidationError as error:
            for field, rules in error.message_dict.items():
                for rule in rules:
                    form.add_error(field if field in form.fields else None, rule)
    mine = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True).select_related(
        "clinic"
    )
    context = {
        "form": form,
        "tokens": mine,
        "raw": raw,
        "is_admin": allows(request.membership.role, "staff.manage"),
    }
    return render(request, "accounts/api_tokens.html", context, status=422 if form.errors else 200)


@member_required
def clinic_tokens(request):
    """Every active token of the clinic, whoever holds it; the admin may revoke any."""
    if not allows(request.membership.role, "staff.manage"):
        raise PermissionDenied(gettext_lazy("Only an admin of this clinic may see its API tokens."))
    if request.method == "POST":
        token_id = _int_or_404(request.POST.get("revoke", ""))
        tokens.revoke_clinic_token(request.actor, token_id)
        return redirect("accounts:clinic_tokens")
    found = tokens.tokens_of_clinic(request.membership)
    return render(request, "accounts/clinic_tokens.html", {"tokens": found})
