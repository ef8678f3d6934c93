"""A patient's history in date order: plans, sessions, amendments, adverse events and their
follow-ups, screenings and consents.

A fixed number of queries whatever the length of the history (one per kind, ``values()``
only, never a session's points), so a patient with fifty sessions opens as fast as one with
two (tests: test_patient_timeline.py; bench/bench_treatments.py).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from mesochart.consent.models import Consent, Screening
from mesochart.consent.plans import area_words, region_words
from mesochart.core.volumes import format_ml
from mesochart.planning.models import Plan, PlanStatus, indication_label
from mesochart.treatments.events import change_lines
from mesochart.treatments.late_entry import describe
from mesochart.treatments.models import (
    AdverseEvent,
    AdverseEventUpdate,
    Amendment,
    AmendmentKind,
    EventOutcome,
    EventSeverity,
    EventType,
    SessionProduct,
    SessionStatus,
    TreatmentSession,
)

# How a status reads at a glance: a badge's colour on the timeline.
TONES = {
    "signed": "ok",
    "approved": "ok",
    "clear": "ok",
    "serious": "danger",
    "withdrawn": "danger",
    "draft": "warn",
}
# What a badge says: the status in the reader's language.
STATUS_WORDS = {
    **dict(SessionStatus.choices),
    **dict(PlanStatus.choices),
    **dict(EventSeverity.choices),
    **dict(AmendmentKind.choices),
    "serious": gettext_lazy("Serious"),
    "clear": pgettext_lazy("a screening without findings", "Clear"),
    "findings": gettext_lazy("Findings"),
    "withdrawn": gettext_lazy("Withdrawn"),
}


@dataclass
class Entry:
    at: datetime
    kind: str  # plan, session, amendment, adverse_event, follow_up, screening, consent, photos
    title: str
    status: str = ""
    detail: str = ""
    url: str = ""
    lines: list[str] = field(default_factory=list)
    # False for what the record holds as a day only (a screening's date, an event's onset).
    timed: bool = True
    # A session signed as a deviation from its plan (`core.deviation`): flagged at a glance.
    deviation: bool = False
    # A session recorded after the fact: placed when it was performed, flagged "late entry".
    late_entry: bool = False

    @property
    def day(self) -> str:
        """The entry's day at the clinic, as the timeline prints it."""
        return self.at.date().isoformat()

    @property
    def stamp(self) -> str:
        """For ``<time datetime>``: the moment with the clinic's offset, or the day."""
        return self.at.isoformat() if self.timed else self.day

    @property
    def status_words(self) -> str:
        return str(STATUS_WORDS.get(self.status, self.status))

    @property
    def clock(self) -> str:
        """The entry's time of day at the clinic ("14:05"), or "" for a day-only entry."""
        return self.at.strftime("%H:%M") if self.timed else ""

    @property
    def tone(self) -> str:
        return TONES.get(self.status, "")


def _at(value, zone) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(12), tzinfo=zone)


def timeline(patient) -> list[Entry]:
    """Newest first. ``patient`` was fetched through ``patients.access``."""
    zone = ZoneInfo(patient.clinic.time_zone) if hasattr(patient, "clinic") else None
    entries = [*_plans(patient), *_sessions(patient), *_events(patient), *_follow_ups(patient)]
    entries += [*_screenings(patient, zone), *_consents(patient), *_photos(patient, zone)]
    for entry in entries:
        entry.timed = entry.timed and isinstance(entry.at, datetime)
        entry.at = _at(entry.at, zone)
        if zone is not None:
            entry.at = entry.at.astimezone(zone)
    return sorted(entries, key=lambda e: e.at, reverse=True)


def _plans(patient):
    rows = Plan.objects.filter(patient=patient, clinic_id=patient.clinic_id).values(
        "pk", "title", "status", "created_at", "approved_at"
    )
    return [
        Entry(
            r["approved_at"] or r["created_at"],
            "plan",
            r["title"],
            r["status"],
            url=f"/plans/{r['pk']}/",
        )
        for r in rows
    ]


