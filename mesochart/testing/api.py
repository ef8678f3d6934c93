"""The JSON API as a member of staff calls it: with their own token for their clinic."""

from django.test import Client

from mesochart.accounts.models import ApiToken, Membership

API = "/api/v1"
HTMX = {"HX-Request": "true"}


class ApiCaller:
    """One member of staff calling the JSON API with their own token for their clinic (the
    first of their memberships); ``None`` (or `anonymous`) calls with no token."""

    def __init__(self, user):
        headers = {}
        if user is not None:
            membership = Membership.objects.filter(user=user).select_related("clinic").first()
            _, raw = ApiToken.issue(user, membership.clinic, "tests", second_factor=True)
            headers["Authorization"] = f"Bearer {raw}"
        self.client = Client(headers=headers)

    @classmethod
    def anonymous(cls) -> "ApiCaller":
        return cls(None)

    def get(self, path: str, params: dict | None = None):
        return self.client.get(API + path, params or {})

    def post(self, path: str, body, method: str = "post"):
        return getattr(self.client, method)(API + path, body, content_type="application/json")
