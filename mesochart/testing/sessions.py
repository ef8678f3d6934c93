"""What the session tests share: an approved plan of a ready patient, stock, a started session.

`Ready` builds, for the practice's patient: a deoxycholic acid cocktail, an approved
submental plan with its series and the baseline its protocol names (a submental fat
thickness), a screening and a signed consent of that plan, and a lot in
stock (GTIN 07032069804988, lot DCA-001). The clock is frozen at TODAY by the callers.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from mesochart.accounts.reauth import reauthenticate
from mesochart.analytics import series_table
from mesochart.formulary.actions import receive_lot
from mesochart.planning import actions as planning
from mesochart.planning import approval as planning_approval
from mesochart.planning import grids
from mesochart.testing.consent import screen, sign, template
from mesochart.testing.plans import DCA, cocktail, new_plan, region
from mesochart.treatments import actions
from mesochart.treatments.models import Amendment, LotUse, SessionProduct, TreatmentSession

TODAY = date(2026, 3, 2)
PASSWORD = "a-long-test-password-1"  # every persona's (mesochart/conftest.py)
GTIN = "07032069804988"


def submental(count):
    large = {"width_cm": 16.0, "height_cm": 12.0}
    points = grids.generate("neck-submental", "submental", 1.0, **large).result.points[:count]
    return [region("neck-submental", "submental", points, volume_ml=0.2, depth_mm=4, **large)]


def receive(practice, lot_number="DCA-001", quantity_ml=20, expires_on=date(2027, 1, 31), **kw):
    membership = practice.actor(kw.pop("user", practice.practitioner))
    data = {
        "product": DCA,
        "lot_number": lot_number,
        "expires_on": expires_on,
        "received_on": kw.pop("received_on", date(2026, 1, 10)),
        "quantity_ml": Decimal(str(quantity_ml)),
        "gtin": kw.pop("gtin", GTIN),
        **kw,
    }
    return receive_lot(membership, data)


def proof(actor):
    """The persona typed their password again just now: what signing asks for."""
    return reauthenticate(actor, PASSWORD, purpose="signing")


class Ready:
    def __init__(self, practice, points=20, with_series=True):
        self.practice = practice
        practice.patient.weight_kg = Decimal("62.5")
        practice.patient.height_cm = Decimal("168")
        practice.patient.weight_measured_on = date(2026, 1, 5)
        practice.patient.save()
        self.membership = practice.actor(practice.practitioner)
        self.nurse = practice.actor(practice.nurse)
        self.version = cocktail(self.membership, "Kybella", **{DCA: 10})
        self.plan = new_plan(practice, "submental-deoxycholic-acid", self.version)
        planning.save_regions(self.membership, self.plan, submental(points))
        if with_series:
            planning.propose_series(self.membership, self.plan, {"first_date": TODAY})
        planning_approval.approve_plan(self.membership, self.plan, version=self.plan.version)
        self.plan.refresh_from_db()
        # new_plan recorded the baselines the protocol names (approval needs them).
        self.baselines = list(self.plan.outcome_values.all())
        template(practice, "body_contouring")
        screen(practice, self.version, area="submental", indication="body_contouring")
        sign(practice, self.version, area="submental", indication="body_contouring")
        self.lot = receive(practice)

    def start(self, **data):
        return actions.start_session(self.membership, self.plan, data)

    def drafted(self, drawn="4", wasted="0", lot=None, ad_hoc=False, **data):
        """A started session with the lot recorded: 20 points × 0.2 mL = 4 mL by default."""
        session = self.start(ad_hoc=ad_hoc)
        rows = [{"lot": (lot or self.lot).pk, "volume_drawn_ml": drawn, "volume_wasted_ml": wasted}]
        return actions.save_draft(self.membership, session, {"products": rows, **data})

    def signed(self, **kw):
        session = self.drafted(**kw)
        return actions.sign_session(
            self.membership, session, reauthentication=proof(self.membership)
        )


def signed_history(ready, count, *, points=20, addenda=False):
    """``count`` signed sessions of the ready patient, 40 days apart (past the label's month),
    the last 40 days ago, each with 4 mL of the lot (and an addendum if asked): written
    directly, for tests of pages that only read them."""
    practitioner = ready.practice.practitioner
    days = [timezone.now() - timedelta(days=40 * (count - i)) for i in range(count)]
    sessions = TreatmentSession.objects.bulk_create(
        TreatmentSession(
            clinic=ready.practice.clinic,
            patient=ready.practice.patient,
            plan=ready.plan,
            cocktail_version=ready.version,
            practitioner=practitioner,
            status="signed",
            started_at=day,
            signed_at=day,
            signed_by=practitioner,
            content_hash="a" * 64,
            areas=["submental"],
            regions=[
                {"view": "neck-submental", "region": "submental", "points": [[1, 1]] * points}
            ],
            created_by=practitioner,
        )
        for day in days
    )
    products = SessionProduct.objects.bulk_create(
        SessionProduct(session=s, product=ready.lot.product, lot=ready.lot, volume_drawn_ml=4)
        for s in sessions
    )
    zone = ready.practice.clinic.time_zone
    LotUse.objects.bulk_create(
        use
        for s, row in zip(sessions, products, strict=True)
        for use in LotUse.for_signed(s, [row], zone)
    )
    if addenda:
        Amendment.objects.bulk_create(
            Amendment(session=s, kind="addendum", text="Called: fine", by=practitioner)
            for s in sessions
        )
    series_table.refresh([ready.plan.pk])
    return sessions
