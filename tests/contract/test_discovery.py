"""Store contract: locations and nearest users, friends-of-friends suggestions, user search, rate limits.
The property tests in tests/unit drive the SQLite store through many random cases; these fixed cases run
against every adapter (ArangoDB too, when configured), checked against the same references."""

from __future__ import annotations

import math

import h3
import pytest
from geopy.distance import great_circle

from barker.errors import Conflict
from barker.geo import snap
from barker.ports.types import NewUser, StoredLocation
from tests.unit.test_nearby_property import EVERYONE, check, place_users
from tests.unit.test_suggestions_property import reference


@pytest.fixture
def place(store, ids):
    def make(handle: str, lat: float, lon: float, display_name: str = "", bio: str = "") -> int:
        uid = ids.next()
        store.create_user(NewUser(uid, handle, handle, display_name or handle.title(), bio, "x"))
        store.set_location(uid, snap(lat, lon, 7), None, 1)
        return uid

    return make


def test_location_is_set_read_and_cleared(store, make_user):
    me = make_user("me")
    assert store.location(me) is None
    with pytest.raises(Conflict) as raised:
        store.set_nearby_visibility(me, "nobody")  # nothing to set it on
    assert raised.value.code == "location_required"
    berlin, sydney = snap(52.52, 13.405, 7), snap(-33.87, 151.21, 7)
    assert store.set_location(me, berlin, None, 1) == StoredLocation(berlin, "everyone")  # the default
    assert store.set_location(me, sydney, "followers", 2) == StoredLocation(sydney, "followers")  # replaces
    assert store.location(me) == StoredLocation(sydney, "followers")
    assert store.set_location(me, berlin, None, 3).visibility == "followers"  # a move keeps the setting
    assert store.set_nearby_visibility(me, "nobody") == StoredLocation(berlin, "nobody")  # the cell is kept
    assert store.location(me) == StoredLocation(berlin, "nobody")
    assert store.clear_location(me) and not store.clear_location(me)
    assert store.location(me) is None
    assert store.set_location(me, berlin, None, 4).visibility == "everyone"  # cleared: setting forgotten
    store.clear_location(me)
    with pytest.raises(Conflict) as raised:
        store.nearest_users(me, 5, 100)
    assert raised.value.code == "location_required"


def test_nearest_users_exact_across_the_antimeridian_with_ties_by_id(store, place):
    me = place("me", 0.0, 179.9999)
    points = {place("east", 0.0, -179.9999): (0.0, -179.9999), place("far", 0.0, 170.0): (0.0, 170.0),
              place("twin1", 1.0, 179.9999): (1.0, 179.9999), place("twin2", 1.0, 179.9999): (1.0, 179.9999),
              place("pole", 89.9999, 0.0): (89.9999, 0.0)}
    found = store.nearest_users(me, 3, EVERYONE)
    check(found, (0.0, 179.9999), points, 3, EVERYONE)
    ids = [uid for uid, _ in found]
    assert ids[0] == min(points, key=lambda u: abs(points[u][0]) + abs(points[u][1] + 179.9999))  # "east"
    assert ids[1:] == sorted(u for u, p in points.items() if p == (1.0, 179.9999))  # the twins, by id
    assert me not in [uid for uid, _ in store.nearest_users(me, 10, EVERYONE)]
    assert [uid for uid, _ in store.nearest_users(me, 10, 50)] == ids[:1]  # within 50 km: only "east"


