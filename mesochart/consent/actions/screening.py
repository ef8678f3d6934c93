"""Screening: run the core's rules for a response against a plan, acknowledge relative findings,
and keep the clinic's policy (validity in days, its own rules as data).

Anyone may run a screening (``screening.collect``): it is a computation over answers already
given. Only a practitioner may acknowledge a relative finding (``screening.acknowledge``), with
a written reason, and that is audited; absolute findings cannot be acknowledged at all.
"""

from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mesochart.accounts.actor import Actor
from mesochart.audit.log import record
from mesochart.audit.models import Action, Category
from mesochart.consent.access import require
from mesochart.consent.actions.common import refuse, valid
from mesochart.consent.facts import Target, patient_facts
from mesochart.consent.forms import AcknowledgementForm, PolicyForm, TargetForm
from mesochart.consent.models import (
    Acknowledgement,
    QuestionnaireResponse,
    Screening,
    ScreeningPolicy,
)
from mesochart.consent.plans import area_of, area_words, region_words, uncovered
from mesochart.consent.questionnaire import CURRENT, QUESTIONNAIRES, from_json
from mesochart.core.screening import Answers, parse_clinic_rules, screen
from mesochart.core.screening_rules import Kind, ScreeningError


def target_from(membership, data: dict, plan=None) -> Target:
    """The plan to screen or consent to, from ``cocktail`` (a version id), ``area`` and
    ``indication``; errors name those fields."""
    cleaned = valid(TargetForm(data, membership=membership))
    return Target(cleaned["cocktail"], cleaned["area"], cleaned["indication"], plan)


def target_of_plan(form) -> Target:
    """The target of a bound `PlanTargetForm`: the plan's cocktail version and indication,
    the areas ticked; errors name ``plan`` or ``regions``."""
    cleaned = valid(form)
    plan = cleaned["plan"]
    return Target(plan.cocktail_version, area_of(cleaned["regions"]), plan.indication, plan)


def clinic_rules(clinic, questionnaire=CURRENT):
    """The clinic's own rules, parsed; rules saved under an older questionnaire that no
    longer parse are an error to fix, never silently skipped."""
    policy = ScreeningPolicy.of(clinic)
    try:
        return parse_clinic_rules(policy.rules, questionnaire)
    except ScreeningError as error:
        raise ValidationError({f"clinic_rules.{error.field}": [error.rule]}) from None


def run_screening(
    actor: Actor, patient, response: QuestionnaireResponse, *, target: Target
) -> Screening:
    """Screen ``response`` against ``target`` today and store the findings."""
    require(actor, "screening.collect")
    policy = ScreeningPolicy.of(actor.clinic)
    today = actor.clinic.today()
    if response.patient_id != patient.pk:
        refuse("response", "belongs to another patient")
    if missing := uncovered(target.area, response.area):
        refuse(
            "area",
            f"the answers are about {area_words(response.area)}: ask the questions again "
            f"for {'; '.join(region_words(r) for r in missing)}",
        )
    if (today - response.asked_on).days > policy.valid_days:
        refuse(
            "response",
            f"was answered on {response.asked_on.isoformat()}, more than "
            f"{policy.valid_days} days ago: ask the questions again",
        )
    questionnaire = QUESTIONNAIRES.get(response.questionnaire_version)
    if questionnaire is None:
        refuse("response", f"answers questionnaire {response.questionnaire_version}, now retired")
    answers = Answers(questionnaire.version, from_json(questionnaire, response.answers))
    cocktail = target.cocktail()
    try:
        findings = screen(
            patient_facts(patient),
            answers,
            cocktail,
            target.area,
            today,
            clinic_rules=clinic_rules(actor.clinic, questionnaire),
            questionnaire=questionnaire,
            valid_days=policy.valid_days,
        )
    except ScreeningError as error:
        raise ValidationError({error.field: [error.rule]}) from None
    with transaction.atomic():
        screening = Screening.objects.create(
            patient=patient,
            clinic=actor.clinic,
            response=response,
            cocktail_version=target.cocktail_version,
            area=target.area,
            indication=target.indication,
            completed_on=today,
            fingerprint=target.fingerprint(),
            findings=[
                {**asdict(f), "kind": f.kind.value, "evidence": list(f.evidence)} for f in findings
            ],
            valid_days=policy.valid_days,
            screened_by=actor.user,
        )
        record(
            actor,
            Action.CREATE,
            Category.CLINICAL,
            patient=patient,
            obj=screening,
            detail={
                "cocktail_version": target.cocktail_version.pk,
                "area": target.area,
                "indication": target.indication,
                "fingerprint": screening.fingerprint,
                "absolute": [f.key for f in findings if f.kind == Kind.ABSOLUTE],
                "relative": [f.key for f in findings if f.kind == Kind.RELATIVE],
            },
        )
    return screening


def acknowledge(actor: Actor, screening: Screening, data: dict) -> Acknowledgement:
    """The practitioner's written reason to treat despite relative finding ``data["key"]``."""
    require(actor, "screening.acknowledge")
    cleaned = valid(AcknowledgementForm(data))
    finding = next((f for f in screening.core_findings() if f.key == cleaned["key"]), None)
    if finding is None:
        refuse("key", "is not a finding of this screening")
    if finding.kind == Kind.ABSOLUTE:
        refuse("key", "is an absolute contraindication: it cannot be acknowledged")
    status = screening.status(actor.clinic.today())
    if status.state != "valid":
        refuse("screening", f"is {status.state}: screen again")
    with transaction.atomic():
        locked = Screening.objects.select_for_update().get(pk=screening.pk)
        if locked.acknowledgements.filter(finding_key=finding.key).exists():
            refuse("key", "is already acknowledged")
        acknowledgement = Acknowledgement.objects.create(
            screening=locked,
            finding_key=finding.key,
            reason=cleaned["reason"],
            acknowledged_by=actor.user,
        )
        record(
            actor,
            Action.UPDATE,
            Category.CLINICAL,
            patient=screening.patient,
            obj=locked,
            detail={
                "acknowledged": finding.key,
                "reason": acknowledgement.reason,
                "source": finding.source,
            },
        )
    return acknowledgement


def save_policy(actor: Actor, data: dict) -> ScreeningPolicy:
    """The clinic's validity period and rules; rules the core cannot read are refused, the
    error naming the field (``rules[0].when.op: unknown operator 'like'``)."""
    require(actor, "screening.rules.edit")
    cleaned = valid(PolicyForm(data))
    try:
        parse_clinic_rules(cleaned["rules"], CURRENT)
    except ScreeningError as error:
        # The core calls the whole JSON "document"; on the form it is the rules field.
        field = error.field.replace("document.rules", "rules").replace("document", "rules")
        raise ValidationError({field: [error.rule]}) from None
    with transaction.atomic():
        policy, _ = ScreeningPolicy.objects.select_for_update().get_or_create(clinic=actor.clinic)
        before = {"valid_days": policy.valid_days, "rules": policy.rules}
        policy.valid_days = cleaned["valid_days"]
        policy.rules = cleaned["rules"]
        policy.updated_at = timezone.now()
        policy.updated_by = actor.user
        policy.save()
        record(
            actor,
            Action.UPDATE,
            Category.CLINICAL,
            obj=policy,
            detail={
                "before": before,
                "after": {"valid_days": policy.valid_days, "rules": policy.rules},
            },
        )
    return policy
