"""The confirmation page signs the version of the draft it showed: a draft saved since (in
another tab, through the API) is refused with the version rule, never signed unseen. The
page used to pass no version to `sign_session` (a positional None, issue 13)."""

from mesochart.testing.sessions import PASSWORD
from mesochart.treatments import actions
from mesochart.treatments.models import TreatmentSession

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_the_confirmation_carries_the_version_it_shows(practice, ready, client_for):
    session = ready.drafted()
    page = client_for(practice.practitioner).get(f"/sessions/{session.pk}/sign/")
    assert f'name="version" value="{session.version}"' in page.content.decode()


def test_a_draft_saved_since_the_confirmation_is_not_signed(practice, ready, client_for):
    session = ready.drafted()
    shown = session.version
    actions.save_draft(ready.membership, session, {"notes": "Changed in another tab"})
    refused = client_for(practice.practitioner).post(
        f"/sessions/{session.pk}/sign/",
        {"confirm": "1", "reauthentication": PASSWORD, "version": shown},
    )
    assert refused.status_code == 422
    assert "someone else saved this session since you opened it" in refused.content.decode()
    assert TreatmentSession.objects.get(pk=session.pk).status == "draft"


def test_the_version_shown_signs(practice, ready, client_for):
    session = ready.drafted()
    signed = client_for(practice.practitioner).post(
        f"/sessions/{session.pk}/sign/",
        {"confirm": "1", "reauthentication": PASSWORD, "version": session.version},
    )
    assert signed.status_code == 302
    assert TreatmentSession.objects.get(pk=session.pk).status == "signed"
