"""One rule for every name made from a text (issue 13, item 6): five copies of it differed,
and the importer's let an imported cocktail take a slug the cocktail pages need."""

from mesochart.accounts.models import Organisation
from mesochart.formulary.actions.cocktails import free_cocktail_slug
from mesochart.formulary.models import Cocktail
from mesochart.lib.slugs import free_slug


def cocktail(practice, name, slug):
    return Cocktail.objects.create(clinic=practice.clinic, name=name, slug=slug)


def test_a_second_cocktail_of_the_same_name_is_numbered(practice):
    cocktail(practice, "Lipo mix", "lipo-mix")
    assert free_cocktail_slug(practice.clinic, "Lipo mix!") == "lipo-mix-2"
    cocktail(practice, "Lipo mix 2", "lipo-mix-2")
    assert free_cocktail_slug(practice.clinic, "Lipo  mix") == "lipo-mix-3"


def test_a_slug_taken_in_another_clinic_is_free_in_this_one(practice):
    Cocktail.objects.create(clinic=practice.other_clinic, name="Lipo mix", slug="lipo-mix")
    assert free_cocktail_slug(practice.clinic, "Lipo mix") == "lipo-mix"


def test_a_cocktail_named_like_a_page_does_not_take_the_pages_address(practice):
    # /formulary/cocktails/new/ creates one; an imported "New" once became "new".
    assert free_cocktail_slug(practice.clinic, "New") == "new-2"
    assert free_cocktail_slug(practice.clinic, "Preview") == "preview-2"


def test_a_name_with_nothing_to_slugify_gets_the_fallback_word(practice):
    assert free_cocktail_slug(practice.clinic, "!!! ---") == "cocktail"


def test_the_slug_fits_the_room_it_is_given(db):
    Organisation.objects.create(name="x", slug="a" * 40)
    slug = free_slug(Organisation.objects.all(), "A" * 60, fallback="practice", length=40)
    assert slug == "a" * 40 + "-2"


def test_a_username_is_free_across_every_user(practice):
    taken = practice.practitioner.username
    free = free_slug(
        type(practice.practitioner).objects.all(), taken, fallback="x", field="username"
    )
    assert free == f"{taken}-2"
