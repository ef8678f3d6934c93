"""Patient search and chart pages at practice scale: p50/p95/p99 per operation, in ms.

Seeds N synthetic patients (default 100,000) into a fresh database, then times what a
clinic does all day: the search box (name prefix, "given family", record number, date of
birth) through the list page's own queryset, the list page through HTTP, and opening a
patient's chart (which appends an audit row) through HTTP.

    .venv/bin/python bench/bench_patients.py                   # SQLite in a temp dir
    .venv/bin/python bench/bench_patients.py \
        --database-url postgres://postgres@127.0.0.1:5432/mesochart_bench --json OUT.json

The JSON report goes to stdout (or --json); progress, EXPLAIN output and a summary table go
to stderr. Every name, number and date is invented; the generator is seeded.
"""

import argparse
import os
import random
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

import common

SEARCH_TARGET_P95_MS = 20
PAGE_TARGET_P95_MS = 50
BATCH = 2000
# Dates are drawn relative to a fixed day, so a given seed builds the same data every year.
REFERENCE_DAY = date(2026, 1, 1)
LIST_ORDER = ("family_key", "given_key", "pk")  # as patients.views.patient_list
LIST_FIELDS = ("pk", "record_number", "given_name", "family_name", "date_of_birth", "sex_at_birth")

GIVEN = (  # noqa: SIM905 - word lists read better as text
    "Amara Ana Anaïs Ángela Aoife Astrid Beatriz Björn Camille Chloé Clémence Dagný Dmitri "
    "Eilidh Elena Éloïse Emma Farah François Gaspard Grainne Hana Hélène Iker Inês Ingrid "
    "Irène Jana Joanna João Julia Kofi Lars Laura Léa Leïla Lucía Maëlle Małgorzata Maria "
    "Marta Mateo Matías Maya Mei Mónica Nadia Noor Noémie Núria Olga Oskar Paula Priya Quentin "
    "Rafael Renée Rosa Rúben Sara Séverine Sione Siobhán Søren Sofía Talia Tomás Uma Valérie "
    "Viktor Wren Ximena Yusuf Zoé Zofia Åsa Agnès André Benoît Cécile Dóra Émile Jérôme Józef"
).split()
ONSETS = "B Br C Ch D Dr F G Gr H J K Kr L M N P Pr R S Sch St T Tr V W Z Ž Š Ł Ç".split()  # noqa: SIM905
VOWELS = "a a a e e e i i o o o u u á é í ó ú ä ö ü ø å ã".split()  # noqa: SIM905
MIDDLES = "l r n m s t d v k lz rd nt st ch ll rr ñ".split()  # noqa: SIM905
ENDINGS = (  # noqa: SIM905
    "son sen ez es ini elli ović escu ak ová ard ier eau mann berg ström opoulos yan oğlu "
    "ski wicz az ado ero aki ura ens ot ac"
).split()
PARTICLES = ("Ó ", "Mac", "de la ", "van ", "Ní ", "O'", "di ", "Fitz")
STREETS = ("Harbour Street", "Mill Lane", "Rue des Lilas", "Calle Mayor", "Kirkegade", "Rua Nova")
ALLERGENS = ("latex", "lidocaine", "penicillin", "soy", "chlorhexidine", "hyaluronidase", "egg")
MEDICINES = (
    ("apixaban", "5 mg twice daily", True, False),
    ("aspirin", "75 mg daily", False, True),
    ("levothyroxine", "50 micrograms daily", False, False),
    ("isotretinoin", "20 mg daily", False, False),
    ("sertraline", "50 mg daily", False, False),
)


@dataclass(frozen=True)
class Seeded:
    """What the queries are drawn from: one current patient of the benchmarked clinic."""

    pk: int
    given_name: str
    family_name: str
    record_number: str
    date_of_birth: date


