"""Discovery: users near me, people I may know, user search."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from barker.geo import Cell
from barker.ports.types import StoredLocation, Suggestion, UserView


class Discovery(Protocol):
    """Locations, suggestions and search, and the user views they render."""

    def set_location(self, user_id: int, cell: Cell, visibility: str | None, now_ms: int) -> StoredLocation:
        """Store the user's cell (already snapped by barker.geo.snap: a store never sees an exact point),
        replacing any; `visibility` None keeps the user's current setting (the default on a first share)."""

    def set_nearby_visibility(self, user_id: int, visibility: str) -> StoredLocation:
        """Change who may find the user; the location is kept. Conflict(code="location_required") if none."""

    def clear_location(self, user_id: int) -> bool:
        """Forget the user's location and visibility setting; False if there was none."""

    def location(self, user_id: int) -> StoredLocation | None: ...

    def nearest_users(self, user_id: int, k: int, max_km: int) -> list[tuple[int, float]]:
        """The first k, in (rounded_km, id) order, of the located users that barker.discoverability.may_find
        lets this user find, and that are neither unseen by nor muted by this user (docs/safety.md), whose
        rounded distance is at most max_km: (user id, great-circle km between the two cell centres).
        Excludes the user. Exact over cell centres at any latitude and across the
        antimeridian; a store must not cut at k by exact distance: it reads through the end of the k-th
        user's rounded bucket. Raises Conflict(code="location_required") if the user has none."""

    def user_views(self, user_ids: Sequence[int], viewer: int | None) -> list[UserView]:
        """Views of these users, in the given order (unknown ids skipped)."""

    def suggestions(self, user_id: int, depth: int, limit: int) -> list[Suggestion]:
        """People 2 (depth 2) or 2-3 (depth 3) follow-hops away, excluding the user, whoever they follow,
        dismissed suggestions and users unseen by or muted by the user (docs/safety.md). Ranked by mutuals (how
        many people the user follows follow them), then by three-hop paths (depth 3), then fewer followers,
        then id. followed_by names only users the user sees."""

    def dismiss_suggestion(self, user_id: int, target: int) -> None: ...

    def undismiss_suggestion(self, user_id: int, target: int) -> None:
        """Take back a dismissal (an Undo): the target may be suggested again. Nothing if not dismissed."""

    def search_users(self, handle_prefix: str, words: Sequence[str], after: tuple[int, int],
                     limit: int, viewer: int | None = None) -> list[tuple[int, int]]:
        """(tier, user id) of users matching, in (tier, id) order after the cursor `after`: tier 0 handle
        starts with handle_prefix, tier 1 display name has words starting with every word, tier 2 bio
        has every word. Each user once, at their best tier. Users unseen by `viewer` (docs/safety.md) are left
        out before the limit."""
