"""The request a staff page or API call works with once it is past sign-in at a clinic.

`accounts.middleware` (pages) and `accounts.api_auth` (tokens) set ``membership`` and
``clinic`` on every request; views behind `member_required` and every API operation may rely
on both being there, and on ``user`` being the signed-in staff member (never anonymous).
Annotating ``request: ClinicRequest`` says so to the type checker, in place of attributes
Django's `HttpRequest` does not declare.
"""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from mesochart.accounts.actor import Actor
    from mesochart.accounts.models import Clinic, Membership, User


class ClinicRequest(HttpRequest):
    actor: "Actor"  # who acts: what the view passes to an action
    membership: "Membership"
    clinic: "Clinic"
    memberships: list["Membership"]  # the clinic switcher's choices (pages only)
    user: "User"
