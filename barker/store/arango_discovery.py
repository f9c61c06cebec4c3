"""The ArangoDB store's discovery part: locations and nearest users (geo index), friends-of-friends
suggestions (graph traversal), user search and rate-limit counters. A base of ArangoStore
(barker/store/arango.py), split off to keep each file readable; semantics are the SQLite store's."""

from __future__ import annotations

from collections.abc import Sequence

from barker.errors import Conflict
from barker.geo import check_position, chord, great_circle_km, km_to_chord, unit_vector
from barker.store.arango_base import ArangoBase, transactional
from barker.store.arango_support import geojson_point, name_key, pair_key, user_handle
from barker.store.arango_support import key as doc_key
from barker.store.arango_support import words as split_words
from barker.store.base import RateCounter, RateTake, Suggestion

# The server's distance may use another Earth radius than barker.geo: its radius filter gets this much
# slack, and the exact filter and ranking happen here.
RADIUS_SLACK = 1.01
MAX_NEAREST_FETCH = 1 << 16


class ArangoDiscovery(ArangoBase):
    """Mixed into ArangoStore; see the Store protocol for each method's contract."""

    @transactional
    def set_location(self, user_id: int, lat: float, lon: float, now_ms: int) -> None:
        check_position(lat, lon)
        self._insert("locations", {"_key": doc_key(user_id), "user": user_id, "lat": lat, "lon": lon,
                                   "location": geojson_point(lat, lon), "updated_ms": now_ms},
                     overwrite_mode="replace")

    @transactional
    def clear_location(self, user_id: int) -> bool:
        return self._delete("locations", doc_key(user_id))

    def location(self, user_id: int) -> tuple[float, float] | None:
        doc = self._get("locations", doc_key(user_id))
        return (doc["lat"], doc["lon"]) if doc else None

    def nearest_users(self, user_id: int, k: int, max_km: float) -> list[tuple[int, float]]:
        """The geo index returns users nearest first by the server's distance; the exact great-circle
        distance (barker.geo, as the SQLite store measures) decides the ranking, ties by id. Users the
        server did not return are at least as far as its last row, so once the k-th best is nearer than
        that, no unseen user can displace it; otherwise the query asks for more rows."""
        doc = self._get("locations", doc_key(user_id))
        if doc is None:
            raise Conflict("share your location first: PUT /v1/me/location", code="location_required")
        here = unit_vector(doc["lat"], doc["lon"])
        radius = km_to_chord(max_km)
        fetch = k + 2
        while True:
            rows = self._aql("nearest_users", lat=doc["lat"], lon=doc["lon"], max_m=max_km * 1000 * RADIUS_SLACK,
                             n=fetch)
            ranked = []
            km_per_server_meter = float("inf")
            for row in rows:
                there = unit_vector(row["lat"], row["lon"])
                km = great_circle_km(here, there)
                if row["meters"] > 0:
                    km_per_server_meter = min(km_per_server_meter, km / row["meters"])
                if int(row["user"]) != user_id and chord(here, there) <= radius:
                    ranked.append((km, int(row["user"])))
            ranked.sort()
            if len(rows) < fetch or fetch >= MAX_NEAREST_FETCH:
                break
            unseen_at_least = rows[-1]["meters"] * km_per_server_meter * (1 - 1e-9)
            if len(ranked) >= k and ranked[k - 1][0] < unseen_at_least:
                break
            fetch *= 4
        return [(uid, km) for km, uid in ranked[:k]]

    def suggestions(self, user_id: int, depth: int, limit: int) -> list[Suggestion]:
        ranked = self._aql("suggestions_depth3" if depth == 3 else "suggestions_depth2", me=user_id,
                           start=user_handle(user_id), limit=limit)
        if not ranked:
            return []
        followed_by = self._aql("suggestion_followed_by", me=user_id, candidates=[int(r["user"]) for r in ranked])
        return [Suggestion(int(r["user"]), int(r["mutuals"]), int(r["paths"]), [int(a) for a in via])
                for r, via in zip(ranked, followed_by, strict=True)]

    @transactional
    def dismiss_suggestion(self, user_id: int, target: int) -> None:
        self._insert("dismissed", {"_key": pair_key(user_id, target), "user": user_id, "target": target},
                     overwrite_mode="ignore")

    def search_users(self, handle_prefix: str, words: Sequence[str], after: tuple[int, int],
                     limit: int) -> list[tuple[int, int]]:
        # The query words as the stored word lists hold them (case and diacritics folded), each once.
        terms = list(dict.fromkeys(t for w in words for t in split_words(w)))
        tiers = [
            (0, bool(handle_prefix), "search_handles",
             {"prefix": handle_prefix, "prefix_end": handle_prefix + "\uffff"}),
            (1, bool(terms), "search_names", {"words": terms, "prefix": handle_prefix}),
            (2, bool(terms), "search_bios", {"words": terms, "prefix": handle_prefix}),
        ]
        found: list[tuple[int, int]] = []
        for tier, wanted, query, params in tiers:
            if not wanted or tier < after[0] or len(found) >= limit:
                continue
            start = after[1] if tier == after[0] else 0
            rows = self._aql(query, **params, after=start, n=limit - len(found))
            found.extend((tier, int(uid)) for uid in rows)
        return found

    @transactional
    def hit_rate_limit(self, key: str, window_ms: int, now_ms: int) -> int:
        window = now_ms // window_ms
        counter = name_key(key)
        doc = self._get("rate_limits", counter)
        count = int(doc["count"]) + 1 if doc and doc["window"] == window else 1
        self._insert("rate_limits", {"_key": counter, "window": window, "count": count}, overwrite_mode="replace")
        return count

    @transactional
    def take_rate_limits(self, counters: Sequence[RateCounter], now_ms: int) -> RateTake:
        if not counters:
            return RateTake(True, [])
        rows = [{"key": name_key(c.key), "window": c.window(now_ms)} for c in counters]
        # Read first and write only when every counter has room: a refusal writes nothing, so it never
        # dooms the group transaction it runs in (see ArangoBase.bulk).
        counts = [int(n) for n in self._aql("rate_limit_counts", counters=rows)]
        if any(n >= counter.limit for n, counter in zip(counts, counters, strict=True)):
            return RateTake(False, counts)
        taken = [{**row, "count": n + 1} for row, n in zip(rows, counts, strict=True)]
        return RateTake(True, [int(n) for n in self._aql("rate_limit_take", counters=taken)])