def family_pool(rng: random.Random, size: int = 20_000) -> list[str]:
    """Invented family names with accents, particles and some double-barrelled ones."""
    names: set[str] = set()
    while len(names) < size:
        stem = rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(MIDDLES) + rng.choice(VOWELS)
        name = stem + (rng.choice(ENDINGS) if rng.random() < 0.6 else "")
        roll = rng.random()
        if roll < 0.04:
            particle = rng.choice(PARTICLES)
            name = particle + (name if particle.endswith(" ") else name.capitalize())
        elif roll < 0.07:
            name = f"{name}-{rng.choice(ONSETS)}{rng.choice(VOWELS)}{rng.choice(ENDINGS)}"
        names.add(name)
    ordered = sorted(names)
    rng.shuffle(ordered)  # rank (and so frequency) unrelated to spelling
    return ordered


def zipf_weights(count: int, offset: int) -> list[float]:
    """A few common names and a long tail, as in real registers (the offset flattens the head)."""
    return [1 / (rank + offset) for rank in range(count)]


def ascii_of(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum())


def birth_date(rng: random.Random) -> date:
    """Adults, mostly 25 to 60: the age spread of an aesthetic practice's register."""
    age_days = int(min(max(rng.gauss(43, 12), 18), 88) * 365.25)
    return REFERENCE_DAY - timedelta(days=age_days + rng.randrange(365))


def new_patient(rng, org, clinic, number: int, given: str, family: str, *, created: datetime):
    from mesochart.patients.models import Patient

    sex = rng.choices(["female", "male", "intersex", "unknown"], [80, 18, 1, 1])[0]
    measured = rng.random() < 0.7
    patient = Patient(
        organisation=org,
        clinic=clinic,
        record_number=f"{org.record_number_prefix}-{number:06d}",
        given_name=given,
        family_name=family,
        date_of_birth=birth_date(rng),
        sex_at_birth=sex,
        email=f"{ascii_of(given)}.{ascii_of(family)}{number}@example.invalid"
        if rng.random() < 0.6
        else "",
        phone=f"+44 7700 9{rng.randrange(10000, 99999)}" if rng.random() < 0.8 else "",
        address=f"{rng.randrange(1, 200)} {rng.choice(STREETS)}" if rng.random() < 0.5 else "",
        weight_kg=rng.randrange(450, 1100) / 10 if measured else None,
        weight_measured_on=created.date() if measured else None,
        height_cm=rng.randrange(1500, 1950) / 10 if measured else None,
        fitzpatrick_type=rng.choice(["I", "II", "III", "IV", "V", "VI"]) if measured else "",
        pregnancy_status=rng.choice(["no", "unknown"]) if sex == "female" else "not_applicable",
        created_at=created,
        updated_at=created,
    )
    patient.refresh_search_keys()
    return patient


def history_for(rng, patient, created: datetime) -> tuple[list, list]:
    """About one patient in five has allergies or medications on file."""
    from mesochart.patients.models import Allergy, Medication

    if rng.random() >= 0.2:
        return [], []
    allergies = [
        Allergy(
            patient=patient,
            substance=substance,
            reaction=rng.choice(["rash", "urticaria", "swelling", ""]),
            severity=rng.choice(["mild", "moderate", "severe", "unknown"]),
            recorded_at=created,
        )
        for substance in rng.sample(ALLERGENS, rng.choice([0, 1, 1, 2]))
    ]
    medications = [
        Medication(
            patient=patient,
            name=name,
            dose=dose,
            anticoagulant=anticoagulant,
            antiplatelet=antiplatelet,
            recorded_at=created,
        )
        for name, dose, anticoagulant, antiplatelet in rng.sample(MEDICINES, rng.choice([0, 1, 2]))
    ]
    if not allergies and not medications:
        allergies.append(Allergy(patient=patient, substance="latex", recorded_at=created))
    return allergies, medications