def _sessions(patient):
    sessions = list(
        TreatmentSession.objects.filter(patient=patient, clinic_id=patient.clinic_id)
        .exclude(status="voided")
        .values(
            "pk",
            "status",
            "started_at",
            "signed_at",
            "areas",
            "plan__title",
            "practitioner__first_name",
            "practitioner__last_name",
            "practitioner__username",
            "deviation_justification",
            "late_entry_reason",
            "created_at",
        )
    )
    ids = [s["pk"] for s in sessions]
    lots: dict[int, list[str]] = {}
    for session_id, name, lot, drawn in SessionProduct.objects.filter(
        session_id__in=ids
    ).values_list("session_id", "product__name", "lot__lot_number", "volume_drawn_ml"):
        lots.setdefault(session_id, []).append(
            _("%(product)s, lot %(lot)s, %(volume)s drawn")
            % {"product": name, "lot": lot, "volume": format_ml(drawn)}
        )
    out = []
    zone = ZoneInfo(patient.clinic.time_zone)
    for s in sessions:
        by = f"{s['practitioner__first_name']} {s['practitioner__last_name']}".strip()
        late = bool(s["late_entry_reason"])
        detail = _("by %(name)s") % {"name": by or s["practitioner__username"]}
        if late:
            detail += "; " + describe(s["started_at"], s["created_at"], s["signed_at"], zone)
        out.append(
            Entry(
                # A late entry stands where it was performed, not where it was signed.
                s["started_at"] if late else (s["signed_at"] or s["started_at"]),
                "session",
                _("Session: %(areas)s (%(plan)s)")
                % {
                    "areas": ", ".join(region_words(a) for a in s["areas"]) or _("no area yet"),
                    "plan": s["plan__title"],
                },
                s["status"],
                detail,
                f"/sessions/{s['pk']}/",
                lots.get(s["pk"], []),
                deviation=bool(s["deviation_justification"]),
                late_entry=late,
            )
        )
    for a in Amendment.objects.filter(session_id__in=ids).values(
        "session_id", "kind", "text", "at", "by__username"
    ):
        out.append(
            Entry(
                a["at"],
                "amendment",
                _("Addendum to the session")
                if a["kind"] == AmendmentKind.ADDENDUM
                else _("Correction to the session"),
                a["kind"],
                _("by %(name)s: %(text)s") % {"name": a["by__username"], "text": a["text"]},
                f"/sessions/{a['session_id']}/",
            )
        )
    return out


def _events(patient):
    rows = AdverseEvent.objects.filter(patient=patient, clinic_id=patient.clinic_id).values(
        "pk", "event_type", "severity", "seriousness", "onset_on", "outcome"
    )
    return [
        Entry(
            r["onset_on"],
            "adverse_event",
            _("Adverse event: %(type)s") % {"type": _label(EventType, r["event_type"])},
            "serious" if r["seriousness"] else r["severity"],
            _("%(severity)s, outcome %(outcome)s")
            % {
                "severity": _label(EventSeverity, r["severity"]),
                "outcome": _label(EventOutcome, r["outcome"]),
            },
            f"/sessions/adverse-events/{r['pk']}/",
        )
        for r in rows
    ]


def _follow_ups(patient):
    rows = AdverseEventUpdate.objects.filter(
        event__patient=patient, event__clinic_id=patient.clinic_id
    ).select_related("event", "by")
    return [
        Entry(
            u.at,
            "follow_up",
            _("Follow-up of the adverse event: %(type)s")
            % {"type": _label(EventType, u.event.event_type)},
            "",
            _("by %(name)s: %(text)s") % {"name": u.by.username, "text": u.note}
            if u.note
            else _("by %(name)s") % {"name": u.by.username},
            f"/sessions/adverse-events/{u.event_id}/",
            change_lines(u),
        )
        for u in rows
    ]


def _screenings(patient, zone):
    rows = Screening.objects.for_patient(patient).values(
        "completed_on", "area", "indication", "findings"
    )
    return [
        Entry(
            r["completed_on"],
            "screening",
            _("Screening: %(indication)s, %(area)s")
            % {"indication": _indication(r["indication"]), "area": area_words(r["area"])},
            "findings" if r["findings"] else "clear",
            ngettext("%(count)s finding", "%(count)s findings", len(r["findings"]))
            % {"count": len(r["findings"])},
        )
        for r in rows
    ]


def _consents(patient):
    rows = Consent.objects.for_patient(patient).values(
        "signed_at", "indication", "area", "signer_name", "withdrawn_at"
    )
    return [
        Entry(
            r["signed_at"],
            "consent",
            _("Consent: %(indication)s, %(area)s")
            % {"indication": _indication(r["indication"]), "area": area_words(r["area"])},
            "withdrawn" if r["withdrawn_at"] else "signed",
            _("signed by %(name)s") % {"name": r["signer_name"]},
        )
        for r in rows
    ]


def _photos(patient, zone):
    """One entry per day and area photographed (the timeline shows no image, so it reads no
    photo; the gallery it links to does, and audits that)."""
    from mesochart.photos.models import Photo
    from mesochart.photos.poses import AREAS

    groups: dict[tuple, tuple] = {}
    rows = Photo.objects.filter(patient=patient, clinic_id=patient.clinic_id).order_by("taken_at")
    for taken_at, area, view in rows.values_list("taken_at", "area", "view"):
        day = taken_at.astimezone(zone).date() if zone is not None else taken_at.date()
        found = AREAS.get(area)
        pose = found.view(view) if found else None
        groups.setdefault((day, area), (taken_at, []))[1].append(
            str(pose.label).lower() if pose else view.replace("_", " ")
        )
    return [
        Entry(
            first,
            "photos",
            _("Photos: %(area)s")
            % {"area": str(AREAS[area].label).lower() if area in AREAS else area},
            "",
            ", ".join(views),
            f"/photos/patient/{patient.pk}/",
        )
        for (_day, area), (first, views) in groups.items()
    ]


def first_date(entries) -> date | None:
    return entries[-1].at.date() if entries else None


def _label(choices, code: str) -> str:
    """A code's label in running text ("bruising", "ecchymose"); an unknown code as it is."""
    return str(choices(code).label).lower() if code in choices.values else code


def _indication(code: str) -> str:
    """A plan's indication in words, or a screening's own (lipolysis) as the consent says it."""
    return _(indication_label(code)).replace("_", " ").lower()