def test_nearest_users_in_a_crowd(store, place):
    me = place("me", 52.5, 13.4)
    points = {place(f"c{i}", 52.5 + (i % 7) * 0.01, 13.4 + (i // 7) * 0.01): (52.5 + (i % 7) * 0.01,
                                                                              13.4 + (i // 7) * 0.01)
              for i in range(40)}
    for k in (1, 7, 50):
        check(store.nearest_users(me, k, EVERYONE), (52.5, 13.4), points, k, EVERYONE)


def cells_in_one_bucket(me: tuple[float, float], n: int) -> tuple[int, list[tuple[float, float]]]:
    """(rounded km, n cell centres at that rounded distance from me's cell), farthest first."""
    here = snap(*me, 7)
    by_bucket: dict[int, list[tuple[float, tuple[float, float]]]] = {}
    for ring in (14, 15, 16):
        for cell_id in h3.grid_ring(here.id, ring):
            there = h3.cell_to_latlng(cell_id)
            km = great_circle((here.lat, here.lon), there).km
            if abs(km - round(km)) > 0.01:  # clear of any rounding edge
                by_bucket.setdefault(math.ceil(km), []).append((km, there))
    bucket, spots = max(by_bucket.items(), key=lambda item: len(item[1]))
    assert len(spots) >= n
    return bucket, [p for _, p in sorted(spots, reverse=True)[:n]]


def test_within_a_rounded_bucket_the_cut_goes_by_id_not_by_exact_distance(store, ids):
    """Twelve users in one rounded bucket, the nearer the later they signed up: k=5 gives the five lowest
    ids, whatever their exact distances; and max_km compares the rounded distance."""
    bucket, spots = cells_in_one_bucket((52.5, 13.4), 12)
    me, points, _ = place_users(store, ids, (52.5, 13.4), {f"r{i}": p for i, p in enumerate(spots)})
    found = store.nearest_users(me, 5, EVERYONE)
    check(found, (52.5, 13.4), points, 5, EVERYONE)
    assert [uid for uid, _ in found] == sorted(points)[:5]  # the farthest five, by id
    assert {math.ceil(km) for _, km in store.nearest_users(me, 20, EVERYONE)} == {bucket}
    assert len(store.nearest_users(me, 20, bucket)) == 12 and store.nearest_users(me, 20, bucket - 1) == []


def test_who_may_find_whom(store, ids):
    """everyone: found by all; followers: only by followers they follow back (mutual); nobody: by no one
    (paused)."""
    spots = {"open": (52.51, 13.41), "friends": (52.52, 13.42), "paused": (52.53, 13.43)}
    me, points, _ = place_users(store, ids, (52.5, 13.4), spots,
                                {"open": "everyone", "friends": "followers", "paused": "nobody"})
    by_name = {store.user_view(uid, None)["handle"]: uid for uid in points}
    assert [uid for uid, _ in store.nearest_users(me, 10, EVERYONE)] == [by_name["open"]]
    store.follow(me, by_name["friends"], ids.next(), ids.next())  # following alone (one click) admits nobody
    assert [uid for uid, _ in store.nearest_users(me, 10, EVERYONE)] == [by_name["open"]]
    store.unfollow(me, by_name["friends"])
    store.follow(by_name["friends"], me, ids.next(), ids.next())  # nor does being followed by them alone
    assert [uid for uid, _ in store.nearest_users(me, 10, EVERYONE)] == [by_name["open"]]
    store.follow(me, by_name["friends"], ids.next(), ids.next())  # mutual: found
    store.follow(me, by_name["paused"], ids.next(), ids.next())  # following does not undo a pause
    store.follow(by_name["paused"], me, ids.next(), ids.next())
    assert {uid for uid, _ in store.nearest_users(me, 10, EVERYONE)} == {by_name["open"], by_name["friends"]}
    store.set_nearby_visibility(by_name["open"], "nobody")
    store.set_nearby_visibility(by_name["paused"], "everyone")  # resumed: the kept cell is found again
    assert {uid for uid, _ in store.nearest_users(me, 10, EVERYONE)} == {by_name["friends"], by_name["paused"]}
    # Hidden users never take a place: k=1 is the nearest *findable* user, past any number of hidden ones.
    crowd = {f"h{i}": (52.5 + i * 0.0001, 13.4) for i in range(30)}
    place_users(store, ids, (0.0, 0.0), crowd, {name: "nobody" for name in crowd}, me_handle="far_away")
    [(first, _)] = store.nearest_users(me, 1, EVERYONE)
    assert first == by_name["friends"]


EDGES = {(0, 1), (0, 2), (1, 3), (1, 4), (2, 3), (2, 5), (3, 4), (4, 6), (5, 6), (3, 0), (6, 7), (2, 1)}


@pytest.mark.parametrize("depth", [2, 3])
def test_suggestions_match_the_reference(store, ids, depth):
    users = [ids.next() for _ in range(9)]
    for i, uid in enumerate(users):
        store.create_user(NewUser(uid, f"u{i}", f"u{i}", "U", "", "x"))
    for a, b in sorted(EDGES):
        store.follow(users[a], users[b], ids.next(), ids.next())
    store.dismiss_suggestion(users[0], users[5])
    store.dismiss_suggestion(users[0], users[5])  # idempotent
    for limit in (1, 2, 9):
        got = [(users.index(s.user_id), s.mutuals, s.paths, [users.index(v) for v in s.followed_by])
               for s in store.suggestions(users[0], depth, limit)]
        assert got == reference(EDGES, {5}, 0, depth, limit)
    assert store.suggestions(users[8], depth, 5) == []  # follows nobody


def test_search_tiers_and_cursor(store, place):
    doghouse = place("doghouse", 0, 0, "Kennel Club", "cats only")
    zed = place("zed", 0, 0, "Dog Walker", "walks")
    yann = place("yann", 0, 0, "Yann", "I love my dog and cats")
    cafe = place("cafe", 0, 0, "Café Crème", "")
    assert store.search_users("dog", ["dog"], (0, 0), 10) == [(0, doghouse), (1, zed), (2, yann)]
    assert store.search_users("", ["love", "dog"], (0, 0), 10) == [(2, yann)]
    assert store.search_users("", ["walk"], (0, 0), 10) == [(1, zed)]  # name words match by prefix
    assert store.search_users("", ["cafe", "creme"], (0, 0), 10) == [(1, cafe)]  # diacritics folded
    assert store.search_users("", ["walk"], (0, 0), 10) == [(1, zed)]
    first = store.search_users("dog", ["dog"], (0, 0), 2)
    assert first == [(0, doghouse), (1, zed)]
    assert store.search_users("dog", ["dog"], first[-1], 2) == [(2, yann)]
    assert store.search_users("nothing", ["nothing"], (0, 0), 10) == []
    store.update_profile(yann, "Wonderland", "rabbit holes")
    assert store.search_users("", ["wonder"], (0, 0), 10) == [(1, yann)]
    assert store.search_users("", ["rabbit"], (0, 0), 10) == [(2, yann)]
    assert store.search_users("", ["dog"], (0, 0), 10) == [(1, zed)]


def test_rate_limit_windows(store):
    assert [store.hit_rate_limit("nearby:1", 1000, t) for t in (0, 10, 999)] == [1, 2, 3]
    assert store.hit_rate_limit("nearby:1", 1000, 1000) == 1  # a new window
    assert store.hit_rate_limit("login:someone", 1000, 1000) == 1  # counted per key