class AuditChain:
    """Appends past events (the patient's registration, some chart views) to the hash chain.

    A real register of this size carries an audit log several times larger; seeding one
    makes the chart page's audit insert and "viewed by" lookup work on a realistic table.
    """

    def __init__(self, user):
        from mesochart.audit import keys
        from mesochart.audit.models import ChainHead

        self.user = user
        self.head = ChainHead.objects.get(pk=1)
        self.key_id, self.key = keys.current()  # signed as `audit.log.append` signs a row
        self.events = []

    def add(self, action, category, patient, at: datetime) -> None:
        from mesochart.audit.models import AuditEvent

        event = AuditEvent(
            at=at,
            actor_id=self.user.pk,
            actor_label=self.user.username,
            organisation_id=patient.organisation_id,
            clinic_id=patient.clinic_id,
            patient_id=patient.pk,
            action=action,
            category=category,
            object_type="patient",
            object_id=str(patient.pk),
            prev_hash=self.head.last_hash,
            key_id=self.key_id,
        )
        event.row_hash = event.compute_hash(self.key)
        self.head.last_hash = event.row_hash
        self.head.count += 1
        self.events.append(event)

    def flush(self) -> None:
        from mesochart.audit.models import AuditEvent, ChainHead

        if not self.events:
            return
        AuditEvent.objects.bulk_create(self.events)
        ChainHead.objects.filter(pk=1).update(
            last_event_id=self.events[-1].pk,
            last_hash=self.head.last_hash,
            count=self.head.count,
            key_id=self.key_id,
        )
        self.events = []


def create_practice():
    """One organisation with two clinics, and a practitioner working at the first."""
    from mesochart.accounts.models import Clinic, Membership, Organisation, User
    from mesochart.accounts.roles import Role

    org = Organisation.objects.create(name="Bench Aesthetics", slug="bench")
    clinics = [
        Clinic.objects.create(organisation=org, name="Harbour Street"),
        Clinic.objects.create(organisation=org, name="Riverside"),
    ]
    user = User.objects.create_user(username="dr.bench", first_name="Bench", last_name="Doctor")
    Membership.objects.create(user=user, clinic=clinics[0], role=Role.PRACTITIONER)
    # As CurrentClinicMiddleware loads it for a request.
    membership = Membership.objects.select_related("clinic").get(user=user)
    return org, clinics, user, membership


def seed(n: int, rng: random.Random, org, clinics, user) -> list[Seeded]:
    """``n`` patients, about 55% at the first clinic; returns that clinic's current ones."""
    families = family_pool(rng)
    # The commonest family name ends up on about 0.7% of patients, the commonest given
    # name on about 4.5%, much as in a European register.
    family_weights = list(accumulate(zipf_weights(len(families), 20)))
    given_weights = list(accumulate(zipf_weights(len(GIVEN), 10)))
    chain = AuditChain(user)
    first = datetime(2019, 1, 1, 9, tzinfo=UTC)
    span = datetime(2025, 12, 1, tzinfo=UTC) - first
    samples = []
    with common.progress() as bars:
        task = bars.add_task(f"seeding {n:,} patients", total=n)
        for start in range(0, n, BATCH):
            numbers = range(start + 1, min(start + BATCH, n) + 1)
            families_drawn = rng.choices(families, cum_weights=family_weights, k=len(numbers))
            givens_drawn = rng.choices(GIVEN, cum_weights=given_weights, k=len(numbers))
            patients = [
                new_patient(
                    rng,
                    org,
                    clinics[rng.random() >= 0.55],
                    number,
                    given,
                    family,
                    created=first + span * (number / n),
                )
                for number, given, family in zip(numbers, givens_drawn, families_drawn, strict=True)
            ]
            save_batch(rng, patients, user, chain)
            samples += [
                Seeded(p.pk, p.given_name, p.family_name, p.record_number, p.date_of_birth)
                for p in patients
                if p.clinic_id == clinics[0].pk and p.voided_at is None
            ]
            bars.advance(task, len(patients))
    org.next_record_number = n + 1
    org.save(update_fields=["next_record_number"])
    return samples


