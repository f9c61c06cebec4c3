"""The ArangoDB store's discovery part: locations and nearest users (geo index), friends-of-friends
suggestions (graph traversal), user search and rate-limit counters. A base of ArangoStore
(barker/store/arango.py), split off to keep each file readable; semantics are the SQLite store's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from barker.discoverability import DEFAULT_VISIBILITY, Relation, may_find, needs_relation
from barker.errors import Conflict
from barker.geo import (
    Cell,
    bucket_reach_km,
    cell,
    coarsen,
    complete_buckets,
    great_circle_km,
    rounded_km,
    snap,
    unit_vector,
)
from barker.policies import BIO_TIER, HANDLE_TIER, NAME_TIER, search_in_tiers
from barker.ports.types import RateCounter, RateTake, StoredLocation, Suggestion, window_end
from barker.store.arango_base import ArangoBase, transactional
from barker.store.arango_support import follow_key, geojson_point, name_key, pair_key, user_handle
from barker.store.arango_support import key as doc_key
from barker.store.arango_support import words as split_words

if TYPE_CHECKING:
    from barker.store.arango_safety import HiddenUsers

# The server's distance may use another Earth radius than barker.geo: its radius filter gets this much
# slack, and the exact filter and ranking happen here.
RADIUS_SLACK = 1.01
MAX_NEAREST_FETCH = 1 << 16
SNAP_BATCH = 1000  # locations rewritten per round of the start-up snapping pass


def location_doc(user_id: int, cell: Cell, visibility: str, now_ms: int) -> dict[str, Any]:
    """A location as stored: the cell and its centre (the geo index's point), never an exact position."""
    return {"_key": doc_key(user_id), "user": user_id, "cell": cell.id, "resolution": cell.resolution,
            "lat": cell.lat, "lon": cell.lon, "location": geojson_point(cell.lat, cell.lon),
            "visibility": visibility, "updated_ms": now_ms}


class ArangoDiscovery(ArangoBase):
    """Mixed into ArangoStore; see the Store protocol for each method's contract. People it finds leave out
    the users the seeker does not see (arango_safety.py), and suggestions and nearby the ones they mute."""

    if TYPE_CHECKING:  # ArangoStore's (arango_safety.py), which this part is mixed into
        def hidden_users(self, viewer: int | None) -> HiddenUsers: ...

    @transactional
    def set_location(self, user_id: int, cell: Cell, visibility: str | None, now_ms: int) -> StoredLocation:
        kept = self._get("locations", doc_key(user_id))
        chosen = visibility or (kept.get("visibility", DEFAULT_VISIBILITY) if kept else DEFAULT_VISIBILITY)
        self._insert("locations", location_doc(user_id, cell, chosen, now_ms), overwrite_mode="replace")
        return StoredLocation(cell, chosen)

    @transactional
    def set_nearby_visibility(self, user_id: int, visibility: str) -> StoredLocation:
        doc = self._get("locations", doc_key(user_id))
        if doc is None:
            raise Conflict("share your location first: PUT /v1/me/location", code="location_required")
        self._update("locations", {"_key": doc_key(user_id), "visibility": visibility})
        return StoredLocation(cell(doc["cell"]), visibility)

    @transactional
    def clear_location(self, user_id: int) -> bool:
        return self._delete("locations", doc_key(user_id))

    def location(self, user_id: int) -> StoredLocation | None:
        doc = self._get("locations", doc_key(user_id))
        return StoredLocation(cell(doc["cell"]), doc.get("visibility", DEFAULT_VISIBILITY)) if doc else None

    def snap_locations(self) -> int:
        """The start-up pass (after bootstrap): every location stored before cells (an exact point, no
        `cell`) or finer than the configured resolution is replaced by its cell, by the one rule
        (barker.geo). Returns how many were rewritten. `replace` writes a whole new document: no field
        of the old one (the exact point) is carried over."""
        rewritten = 0
        while True:
            rows = self._aql("locations_to_snap", resolution=self.location_resolution, n=SNAP_BATCH)
            for row in rows:
                if row.get("cell"):
                    snapped = coarsen(cell(row["cell"]), self.location_resolution)
                else:
                    snapped = snap(row["lat"], row["lon"], self.location_resolution)
                self._replace_location(int(row["user"]), location_doc(
                    int(row["user"]), snapped, row.get("visibility") or DEFAULT_VISIBILITY, row["updated_ms"]))
            rewritten += len(rows)
            if len(rows) < SNAP_BATCH:
                return rewritten

    @transactional
    def _replace_location(self, user_id: int, doc: dict[str, Any]) -> None:
        self._insert("locations", doc, overwrite_mode="replace")

    def nearest_users(self, user_id: int, k: int, max_km: int) -> list[tuple[int, float]]:
        """The geo index returns users nearest first by the server's distance; the great-circle distance
        between cell centres (barker.geo, as the SQLite store measures) decides the rounded buckets, and
        ties within a bucket go by id. Users the server did not return are at least as far as its last
        row, so once k findable users fill whole buckets nearer than that, no unseen user can change the
        answer; otherwise the query asks for more rows."""
        doc = self._get("locations", doc_key(user_id))
        if doc is None:
            raise Conflict("share your location first: PUT /v1/me/location", code="location_required")
        here = unit_vector(doc["lat"], doc["lon"])
        # Left out here, not in the query: an extra filter beside the geo sort can make the optimizer pick
        # another index (arangodb.md, pitfall 6). Unseen and muted users, as the caller itself.
        hidden = {user_id, *self.hidden_users(user_id).hidden}
        reach_km = bucket_reach_km(max_km)
        fetch = k + 2
        relations: dict[int, Relation] = {}
        while True:
            rows = self._aql("nearest_users", lat=doc["lat"], lon=doc["lon"], max_m=reach_km * 1000 * RADIUS_SLACK,
                             n=fetch)
            candidates = []
            km_per_server_meter = float("inf")
            for row in rows:
                km = great_circle_km(here, unit_vector(row["lat"], row["lon"]))
                if row["meters"] > 0:
                    km_per_server_meter = min(km_per_server_meter, km / row["meters"])
                if int(row["user"]) not in hidden and rounded_km(km) <= max_km:
                    candidates.append((rounded_km(km), int(row["user"]), km, row.get("visibility")))
            self._add_relations(user_id, [c[1] for c in candidates if needs_relation(c[3] or "")], relations)
            found = sorted((r, uid, km) for r, uid, km, visibility in candidates
                           if may_find(visibility or DEFAULT_VISIBILITY, relations.get(uid)))
            if len(rows) < fetch or fetch >= MAX_NEAREST_FETCH:
                break  # everyone within reach seen (or the most a query may ask for)
            whole = complete_buckets(rows[-1]["meters"] * km_per_server_meter * (1 - 1e-9))
            if sum(1 for f in found if f[0] <= whole) >= k:
                break
            fetch *= 4
        return [(uid, km) for _, uid, km in found[:k]]

    def _add_relations(self, seeker: int, user_ids: Sequence[int], relations: dict[int, Relation]) -> None:
        """What the seeker is to each of these users (for barker.discoverability.may_find), one query."""
        wanted = [uid for uid in user_ids if uid not in relations]
        if not wanted:
            return
        keys = [follow_key(seeker, uid) for uid in wanted] + [follow_key(uid, seeker) for uid in wanted]
        edges = {(int(a), int(b)) for a, b in self._aql("follows_among", keys=keys)}
        for uid in wanted:
            relations[uid] = Relation(seeker_follows=(seeker, uid) in edges, followed_back=(uid, seeker) in edges)

    def suggestions(self, user_id: int, depth: int, limit: int) -> list[Suggestion]:
        hidden = self.hidden_users(user_id).hidden  # never suggested: unseen and muted users
        if depth == 3:
            ranked = self._aql("suggestions_depth3", me=user_id, limit=limit, hidden=hidden)
        else:
            ranked = self._aql("suggestions_depth2", me=user_id, start=user_handle(user_id), limit=limit,
                               hidden=hidden)
        if not ranked:
            return []
        followed_by = self._aql("suggestion_followed_by", me=user_id, candidates=[int(r["user"]) for r in ranked])
        return [Suggestion(int(r["user"]), int(r["mutuals"]), int(r["paths"]), [int(a) for a in via])
                for r, via in zip(ranked, followed_by, strict=True)]

    @transactional
    def dismiss_suggestion(self, user_id: int, target: int) -> None:
        self._insert("dismissed", {"_key": pair_key(user_id, target), "user": user_id, "target": target},
                     overwrite_mode="ignore")

    @transactional
    def undismiss_suggestion(self, user_id: int, target: int) -> None:
        self._delete("dismissed", pair_key(user_id, target))

    def search_users(self, handle_prefix: str, words: Sequence[str], after: tuple[int, int],
                     limit: int, viewer: int | None = None) -> list[tuple[int, int]]:
        # The query words as the stored word lists hold them (case and diacritics folded), each once.
        terms = list(dict.fromkeys(t for w in words for t in split_words(w)))
        unseen = self.hidden_users(viewer).unseen  # left out of every tier, before its LIMIT
        tiers: dict[int, tuple[str, dict[str, Any]]] = {
            HANDLE_TIER: ("search_handles", {"prefix": handle_prefix, "prefix_end": handle_prefix + "\uffff"}),
            NAME_TIER: ("search_names", {"words": terms, "prefix": handle_prefix}),
            BIO_TIER: ("search_bios", {"words": terms, "prefix": handle_prefix}),
        }

        def fetch(tier: int, start: int, n: int) -> list[int]:
            query, params = tiers[tier]
            return [int(uid) for uid in self._aql(query, **params, after=start, n=n, unseen=unseen)]

        return search_in_tiers(handle_prefix, terms, after, limit, fetch)

    # A counter document is {_key, ends_ms, count}: ends_ms is when its window ends (index
    # rate_limits_ends_ms, for the purge). Documents of older releases have `window` (the window's index)
    # instead: they match no window, so each such counter restarts once after the upgrade, and ends_ms null
    # sorts below every number, so the purge deletes them. (`window` is also a reserved word in AQL.)
    # Keys are name_key(key), hex: counters stored by older releases under the raw name are never read
    # again (each counter restarts once after the upgrade) and go with the purge once their window ends,
    # so no migration is needed.
    @transactional
    def hit_rate_limit(self, key: str, window_ms: int, now_ms: int) -> int:
        ends_ms = window_end(now_ms, window_ms)
        counter = name_key(key)
        doc = self._get("rate_limits", counter)
        count = int(doc["count"]) + 1 if doc and doc.get("ends_ms") == ends_ms else 1
        self._insert("rate_limits", {"_key": counter, "ends_ms": ends_ms, "count": count}, overwrite_mode="replace")
        return count

    @transactional
    def take_rate_limits(self, counters: Sequence[RateCounter], now_ms: int) -> RateTake:
        if not counters:
            return RateTake(True, [])
        rows = [{"key": name_key(c.key), "ends_ms": c.window_end(now_ms)} for c in counters]
        # Read first and write only when every counter has room: a refusal writes nothing, so it never
        # dooms the group transaction it runs in (see ArangoBase.bulk).
        counts = [int(n) for n in self._aql("rate_limit_counts", counters=rows)]
        if any(n >= counter.limit for n, counter in zip(counts, counters, strict=True)):
            return RateTake(False, counts)
        taken = [{**row, "count": n + 1} for row, n in zip(rows, counts, strict=True)]
        return RateTake(True, [int(n) for n in self._aql("rate_limit_take", counters=taken)])

    @transactional
    def purge_rate_limits(self, now_ms: int, limit: int) -> int:
        return len(self._aql("rate_limit_purge", now=now_ms, n=limit))
