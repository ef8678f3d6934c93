"""Whatever a receptionist types or pastes is kept exactly and shown as text, never as markup.

Names come from everywhere (Ó Súilleabháin, 李, مريم), people paste from e-mails and
spreadsheets, and a malicious entry must not run in a colleague's browser. Each text field
of a patient and of their allergies, medications and conditions is filled with script tags,
quotes, template syntax, an ``<img onerror>``, emoji, right-to-left text and combining marks.
"""

import html

import pytest
from django.conf import settings

from mesochart.patients import actions
from mesochart.patients.models import Allergy, Condition, Medication, Patient
from mesochart.testing.patients import ApiCaller, edit_form, new_patient_form

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module

ZALGO = "Z\u0335\u0321a\u0337l\u0334g\u0336o"  # letters under a pile of combining marks
RTL = "مريم\u200f"  # Arabic name followed by a right-to-left mark
OVERRIDE = "\u202e"  # right-to-left override: flips what follows on screen

TYPED = {
    "given_name": 'Ó Súilleabháin <script>alert("given")</script>',
    "family_name": "李 {{ settings.SECRET_KEY }} <img src=x onerror=alert('family')> 👩‍⚕️",
    "email": '"<script>alert(1)</script>"@example.com',
    "phone": f"+44 <b>7700</b> {OVERRIDE}900123",
    "address": "\n".join(
        [RTL, "\"quoted\" & 'single' {% now 'Y' %}", "</textarea><script>alert(3)</script>", ZALGO]
    ),
}
HISTORY_TYPED = {
    "allergy": {
        "substance": '<script>alert("allergy")</script> 李',
        "reaction": "<img src=x onerror=alert('reaction')> Ó Súilleabháin",
        "severity": "severe",
    },
    "medication": {"name": f"{{{{ 7|add:7 }}}} {ZALGO}", "dose": "\"5 mg\" & 'twice' 💊"},
    "condition": {"name": RTL, "notes": "</textarea><script>alert('notes')</script>"},
}
API_KINDS = {"allergy": "allergies", "medication": "medications", "condition": "conditions"}
HISTORY_MODELS = {"allergy": Allergy, "medication": Medication, "condition": Condition}

# (model, field, limit) for every text field that has a length limit.
PATIENT_LIMITS = [  # field, its label on the registration form, limit
    ("given_name", "Given name", 150),
    ("family_name", "Family name", 150),
    ("phone", "Phone", 40),
    ("record_number", "Record number", 32),
]
HISTORY_LIMITS = [  # kind, field, its label on the chart, limit
    ("allergy", "substance", "Substance", 200),
    ("allergy", "reaction", "Reaction", 200),
    ("medication", "name", "Name", 200),
    ("medication", "dose", "Dose", 100),
    ("condition", "name", "Condition", 200),
]
# What each kind of history needs besides the field under test.
HISTORY_MINIMUM = {"allergy": {"substance": "Latex"}, "medication": {"name": "Aspirin"}}
HISTORY_MINIMUM["condition"] = {"name": "Eczema"}


def _hostile_values():
    """What the chart shows: every typed value, the family name in capitals as in the heading."""
    yield from (v.upper() if f == "family_name" else v for f, v in TYPED.items())
    for fields in HISTORY_TYPED.values():
        yield from (value for name, value in fields.items() if name != "severity")


def _assert_shown_as_text(body: str, value: str) -> None:
    """The value appears escaped, and none of its markup appears raw."""
    assert html.escape(value) in body
    if "<" in value:
        assert value not in body


@pytest.fixture
def hostile_chart(practice):
    """A patient registered with hostile text everywhere, with one item of each history."""
    membership = practice.actor(practice.practitioner)
    patient = actions.create_patient(membership, new_patient_form(**TYPED))
    for kind, data in HISTORY_TYPED.items():
        actions.add_history(membership, patient, kind=kind, data=data)
    return patient


def test_the_registration_page_stores_every_field_exactly_as_typed(practice, client_for):
    response = client_for(practice.reception).post("/patients/new/", new_patient_form(**TYPED))

    assert response.status_code == 302
    patient = Patient.objects.get(email=TYPED["email"])
    assert {field: getattr(patient, field) for field in TYPED} == TYPED


def test_a_record_number_is_kept_in_capitals_and_shown_as_text(practice, client_for):
    client = client_for(practice.reception)

    client.post("/patients/new/", new_patient_form(record_number="<i>x</i>-42"))

    patient = Patient.objects.get(record_number="<I>X</I>-42")
    body = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "&lt;I&gt;X&lt;/I&gt;-42" in body
    assert "<I>X</I>" not in body


def test_the_history_forms_store_every_field_exactly_as_typed(practice, client_for):
    client = client_for(practice.nurse)

    for kind, data in HISTORY_TYPED.items():
        client.post(f"/patients/{practice.patient.pk}/{kind}/", data)

    for kind, data in HISTORY_TYPED.items():
        item = HISTORY_MODELS[kind].objects.get(patient=practice.patient)
        assert {field: getattr(item, field) for field in data} == data


def test_the_api_stores_every_field_exactly_as_typed_and_returns_it_verbatim(practice):
    api = ApiCaller(practice.practitioner)
    body = {**TYPED, "date_of_birth": "1990-02-03", "sex_at_birth": "female"}

    created = api.post("/patients", body)
    for kind, data in HISTORY_TYPED.items():
        assert (
            api.post(f"/patients/{created.json()['id']}/{API_KINDS[kind]}", data).status_code == 201
        )

    read = api.get(f"/patients/{created.json()['id']}").json()
    assert {field: read[field] for field in TYPED} == TYPED
    patient = Patient.objects.get(pk=read["id"])
    assert {field: getattr(patient, field) for field in TYPED} == TYPED
    for kind, data in HISTORY_TYPED.items():
        [item] = read["clinical"][API_KINDS[kind]]
        assert {field: item[field] for field in data} == data


