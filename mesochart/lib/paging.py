"""Pagination for lists that can hold a whole clinic."""

from functools import cached_property
from typing import cast

from django.core.paginator import Paginator
from django.db.models import QuerySet


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows: opening a list must not count 100,000 patients.

    Past the cap the count reads as "1000+" (``capped``) and the pages stop there; a search
    narrows the list long before anyone pages that far.
    """

    cap = 1000

    @cached_property
    def _probe(self) -> int:
        # Only querysets are paged here: a count of a sliced subquery, never the rows.
        return cast(QuerySet, self.object_list)[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._probe, self.cap)

    @property
    def capped(self) -> bool:
        return self._probe > self.cap