def save_batch(rng, patients: list, user, chain: "AuditChain") -> None:
    """Insert a batch of patients with their history and audit trail, in one transaction."""
    from django.db import transaction

    from mesochart.audit.models import Action, Category
    from mesochart.patients.models import Allergy, Medication, Patient

    for patient in patients:
        if rng.random() < 0.005:
            patient.voided_at = patient.created_at + timedelta(days=3)
            patient.voided_by = user
            patient.void_reason = "Duplicate registration"
    with transaction.atomic():
        Patient.objects.bulk_create(patients)
        allergies, medications = [], []
        for patient in patients:
            more_allergies, more_medications = history_for(rng, patient, patient.created_at)
            allergies += more_allergies
            medications += more_medications
            chain.add(Action.CREATE, Category.DEMOGRAPHICS, patient, patient.created_at)
            for visit in range(rng.choice([0, 0, 1, 1, 2, 3, 4])):
                at = patient.created_at + timedelta(days=30 * visit + 1)
                chain.add(Action.READ, Category.CLINICAL, patient, at)
        Allergy.objects.bulk_create(allergies)
        Medication.objects.bulk_create(medications)
        chain.flush()


# What a receptionist types into the search box, drawn from real (seeded) patients.


def name_prefix(rng, patient: Seeded) -> str | None:
    """2 to 4 letters of the family name, as typed (accents kept), or None if it has fewer."""
    wanted = rng.randint(2, 4)
    letters = ""
    for char in patient.family_name:
        if not char.isalpha() or len(letters) == wanted:
            break
        letters += char
    return letters if len(letters) >= 2 else None


def given_family(rng, patient: Seeded) -> str:
    """The given name and the start (at least 3 letters) of the family name."""
    family = patient.family_name
    return f"{patient.given_name} {family[: rng.randint(min(3, len(family)), len(family))]}"


def record_number(rng, patient: Seeded) -> str:
    return patient.record_number.lower() if rng.random() < 0.3 else patient.record_number


def date_of_birth(rng, patient: Seeded) -> str:
    return patient.date_of_birth.strftime(rng.choice(("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")))


def draw(rng, samples: list[Seeded], make, count: int) -> list[str]:
    queries = []
    while len(queries) < count:
        query = make(rng, rng.choice(samples))
        if query is not None:
            queries.append(query)
    return queries


def search_page(membership, query: str):
    """The list page's queryset for ``query``: scoped, filtered, ordered, one page."""
    from mesochart.patients.access import patients_for
    from mesochart.patients.search import search_filter
    from mesochart.patients.views import PAGE_SIZE

    patients = patients_for(membership)
    condition = search_filter(query)
    if condition is not None:
        patients = patients.filter(condition)
    return patients.order_by(*LIST_ORDER).only(*LIST_FIELDS)[:PAGE_SIZE]


def signed_in_client(user):
    """A browser past sign-in and the second factor, as ``signed_in`` in conftest.py."""
    from django.test import Client
    from django.utils import timezone

    client = Client()
    client.force_login(user)
    session = client.session
    now = timezone.now().isoformat()
    session.update({"needs_2fa": False, "started_at": now, "last_seen": now})
    session.save()
    return client