def test_the_api_search_returns_names_verbatim(practice, hostile_chart):
    found = ApiCaller(practice.reception).get("/patients", {"q": "o suilleabhain"}).json()

    assert [(p["given_name"], p["family_name"]) for p in found] == [
        (TYPED["given_name"], TYPED["family_name"])
    ]


def test_the_patient_list_shows_names_as_text(practice, client_for, hostile_chart):
    body = client_for(practice.reception).get("/patients/").content.decode()

    _assert_shown_as_text(body, TYPED["given_name"])
    # The list shows the family name in capitals.
    _assert_shown_as_text(body, TYPED["family_name"].upper())
    assert "<img src=x" not in body.lower()


def test_the_search_fragment_shows_names_and_the_query_as_text(practice, client_for, hostile_chart):
    query = "<script>alert('q')</script>"

    body = (
        client_for(practice.reception)
        .get("/patients/", {"q": "o suilleabhain"}, headers={"HX-Request": "true"})
        .content.decode()
    )
    echoed = client_for(practice.reception).get("/patients/", {"q": query}).content.decode()

    _assert_shown_as_text(body, TYPED["given_name"])
    _assert_shown_as_text(echoed, query)


def test_the_chart_shows_every_field_and_the_history_as_text(practice, client_for, hostile_chart):
    body = client_for(practice.practitioner).get(f"/patients/{hostile_chart.pk}/").content.decode()

    for value in _hostile_values():
        if "\n" in value:  # the address keeps its lines as <br>
            for line in value.splitlines():
                _assert_shown_as_text(body, line)
        else:
            _assert_shown_as_text(body, value)
    assert "<script>alert" not in body
    assert "<img src=x" not in body.lower()
    assert settings.SECRET_KEY not in body


def test_the_edit_form_puts_every_field_back_as_text(practice, client_for, hostile_chart):
    body = client_for(practice.practitioner).get(f"/patients/{hostile_chart.pk}/edit/").content
    body = body.decode()

    for field, value in TYPED.items():
        _assert_shown_as_text(body, value)
        assert f'name="{field}"' in body
    assert "<script>alert" not in body
    assert body.count("</textarea>") == body.count("<textarea")


def test_the_edit_form_saves_hostile_text_unchanged(practice, client_for, hostile_chart):
    response = client_for(practice.practitioner).post(
        f"/patients/{hostile_chart.pk}/edit/", edit_form(hostile_chart, phone="+44 20 7946 0000")
    )

    assert response.status_code == 302
    hostile_chart.refresh_from_db()
    assert {field: getattr(hostile_chart, field) for field in TYPED} == {
        **TYPED,
        "phone": "+44 20 7946 0000",
    }


@pytest.mark.parametrize(("field", "label", "limit"), PATIENT_LIMITS)
def test_a_patient_field_at_its_limit_is_kept_and_one_over_is_refused_by_its_label(
    practice, client_for, field, label, limit
):
    client = client_for(practice.reception)
    # Capital accented letters: one character each, two bytes in UTF-8.
    at_limit, over = "Ó" * limit, "Ú" * (limit + 1)

    refused = client.post("/patients/new/", new_patient_form(**{field: over}))
    kept = client.post("/patients/new/", new_patient_form(**{field: at_limit}))

    assert refused.status_code == 200
    assert f"{label}: must be at most {limit} characters" in refused.content.decode()
    assert kept.status_code == 302
    assert Patient.objects.filter(**{field: at_limit}).count() == 1
    assert not Patient.objects.filter(**{field: over}).exists()


@pytest.mark.parametrize(("field", "label", "limit"), PATIENT_LIMITS)
def test_the_api_refuses_an_over_long_patient_field_by_name(practice, field, label, limit):
    body = {
        "given_name": "Brigid",
        "family_name": "Nolan",
        "date_of_birth": "1990-02-03",
        "sex_at_birth": "female",
        field: "Ú" * (limit + 1),
    }

    response = ApiCaller(practice.reception).post("/patients", body)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": field, "rule": f"must be at most {limit} characters"}
    ]


@pytest.mark.parametrize(("kind", "field", "label", "limit"), HISTORY_LIMITS)
def test_a_history_field_one_over_its_limit_is_refused_by_label_on_page_by_name_on_api(
    practice, client_for, kind, field, label, limit
):
    data = {**HISTORY_MINIMUM[kind], field: "Ú" * (limit + 1)}
    client = client_for(practice.nurse)
    chart = f"/patients/{practice.patient.pk}/"

    page = client.post(f"{chart}{kind}/", data, follow=True)
    api = ApiCaller(practice.nurse).post(f"/patients/{practice.patient.pk}/{API_KINDS[kind]}", data)

    rule = f"must be at most {limit} characters"
    assert f"{label}: {rule}" in page.content.decode()
    assert f"{kind}.{field}" not in page.content.decode()
    assert api.status_code == 422
    assert api.json()["errors"] == [{"field": field, "rule": rule}]
    assert not HISTORY_MODELS[kind].objects.filter(patient=practice.patient).exists()


def test_a_very_long_address_and_notes_are_kept_whole(practice):
    membership = practice.actor(practice.practitioner)
    address = ("Flat 1\n" + "Ó Súilleabháin Street, " * 400).strip()
    notes = "Keloid scarring on the left arm. " * 300

    patient = actions.create_patient(membership, new_patient_form(address=address))
    actions.add_history(
        membership, patient, kind="condition", data={"name": "Keloids", "notes": notes}
    )

    patient.refresh_from_db()
    assert patient.address == address
    assert Condition.objects.get(patient=patient).notes == notes.strip()
