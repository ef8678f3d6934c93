"""Free names made from a text: a cocktail's, a protocol's or an organisation's slug, an
imported practitioner's username. One rule for all of them: the text slugified and cut to
the field's room, a fallback word when nothing of it is left, and the first of ``base``,
``base-2``, ``base-3`` … that no row of ``taken`` holds and no page of the app needs."""

from collections.abc import Collection

from django.db.models import QuerySet
from django.utils.text import slugify


def free_slug(
    taken: QuerySet,
    text: str,
    *,
    fallback: str,
    field: str = "slug",
    length: int = 90,
    reserved: Collection[str] = (),
) -> str:
    """A name for ``text`` that is unused in ``taken``'s ``field`` and not ``reserved``.

    Read in one query; callers write it inside their transaction, where the field's unique
    constraint refuses a name a concurrent writer took first.
    """
    base = slugify(text)[:length].strip("-") or fallback
    used = set(taken.filter(**{f"{field}__startswith": base}).values_list(field, flat=True))
    used.update(reserved)
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    return candidate
