"""Screening findings in the page's language (issue 18). The core words a finding in English
from its rule (`core.screening_defaults`: a key and a message) and the evidence; a page in
another language shows the rule's message translated here, by its key. A clinic's own rules
are written in the clinic's words and shown as written."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# key: (the core's English message, its translation)
DEFAULT_MESSAGES = {
    "pregnancy": ("Pregnant or possibly pregnant", gettext_lazy("Pregnant or possibly pregnant")),
    "breastfeeding": ("Breastfeeding", gettext_lazy("Breastfeeding")),
    "site_infection": (
        "Infection at the treatment site",
        gettext_lazy("Infection at the treatment site"),
    ),
    "site_herpes": ("Herpes at the treatment site", gettext_lazy("Herpes at the treatment site")),
    "component_allergy": (
        "Known allergy to a component of the cocktail",
        gettext_lazy("Known allergy to a component of the cocktail"),
    ),
    "under_18": ("Under 18 years old", gettext_lazy("Under 18 years old")),
    "bleeding_risk_medication": (
        "Takes an anticoagulant or antiplatelet medicine",
        gettext_lazy("Takes an anticoagulant or antiplatelet medicine"),
    ),
    "bleeding_disorder": (
        "Bleeding or clotting disorder",
        gettext_lazy("Bleeding or clotting disorder"),
    ),
    "immunosuppression": (
        "Immunosuppressed or on chemotherapy",
        gettext_lazy("Immunosuppressed or on chemotherapy"),
    ),
    "active_cancer": ("Active cancer", gettext_lazy("Active cancer")),
    "autoimmune_disease": ("Autoimmune disease", gettext_lazy("Autoimmune disease")),
    "uncontrolled_diabetes": (
        "Diabetes that is not controlled (decompensated)",
        gettext_lazy("Diabetes that is not controlled (decompensated)"),
    ),
    "keloid_tendency": ("Tendency to keloid scarring", gettext_lazy("Tendency to keloid scarring")),
    "bmi_over_30_lipolysis": (
        "BMI over 30 for a lipolysis product",
        gettext_lazy("BMI over 30 for a lipolysis product"),
    ),
    "prior_surgery_at_site": (
        "Prior surgery at the treatment site",
        gettext_lazy("Prior surgery at the treatment site"),
    ),
}
CANNOT_RULE_OUT = "Cannot rule out: "
NOT_ANSWERED = " (not answered or recorded: "


def screening_words(finding) -> str:
    message = getattr(finding, "message", None)
    if message is None and isinstance(finding, dict):
        message = finding.get("message", "")
    message = message or ""
    key = getattr(finding, "key", None) or (
        finding.get("key") if isinstance(finding, dict) else None
    )
    if translation.get_language() in (None, "en-gb", "en") or key not in DEFAULT_MESSAGES:
        return message
    english, translated = DEFAULT_MESSAGES[key]
    if message.startswith(CANNOT_RULE_OUT + english):
        rest = message[len(CANNOT_RULE_OUT + english) :].replace(
            NOT_ANSWERED, _(" (not answered or recorded: ")
        )
        return _("Cannot rule out: %(what)s") % {"what": translated} + rest
    if message.startswith(english):
        return str(translated) + message[len(english) :]
    return message
