from functools import cached_property

from django.core.paginator import Paginator


class CappedPaginator(Paginator):
    """Counts at most `cap` rows and one more.

    Beyond a few thousand rows an exact figure costs a scan of the whole list and helps
    nobody: the page says "more than …" and the filters narrow the list down.
    """

    def __init__(self, object_list, per_page: int, *, cap: int) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        # Only the ids, unordered and without joins: counting needs nothing else.
        ids = self.object_list.order_by().values("pk")
        return min(ids[: self.cap + 1].count(), self.cap + 1)

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap
