from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from mesochart.accounts.models import Credential, User
from mesochart.accounts.roles import Role
from mesochart.lib.widgets import DateInput


class SignInForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class TotpForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\d{6}$",
        error_messages={"invalid": "must be the 6 digits your app shows"},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "maxlength": 6,
            }
        ),
    )


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; not a common password, not repetitive."),
    )
    new_password_again = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class NewStaffForm(forms.ModelForm):
    role = forms.ChoiceField(choices=Role.choices)
    password = forms.CharField(widget=forms.PasswordInput, help_text=_("At least 12 characters."))

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def clean(self):
        data = super().clean()
        if data.get("password"):
            # Every field the similarity validator reads, names included.
            probe = User(**{name: data.get(name, "") for name in self.Meta.fields})
            try:
                validate_password(data["password"], probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


class CredentialForm(forms.ModelForm):
    class Meta:
        model = Credential
        fields = [
            "profession",
            "licence_number",
            "issuing_body",
            "expires_on",
            "may_administer_prescription_medicines",
        ]
        widgets = {"expires_on": DateInput()}


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text=_("What the token is for, e.g. 'lab import'."))
    code = forms.CharField(
        label=_("Authenticator code"),
        required=False,
        max_length=10,
        help_text=_("The 6-digit code of your authenticator (practitioners and admins)."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
