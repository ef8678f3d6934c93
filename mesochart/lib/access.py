"""The one role check and the one scoped lookup every app's ``access.py`` is built from.

`require` refuses a role without the permission (403); `get_or_404` finds a row among rows
already scoped to the membership's clinic, or refuses with 404, then checks the role. Every
refusal is written to the audit log (outcome ``denied``, in the category the permission
belongs to): trying to reach what one may not is something the practice reviews.
``mesochart/tests/test_access_rules.py`` fails when a view, an API module or a template tag
reaches a patient-scoped model without going through an access module.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.actor import Actor
from mesochart.accounts.roles import allows
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category, Outcome

# The audit category of a refusal, by the permission's first word.
CATEGORY_OF = {
    "patient": Category.DEMOGRAPHICS,
    "screening": Category.CLINICAL,
    "consent": Category.CLINICAL,
    "formulary": Category.FORMULARY,
    "plan": Category.PLANNING,
    "session": Category.TREATMENT,
    "adverse": Category.TREATMENT,
    "recall": Category.TREATMENT,
    "outcome": Category.OUTCOME,
    "photo": Category.PHOTO,
    "analytics": Category.OUTCOME,
    "staff": Category.STAFF,
    "audit": Category.AUDIT,
    "appointment": Category.PLANNING,
    "schedule": Category.PLANNING,
}


def category_of(permission: str) -> Category:
    return CATEGORY_OF.get(permission.split(".", 1)[0], Category.DEMOGRAPHICS)


def refused(membership, patient, detail: dict, category: Category | None = None) -> None:
    """Write a refused access (outcome ``denied``) to the audit log."""
    record(
        membership.user,
        Action.READ,
        category or Category.DEMOGRAPHICS,
        clinic=membership.clinic,
        patient=patient,
        outcome=Outcome.DENIED,
        detail=detail,
    )


def member(who):
    """The membership of ``who``: a membership, or an `Actor`'s (None when it acts at no
    clinic). The checks below take either."""
    return who.membership if isinstance(who, Actor) else who


def require(membership, permission: str, *, patient=None, detail: dict | None = None) -> None:
    """Refuse (403, audited) a membership (or an actor) whose role lacks ``permission``; no
    membership (not staff of any clinic) is refused too, with nobody to name in the log."""
    membership = member(membership)
    if membership is not None and allows(membership.role, permission):
        return
    if membership is not None:
        refused(
            membership,
            patient,
            {**(detail or {}), "permission": permission},
            category_of(permission),
        )
    raise PermissionDenied(
        _("Your role may not do this (%(permission)s).") % {"permission": permission}
    )


def get_or_404(
    membership, rows, pk, permission: str, *, key: str, what: str, detail: dict | None = None
):
    """The row ``pk`` among ``rows`` (already scoped to the membership's clinic), or 404;
    then the role check, or 403; both refusals audited (with ``detail`` added, e.g. the
    purpose a photo was asked for). The lookup comes first so that a refusal names the
    row's patient; an allowed request costs the one query."""
    membership = member(membership)
    if membership is None:
        raise PermissionDenied(
            _("Your role may not do this (%(permission)s).") % {"permission": permission}
        )
    try:
        found = rows.get(pk=pk)
    except (rows.model.DoesNotExist, ValueError, TypeError, OverflowError):
        missing = {key: str(pk), "reason": "not in this clinic", **(detail or {})}
        refused(membership, None, missing, category_of(permission))
        raise Http404(f"No such {what} in this clinic.") from None
    patient = found if rows.model._meta.model_name == "patient" else getattr(found, "patient", None)
    require(membership, permission, patient=patient, detail={key: str(pk), **(detail or {})})
    return found
