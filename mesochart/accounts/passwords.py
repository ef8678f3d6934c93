"""The password policy beyond Django's validators: no password made of a few characters
repeated ("aaaaaaaaaaaa", "abababababab", "111122223333"). Django's own validators refuse
short, numeric, user-like and common passwords (`CommonPasswordValidator` ships a list of
the 20,000 most common ones from breach corpora)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MIN_DISTINCT = 6
RUN = re.compile(r"(.)\1{3,}")  # one character four times in a row


class RepetitivePasswordValidator:
    def validate(self, password: str, user=None) -> None:
        if len(set(password.lower())) < MIN_DISTINCT or RUN.search(password):
            raise ValidationError(
                _(
                    "is too repetitive: use at least %(MIN_DISTINCT)s different characters and no "
                    "character four times in a row"
                )
                % {"MIN_DISTINCT": MIN_DISTINCT},
                code="password_too_repetitive",
            )

    def get_help_text(self) -> str:
        return f"At least {MIN_DISTINCT} different characters, none four times in a row."
