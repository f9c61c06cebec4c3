"""The SQLite store's discovery part: locations and nearest users, friends-of-friends suggestions, user
search. A mixin of SqliteStore (barker/store/sqlite.py), split off to keep each file readable; it uses the
store's connection helpers."""

from __future__ import annotations

import heapq
import itertools
import sqlite3
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import orjson

from barker.discoverability import DEFAULT_VISIBILITY, Relation, may_find, needs_relation
from barker.errors import Conflict
from barker.geo import (
    Cell,
    bucket_reach_km,
    cell,
    chord,
    chord_to_km,
    complete_buckets,
    great_circle_km,
    km_to_chord,
    rounded_km,
    unit_vector,
)
from barker.policies import BIO_TIER, HANDLE_TIER, NAME_TIER, search_in_tiers
from barker.ports.types import StoredLocation, Suggestion, UserView
from barker.store.sqlite_sql import discovery as sql
from barker.store.sqlite_sql import timelines


def _leave_cell(c: sqlite3.Connection, cell_id: str) -> None:
    """One user fewer in the cell; the cell's row and R*Tree entry go with its last user."""
    row, users = c.execute(sql.LEAVE_CELL, (cell_id,)).fetchone()
    if users == 0:
        c.execute(sql.DELETE_CELL, (row,))
        c.execute(sql.DELETE_CELL_FROM_RTREE, (row,))


if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object

