"""Store contract: locations and nearest users, friends-of-friends suggestions, user search, rate limits.
The property tests in tests/unit drive the SQLite store through many random cases; these fixed cases run
against every adapter (ArangoDB too, when configured), checked against the same references."""

from __future__ import annotations

import pytest

from barker.errors import Conflict, Invalid
from barker.store.base import NewUser
from tests.unit.test_nearby_property import check
from tests.unit.test_suggestions_property import reference


@pytest.fixture
def place(store, ids):
    def make(handle: str, lat: float, lon: float, display_name: str = "", bio: str = "") -> int:
        uid = ids.next()
        store.create_user(NewUser(uid, handle, handle, display_name or handle.title(), bio, "x"))
        store.set_location(uid, lat, lon, 1)
        return uid

    return make


def test_location_is_set_read_and_cleared(store, make_user):
    me = make_user("me")
    assert store.location(me) is None
    store.set_location(me, 52.52, 13.405, 1)
    store.set_location(me, -33.87, 151.21, 2)  # a new position replaces the old
    assert store.location(me) == (-33.87, 151.21)
    with pytest.raises(Invalid):
        store.set_location(me, 91.0, 0.0, 3)
    assert store.clear_location(me) and not store.clear_location(me)
    with pytest.raises(Conflict) as raised:
        store.nearest_users(me, 5, 100.0)
    assert raised.value.code == "location_required"


def test_nearest_users_exact_across_the_antimeridian_with_ties_by_id(store, place):
    me = place("me", 0.0, 179.9999)
    points = {place("east", 0.0, -179.9999): (0.0, -179.9999), place("far", 0.0, 170.0): (0.0, 170.0),
              place("twin1", 1.0, 179.9999): (1.0, 179.9999), place("twin2", 1.0, 179.9999): (1.0, 179.9999),
              place("pole", 89.9999, 0.0): (89.9999, 0.0)}
    found = store.nearest_users(me, 3, 20_100.0)
    check(found, (0.0, 179.9999), points, 3, 20_100.0)
    ids = [uid for uid, _ in found]
    assert ids[0] == min(points, key=lambda u: abs(points[u][0]) + abs(points[u][1] + 179.9999))  # "east"
    assert ids[1:] == sorted(u for u, p in points.items() if p == (1.0, 179.9999))  # the twins, by id
    assert me not in [uid for uid, _ in store.nearest_users(me, 10, 20_100.0)]
    assert [uid for uid, _ in store.nearest_users(me, 10, 50.0)] == ids[:1]  # within 50 km: only "east"


def test_nearest_users_in_a_crowd(store, place):
    me = place("me", 52.5, 13.4)
    points = {place(f"c{i}", 52.5 + (i % 7) * 0.01, 13.4 + (i // 7) * 0.01): (52.5 + (i % 7) * 0.01,
                                                                              13.4 + (i // 7) * 0.01)
              for i in range(40)}
    for k in (1, 7, 50):
        check(store.nearest_users(me, k, 20_100.0), (52.5, 13.4), points, k, 20_100.0)


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
