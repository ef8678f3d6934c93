"""Consent templates: each save is a new version; versions are never changed afterwards, so a
consent signed on version 2 keeps pointing at exactly what version 2 said."""

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.consent.access import require
from mesochart.consent.actions.common import refuse, valid
from mesochart.consent.forms import TemplateForm
from mesochart.consent.models import ConsentTemplate, ConsentTemplateVersion, TemplateScope
from mesochart.formulary.engine import visible_products
from mesochart.patients.models import DEFAULT_LANGUAGE


def save_template(actor: Actor, data: dict) -> ConsentTemplateVersion:
    """The next version of the clinic's template for ``scope`` and ``subject`` (created with
    version 1 when the clinic has none), in ``language`` (default English): a translation is
    a version of its own, and never changes one a patient signed."""
    require(actor, "consent.template.edit")
    cleaned = valid(TemplateForm(data))
    if cleaned["scope"] == TemplateScope.PRODUCT:
        typed = cleaned["subject"]
        product = (
            visible_products(actor.clinic)
            .filter(Q(slug=typed) | Q(name__iexact=typed))
            .order_by("name")
            .first()
        )
        if product is None:
            refuse("subject", _("is not a product of this formulary (its name or its slug)"))
        cleaned["subject"] = product.slug
    with transaction.atomic():
        template, _created = ConsentTemplate.objects.select_for_update().get_or_create(
            clinic=actor.clinic,
            scope=cleaned["scope"],
            subject=cleaned["subject"],
            defaults={"title": cleaned["title"]},
        )
        language = cleaned.get("language") or DEFAULT_LANGUAGE
        if language == DEFAULT_LANGUAGE and template.title != cleaned["title"]:
            template.title = cleaned["title"]
            template.save(update_fields=["title"])
        number = (template.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = ConsentTemplateVersion(
            template=template,
            number=number,
            language=language,
            title="" if language == DEFAULT_LANGUAGE else cleaned["title"],
            risks=cleaned["risks"].strip(),
            alternatives=cleaned["alternatives"].strip(),
            expected_sessions=cleaned["expected_sessions"].strip(),
            aftercare=cleaned["aftercare"].strip(),
            created_by=actor.user,
        )
        version.content_sha256 = version.content_hash()
        version.save()
        record(
            actor,
            Action.CREATE,
            Category.CLINICAL,
            obj=version,
            detail={
                "scope": template.scope,
                "subject": template.subject,
                "number": number,
                "language": version.language,
                "content_sha256": version.content_sha256,
            },
        )
    return version