class SqliteDiscovery(_Base):
    """Mixed into SqliteStore; see the Store protocol for each method's contract."""

    def set_location(self, user_id: int, cell: Cell, visibility: str | None, now_ms: int) -> StoredLocation:
        with self._tx() as c:
            kept = c.execute(sql.LOCATION_VISIBILITY, (user_id,)).fetchone()
            chosen = visibility or (kept[0] if kept else DEFAULT_VISIBILITY)
            self._place(c, user_id, cell, chosen, now_ms)
        return StoredLocation(cell, chosen)

    @staticmethod
    def _place(c: sqlite3.Connection, user_id: int, cell: Cell, visibility: str, now_ms: int) -> None:
        """Put the user in `cell` (moving them out of their old one), keeping location_cells' counts."""
        old = c.execute(sql.LOCATION_CELL, (user_id,)).fetchone()
        x, y, z = unit_vector(cell.lat, cell.lon)
        c.execute(sql.PLACE_USER, (user_id, cell.id, cell.resolution, cell.lat, cell.lon, x, y, z, visibility, now_ms))
        if old and old[0] == cell.id:
            return
        if old:
            _leave_cell(c, old[0])
        cell_row, users = c.execute(sql.ENTER_CELL, (cell.id, x, y, z)).fetchone()
        if users == 1:
            c.execute(sql.ADD_CELL_TO_RTREE, (cell_row, x, x, y, y, z, z))

    def set_nearby_visibility(self, user_id: int, visibility: str) -> StoredLocation:
        with self._tx() as c:
            row = c.execute(sql.SET_VISIBILITY, (visibility, user_id)).fetchone()
        if row is None:
            raise Conflict("share your location first: PUT /v1/me/location", code="location_required")
        return StoredLocation(cell(row[0]), visibility)

    def clear_location(self, user_id: int) -> bool:
        with self._tx() as c:
            old = c.execute(sql.CLEAR_LOCATION, (user_id,)).fetchone()
            if old:
                _leave_cell(c, old[0])
            return old is not None

    def location(self, user_id: int) -> StoredLocation | None:
        row = self._one(sql.LOCATION, (user_id,))
        return StoredLocation(cell(row[0]), row[1]) if row else None

    def nearest_users(self, user_id: int, k: int, max_km: int) -> list[tuple[int, float]]:
        """Grow a cube around the user's cell centre until the cells inside its inscribed sphere hold k
        findable users in whole rounded-km buckets (a bucket counts once the sphere reaches past its end,
        so a cut at k never depends on exact distances inside a bucket), or the cube covers max_km. Each
        round is one R*Tree range query over occupied cells (one entry per cell however many users share
        it), so the cost follows the number of cells near the point, not users: the cube starts at about
        a kilometre and triples (or jumps to the end of the k-th findable user's bucket). Users are read
        per bucket, in id order, only as far as the answer needs."""
        row = self._one(sql.LOCATION_POINT, (user_id,))
        if row is None:
            raise Conflict("share your location first: PUT /v1/me/location", code="location_required")
        here = tuple(row)
        # Users the seeker does not see, or mutes, are passed over inside the search (docs/safety.md), so the
        # answer is the k nearest of the others, exactly.
        _, hidden = self._unseen_and_hidden(user_id)
        limit = km_to_chord(bucket_reach_km(max_km))
        radius = min(limit, km_to_chord(bucket_reach_km(1)))
        relations: dict[int, Relation] = {}
        while True:
            buckets: dict[int, list[tuple[str, float]]] = {}  # rounded km -> [(cell, km)]
            for cell_id, x, y, z in self._reader().execute(
                    sql.CELLS_IN_CUBE, (here[0] - radius, here[0] + radius, here[1] - radius, here[1] + radius,
                                        here[2] - radius, here[2] + radius)):
                there = (x, y, z)
                if chord(here, there) <= radius:
                    km = great_circle_km(here, there)
                    if rounded_km(km) <= max_km:
                        buckets.setdefault(rounded_km(km), []).append((cell_id, km))
            whole = max_km if radius >= limit else complete_buckets(chord_to_km(radius))
            found: list[tuple[int, int, float]] = []  # (rounded km, id, km), the answer's order
            for bucket in sorted(buckets):
                found += self._findable_in(user_id, bucket, buckets[bucket], k - len(found), relations, hidden)
                if len(found) >= k:
                    break
            if radius >= limit or (len(found) >= k and found[k - 1][0] <= whole):
                return [(uid, km) for _, uid, km in found[:k]]
            # The k-th findable user so far is as far as the answer can reach: read through its bucket.
            grown = km_to_chord(bucket_reach_km(found[k - 1][0])) if len(found) >= k else radius * 3
            radius = min(limit, max(grown, radius * 1.5))

    def _findable_in(self, seeker: int, bucket: int, cells: list[tuple[str, float]], wanted: int,
                     relations: dict[int, Relation], hidden: set[int]) -> list[tuple[int, int, float]]:
        """Up to `wanted` users of these cells (one rounded bucket) the seeker may find, lowest ids first,
        leaving out those in `hidden`."""
        km_of = dict(cells)
        found: list[tuple[int, int, float]] = []
        rows = self._reader().execute(
            sql.USERS_OF_CELLS, (orjson.dumps(list(km_of)).decode(),))
        for uid, cell_id, visibility in rows:
            if uid == seeker or uid in hidden:
                continue
            if needs_relation(visibility) and uid not in relations:
                self._add_relations(seeker, [uid], relations)
            if may_find(visibility, relations.get(uid)):
                found.append((bucket, uid, km_of[cell_id]))
                if len(found) >= wanted:
                    break
        rows.close()
        return found

    def _add_relations(self, seeker: int, user_ids: Sequence[int], relations: dict[int, Relation]) -> None:
        """What the seeker is to each of these users (for barker.discoverability.may_find), one query."""
        wanted = [uid for uid in user_ids if uid not in relations]
        if not wanted:
            return
        params = {"me": seeker, "ids": orjson.dumps(wanted).decode()}
        followed = set(self._id_list(sql.FOLLOWED_AMONG, params))
        followers = set(self._id_list(sql.FOLLOWERS_AMONG, params))
        for uid in wanted:
            relations[uid] = Relation(seeker_follows=uid in followed, followed_back=uid in followers)

    def _unseen_and_hidden(self, viewer: int) -> tuple[set[int], set[int]]:
        """The users `viewer` does not see, and those plus the ones they mute (rules.unseen_users and
        hidden_users, each read once)."""
        unseen, hidden = self._json(sql.UNSEEN_AND_HIDDEN, {"me": viewer})
        return set(unseen), set(hidden)

    def suggestions(self, user_id: int, depth: int, limit: int) -> list[Suggestion]:
        """Counted in Python from a few flat id lists (Counter counts in C): far cheaper than SQLite's
        GROUP BY over tens of thousands of rows. SQL does the index walks; only the candidates tied at the
        cut-off need their follower counts read."""
        mine = self._id_list(sql.FOLLOWEES, {"me": user_id})
        # hop2: everyone the people I follow follow, each with n = how many of them do (the mutuals)
        theirs: dict[str, list[int]] = self._json(sql.FOLLOWEES_BY_USER, {"ids": orjson.dumps(mine).decode()}) or {}
        hop2 = Counter(itertools.chain.from_iterable(theirs.values()))
        hop2.pop(user_id, None)
        # Never suggested: users the viewer does not see or mutes (docs/safety.md). They still count as paths
        # (mutuals), anonymously: only users the viewer sees are named as "followed by".
        unseen, hidden = self._unseen_and_hidden(user_id)
        excluded = {user_id, *mine, *self._id_list(sql.DISMISSED, {"me": user_id}), *hidden}
        paths: Counter[int] = Counter()
        if depth == 3:
            paths = self._three_hop_paths(hop2, excluded, limit)
        # Scores as one int, mutuals first: the top `limit` by score, then the cut-off's ties by followers.
        if paths:
            scale = max(paths.values()) + 1
            scores = paths.copy()  # a copy in C; then the (fewer) mutuals on top
            for c, n in hop2.items():
                scores[c] += n * scale
        else:  # depth 2: the score is the mutuals count
            scores = hop2.copy()
        for c in excluded:
            scores.pop(c, None)
        best = heapq.nlargest(limit, scores.values())
        if not best:
            return []
        cut = best[-1]
        selected = [c for c, score in scores.items() if score >= cut]  # the top, and everyone tied with it
        followers = self._followers_counts(selected)
        top = sorted(selected, key=lambda c: (-scores[c], followers.get(c, 0), c))[:limit]
        # Who of mine follows each of these, from the lists already read; then the most-followed three.
        wanted = set(top)
        via: dict[int, list[int]] = {}
        for a, followees in theirs.items():
            if int(a) in unseen:
                continue
            for c in wanted.intersection(followees):
                via.setdefault(c, []).append(int(a))
        named = self._followers_counts(sorted({a for v in via.values() for a in v}))
        return [Suggestion(c, hop2.get(c, 0), paths.get(c, 0),
                           sorted(via.get(c, []), key=lambda a: (-named.get(a, 0), a))[:3]) for c in top]

    def _followers_counts(self, user_ids: Sequence[int]) -> dict[int, int]:
        return dict(self._json(sql.FOLLOWERS_COUNTS, {"ids": orjson.dumps(list(user_ids)).decode()}) or [])

    def _three_hop_paths(self, hop2: Counter[int], excluded: set[int], limit: int) -> Counter[int]:
        """Paths me -> a -> b -> c: for every c, the sum of n(b) over the hop2 people b who follow c.

        Mutuals rank first, so when at least `limit` candidates have mutuals, only those with at least the
        limit-th highest mutuals count can make the top, and only their paths are needed: SQLite sums them
        while walking the hop2 people's follows, and nothing else leaves it. Otherwise (a small
        neighbourhood) every id reached is counted here."""
        mutual_counts = sorted((n for c, n in hop2.items() if c not in excluded), reverse=True)
        if len(mutual_counts) >= limit:
            contenders = [c for c, n in hop2.items() if n >= mutual_counts[limit - 1] and c not in excluded]
            found = self._json(sql.PATHS_TO, {"weights": orjson.dumps({str(b): n for b, n in hop2.items()}).decode(),
                                           "targets": orjson.dumps(contenders).decode()}) or {}
            return Counter({int(c): total for c, total in found.items()})
        by_weight: dict[int, list[int]] = {}
        for b, n in hop2.items():
            by_weight.setdefault(n, []).append(b)
        reached: list[int] = []
        for n, group in by_weight.items():  # repeat each list n times: one Counter pass, in C
            found_ids = self._one(sql.FOLLOWEES_OF, {"ids": orjson.dumps(group).decode()})[0]
            if found_ids:
                reached.extend(list(map(int, found_ids.split(","))) * n)
        return Counter(reached)

    def search_users(self, handle_prefix: str, words: Sequence[str], after: tuple[int, int],
                     limit: int, viewer: int | None = None) -> list[tuple[int, int]]:
        # Each tier is one index-ordered query that stops at `limit`: a handle range scan, then FTS5
        # (which yields rowids in order), each skipping users an earlier tier already matched and users
        # the viewer does not see.
        params = {"p": handle_prefix, "pe": handle_prefix + "\U0010ffff", "n": limit, "viewer": viewer,
                  "dn": "display_name : (" + " AND ".join(f'"{w}"*' for w in words) + ")",
                  "bio": "bio : (" + " AND ".join(f'"{w}"' for w in words) + ")"}
        statements = sql.SEARCH_WITH_HANDLE_PREFIX if handle_prefix else sql.SEARCH_WITHOUT_HANDLE_PREFIX
        tiers = dict(zip((HANDLE_TIER, NAME_TIER, BIO_TIER), statements, strict=True))

        def fetch(tier: int, start: int, n: int) -> list[int]:
            rows = self._reader().execute(tiers[tier], {**params, "after": start, "n": n}).fetchall()
            return [row[0] for row in rows]

        return search_in_tiers(handle_prefix, words, after, limit, fetch)

    def dismiss_suggestion(self, user_id: int, target: int) -> None:
        with self._tx() as c:
            c.execute(sql.DISMISS, (user_id, target))

    def undismiss_suggestion(self, user_id: int, target: int) -> None:
        with self._tx() as c:
            c.execute(sql.UNDISMISS, (user_id, target))

    def user_views(self, user_ids: Sequence[int], viewer: int | None) -> list[UserView]:
        if not user_ids:
            return []
        views = self._json(timelines.USER_VIEWS, {"ids": orjson.dumps(list(user_ids)).decode(), "viewer": viewer})
        return views or []