def get_ok(client, path: str, query: dict | None = None, headers: dict | None = None) -> None:
    """GET a page as the browser would; anything but 200 (a redirect to sign-in) stops the run."""
    response = client.get(path, query, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: {response.status_code} {response.get('Location', '')}")


def count_queries(operation, item, show: bool, name: str) -> int:
    """The number of SQL statements one run issues (an extra, untimed run)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # a request resets the log; start from empty so the slice stays right
    with CaptureQueriesContext(connection) as captured:
        operation(item)
    if show:
        common.stderr.rule(f"queries: {name}")
        for query in captured.captured_queries:
            common.stderr.print(f"[{query['time']}s] {query['sql']}", markup=False, highlight=False)
    return len(captured.captured_queries)


def explain(membership, vendor: str, queries: dict[str, str]) -> dict[str, str]:
    """The query plan of each search, so a missing index shows; printed once to stderr."""
    options = {"analyze": True, "buffers": True} if vendor == "postgresql" else {}
    plans = {}
    for name, query in queries.items():
        plans[name] = search_page(membership, query).explain(**options)
        common.stderr.rule(f"EXPLAIN {name} (q={query!r}) on {vendor}")
        common.stderr.print(plans[name], markup=False, highlight=False)
    return plans


def page_operations(client, rng, samples: list[Seeded], runs: int) -> dict:
    """The pages, each with ``runs`` inputs: searches by name prefix, the list, charts."""
    prefixes = draw(rng, samples, name_prefix, runs)
    return {
        "page_list_search": (lambda q: get_ok(client, "/patients/", {"q": q}), prefixes),
        "page_list_search_htmx": (
            lambda q: get_ok(client, "/patients/", {"q": q}, {"HX-Request": "true"}),
            prefixes,
        ),
        "page_list": (lambda _: get_ok(client, "/patients/"), [None] * runs),
        "page_patient_detail": (
            lambda pk: get_ok(client, f"/patients/{pk}/"),
            [rng.choice(samples).pk for _ in range(runs)],
        ),
    }


def target_of(name: str) -> int:
    return SEARCH_TARGET_P95_MS if name.startswith("search_") else PAGE_TARGET_P95_MS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=100_000, help="how many to seed")
    parser.add_argument(
        "--database-url",
        help="postgres://…/mesochart_bench (dropped and recreated); default SQLite in a temp dir",
    )
    parser.add_argument("--json", help="write the report here instead of stdout")
    parser.add_argument("--repeat", type=int, default=300, help="timed runs per operation")
    parser.add_argument("--warmup", type=int, default=30, help="untimed runs first")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--show-queries", action="store_true", help="print each operation's SQL")
    args = parser.parse_args()
    with common.fresh_database(args.database_url) as vendor:
        common.setup_django()
        report = run(args, vendor)
    common.write_report(report, args.json)


def run(args, vendor: str) -> dict:
    from django.db import connection

    rng = random.Random(args.seed)
    started = time.perf_counter()
    org, clinics, user, membership = create_practice()
    samples = seed(args.patients, rng, org, clinics, user)
    seed_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does on a running server
    # SQLite: nothing here analyses on the app's behalf. The seeding connection is closed,
    # as a server's is after `conn_max_age`; the app's own connections and requests then
    # refresh the statistics (`mesochart.lib.sqlite`) while the timed runs go.
    connection.close()
    common.stderr.print(f"seeded in {seed_seconds:.1f} s; {len(samples):,} patients in clinic 1")

    runs = args.warmup + args.repeat
    searches = {
        "search_name_prefix": draw(rng, samples, name_prefix, runs),
        "search_given_family": draw(rng, samples, given_family, runs),
        "search_record_number": draw(rng, samples, record_number, runs),
        "search_date_of_birth": draw(rng, samples, date_of_birth, runs),
    }
    operations = {
        name: (lambda q: list(search_page(membership, q)), queries)
        for name, queries in searches.items()
    }
    operations |= page_operations(signed_in_client(user), rng, samples, runs)

    load_at_start = [round(load, 2) for load in os.getloadavg()]
    with common.progress() as bars:
        task = bars.add_task("timing, round-robin", total=runs * len(operations))
        timings = common.time_interleaved(operations, args.warmup, lambda: bars.advance(task))
    # The plans the timed runs got, after the app's own statistics upkeep.
    plans = explain(membership, vendor, {name: queries[0] for name, queries in searches.items()})
    results = {}
    for name, (operation, inputs) in operations.items():
        results[name] = common.summarise(*timings[name])
        results[name]["queries"] = count_queries(operation, inputs[0], args.show_queries, name)
    common.print_table(f"{args.patients:,} patients on {vendor}", results, target_of)
    return {
        "database": vendor,
        "patients": args.patients,
        "seed_seconds": round(seed_seconds, 1),
        "results": results,
        "targets": {"search_p95_ms": SEARCH_TARGET_P95_MS, "page_p95_ms": PAGE_TARGET_P95_MS},
        "machine": common.machine(
            database_version=_database_version(vendor), load_average_at_start=load_at_start
        ),
        "code": common.code_version(),
        "explain": plans,
        "sqlite_stat1_rows": _statistics(vendor),
    }


def _statistics(vendor: str) -> int | None:
    """How many index statistics SQLite holds after the run (None on PostgreSQL)."""
    from django.db import connection

    if vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1")
        return cursor.fetchone()[0]


def _database_version(vendor: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if vendor == "postgresql" else "SELECT sqlite_version()")
        return cursor.fetchone()[0]


if __name__ == "__main__":
    main()
