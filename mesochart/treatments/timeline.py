"""A patient's history in date order: plans, sessions, amendments, adverse events and their
follow-ups, screenings and consents.

A fixed number of queries whatever the length of the history (one per kind, ``values()``
only, never a session's points), so a patient with fifty sessions opens as fast as one with
two (tests: test_patient_timeline.py; bench/bench_treatments.py).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from mesochart.consent.models import Consent, Screening
from mesochart.consent.plans import area_words
from mesochart.core.volumes import format_ml
from mesochart.planning.models import Plan
from mesochart.treatments.events import change_lines
from mesochart.treatments.late_entry import describe
from mesochart.treatments.models import (
    AdverseEvent,
    AdverseEventUpdate,
    Amendment,
    SessionProduct,
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
        lots.setdefault(session_id, []).append(f"{name}, lot {lot}, {format_ml(drawn)} drawn")
    out = []
    zone = ZoneInfo(patient.clinic.time_zone)
    for s in sessions:
        by = f"{s['practitioner__first_name']} {s['practitioner__last_name']}".strip()
        late = bool(s["late_entry_reason"])
        detail = f"by {by or s['practitioner__username']}"
        if late:
            detail += "; " + describe(s["started_at"], s["created_at"], s["signed_at"], zone)
        out.append(
            Entry(
                # A late entry stands where it was performed, not where it was signed.
                s["started_at"] if late else (s["signed_at"] or s["started_at"]),
                "session",
                f"Session: {', '.join(s['areas']) or 'no area yet'} ({s['plan__title']})",
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
                f"{a['kind'].capitalize()} to the session",
                a["kind"],
                f"by {a['by__username']}: {a['text']}",
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
            f"Adverse event: {r['event_type'].replace('_', ' ')}",
            "serious" if r["seriousness"] else r["severity"],
            f"{r['severity']}, outcome {r['outcome'].replace('_', ' ')}",
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
            f"Follow-up of the adverse event: {u.event.get_event_type_display().lower()}",
            "",
            f"by {u.by.username}" + (f": {u.note}" if u.note else ""),
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
            f"Screening: {r['indication'].replace('_', ' ')}, {area_words(r['area'])}",
            "findings" if r["findings"] else "clear",
            f"{len(r['findings'])} finding(s)",
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
            f"Consent: {r['indication'].replace('_', ' ')}, {r['area']}",
            "withdrawn" if r["withdrawn_at"] else "signed",
            f"signed by {r['signer_name']}",
        )
        for r in rows
    ]


def _photos(patient, zone):
    """One entry per day and area photographed (the timeline shows no image, so it reads no
    photo; the gallery it links to does, and audits that)."""
    from mesochart.photos.models import Photo

    groups: dict[tuple, tuple] = {}
    rows = Photo.objects.filter(patient=patient, clinic_id=patient.clinic_id).order_by("taken_at")
    for taken_at, area, view in rows.values_list("taken_at", "area", "view"):
        day = taken_at.astimezone(zone).date() if zone is not None else taken_at.date()
        groups.setdefault((day, area), (taken_at, []))[1].append(view.replace("_", " "))
    return [
        Entry(
            first,
            "photos",
            f"Photos: {area}",
            "",
            ", ".join(views),
            f"/photos/patient/{patient.pk}/",
        )
        for (_, area), (first, views) in groups.items()
    ]


def first_date(entries) -> date | None:
    return entries[-1].at.date() if entries else None
