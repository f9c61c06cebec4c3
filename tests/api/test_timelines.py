"""Home, public and per-user timelines, and cursor pagination over them.

Each test runs three times: with fan-out on write (the default), with the hybrid rule forced for everyone
who has a follower (fanout_threshold=0: their barks are merged into home timelines at read time), and with
SQLite reads run on the event loop (inline_reads), and with the worker compacting fresh stream entries after
every fan-out round (stream_compact_rows=0). Fan-out runs in the background, so home timelines are polled
with a deadline instead of read once.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from barker.settings import Settings
from tests.api.conftest import Http, User, eventually
from tests.conftest import make_settings

HOME = "/v1/timelines/home"
PUBLIC = "/v1/timelines/public"


@pytest.fixture(params=[{}, {"fanout_threshold": 0}, {"inline_reads": True}, {"stream_compact_rows": 0}],
                ids=["fanout", "hybrid", "inline-reads", "compacting"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    return make_settings(tmp_path, **request.param)


def home_becomes(http: Http, user: User, expected: list[int]) -> list[int]:
    return eventually(lambda: http.ids(HOME, user), lambda ids: ids == expected)


def test_home_has_own_and_followed_barks_and_rebarks(http: Http, alice: User, bob: User, carol: User) -> None:
    http.put("/v1/me/following/bob", alice)
    by_bob = http.bark(bob, "from bob")
    by_carol = http.bark(carol, "from carol, whom alice does not follow")
    rebark = http.put(f"/v1/barks/{by_carol['id']}/rebark", bob, status=201)
    by_alice = http.bark(alice, "from alice")
    home_becomes(http, alice, [by_alice["id"], rebark["id"], by_bob["id"]])

    items = http.get(HOME, alice)["items"]
    assert [i["author"]["handle"] for i in items] == ["alice", "bob", "bob"]
    assert items[1]["rebark_of"]["id"] == by_carol["id"]
    assert items[1]["rebark_of"]["text"] == "from carol, whom alice does not follow"
    assert http.ids(HOME, carol) == [by_carol["id"]]
    assert http.ids(HOME, bob) == [rebark["id"], by_bob["id"]]


def test_new_barks_reach_followers(http: Http, alice: User, bob: User, carol: User) -> None:
    http.put("/v1/me/following/bob", alice)
    http.put("/v1/me/following/bob", carol)
    posted = [http.bark(bob, f"bark {i}")["id"] for i in range(3)]
    for follower in (alice, carol):
        home_becomes(http, follower, posted[::-1])


def test_unfollow_hides_their_barks_and_refollow_brings_them_back(http: Http, alice: User, bob: User) -> None:
    http.put("/v1/me/following/bob", alice)
    by_bob = http.bark(bob, "from bob")
    by_alice = http.bark(alice, "from alice")
    home_becomes(http, alice, [by_alice["id"], by_bob["id"]])

    http.delete("/v1/me/following/bob", alice, status=200)
    assert http.ids(HOME, alice) == [by_alice["id"]]  # at once, not eventually
    later = http.bark(bob, "posted while unfollowed")
    http.put("/v1/me/following/bob", alice)
    home_becomes(http, alice, [later["id"], by_alice["id"], by_bob["id"]])


def test_the_worker_compacts_streams_once_enough_is_fresh(http: Http, alice: User, bob: User,
                                                          settings: Settings) -> None:
    store = http.client.app.state.gateway.store
    http.put("/v1/me/following/bob", alice)
    by_bob = http.bark(bob, "from bob")
    home_becomes(http, alice, [by_bob["id"]])
    fresh = eventually(store.uncompacted_stream_rows, lambda n: n == 0 or settings.stream_compact_rows > 0)
    assert (fresh == 0) == (settings.stream_compact_rows == 0)
    assert http.ids(HOME, alice) == [by_bob["id"]]


def test_follow_brings_in_earlier_barks(http: Http, alice: User, bob: User, carol: User) -> None:
    own = http.bark(alice, "mine")
    earlier = [http.bark(bob, f"earlier {i}")["id"] for i in range(3)]
    shared = http.put(f"/v1/barks/{http.bark(carol, 'by carol')['id']}/rebark", bob, status=201)
    assert http.ids(HOME, alice) == [own["id"]]
    http.put("/v1/me/following/bob", alice)
    home_becomes(http, alice, sorted([own["id"], shared["id"], *earlier], reverse=True))


def test_deleted_barks_leave_home_timelines(http: Http, alice: User, bob: User) -> None:
    http.put("/v1/me/following/bob", alice)
    keep, gone = http.bark(bob, "keep"), http.bark(bob, "gone")
    home_becomes(http, alice, [gone["id"], keep["id"]])
    http.delete(f"/v1/barks/{gone['id']}", bob)
    assert http.ids(HOME, alice) == [keep["id"]]


def test_public_timeline_has_everyone_newest_first(http: Http, alice: User, bob: User, carol: User) -> None:
    ids = [http.bark(user, f"by {user.handle}")["id"] for user in (alice, bob, carol, bob)]
    ids.append(http.put(f"/v1/barks/{ids[0]}/rebark", carol, status=201)["id"])
    assert http.ids(PUBLIC, alice) == ids[::-1]
    assert http.ids(PUBLIC, carol) == ids[::-1]  # not limited to whom the viewer follows


def test_user_barks(http: Http, alice: User, bob: User) -> None:
    by_alice = http.bark(alice, "by alice")
    first = http.bark(bob, "first")
    rebark = http.put(f"/v1/barks/{by_alice['id']}/rebark", bob, status=201)
    second = http.bark(bob, "second")
    assert http.ids("/v1/users/bob/barks", alice) == [second["id"], rebark["id"], first["id"]]
    assert http.ids("/v1/users/BOB/barks", alice) == [second["id"], rebark["id"], first["id"]]
    assert http.ids("/v1/users/alice/barks", bob) == [by_alice["id"]]


def test_default_page_size(http: Http, alice: User) -> None:
    ids = [http.bark(alice, f"bark {i}")["id"] for i in range(21)]
    page = http.get(PUBLIC, alice)
    assert [i["id"] for i in page["items"]] == ids[::-1][:20]
    assert page["next_before"] == ids[1]
    assert [i["id"] for i in http.get(f"{PUBLIC}?before={ids[1]}", alice)["items"]] == [ids[0]]


@pytest.fixture
def busy_world(http: Http, alice: User, bob: User, carol: User) -> dict[str, Any]:
    """Alice follows bob and carol; everyone barks, some rebark. Returns the expected listings."""
    http.put("/v1/me/following/bob", alice)
    http.put("/v1/me/following/carol", alice)
    dave = http.sign_up("dave")  # not followed by alice
    everything, home = [], []
    for i in range(3):
        for user in (alice, bob, carol, dave):
            bark = http.bark(user, f"{user.handle} #{i}")
            everything.append(bark["id"])
            if user is not dave:
                home.append(bark["id"])
    for user, target in ((bob, everything[3]), (carol, everything[0]), (dave, everything[1])):
        rebark = http.put(f"/v1/barks/{target}/rebark", user, status=201)
        everything.append(rebark["id"])
        if user is not dave:
            home.append(rebark["id"])
    home_becomes(http, alice, sorted(home, reverse=True))
    bobs = [i for i in everything if http.get(f"/v1/barks/{i}", alice)["author"]["handle"] == "bob"]
    return {HOME: sorted(home, reverse=True), PUBLIC: sorted(everything, reverse=True),
            "/v1/users/bob/barks": sorted(bobs, reverse=True)}


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_walking_every_page(http: Http, alice: User, busy_world: dict[str, Any], limit: int) -> None:
    for url, expected in busy_world.items():
        pages = http.walk(url, alice, limit)
        ids = [item["id"] for page in pages for item in page]
        assert ids == expected, url  # no gaps, no duplicates, same order as one big page
        assert all(a > b for a, b in itertools.pairwise(ids)), url
        assert all(len(page) == limit for page in pages[:-1]) and len(pages[-1]) <= limit, url
        assert len(pages) in (len(expected) // limit + (len(expected) % limit > 0),
                              len(expected) // limit + 1), url


def test_timelines_require_a_token(http: Http, alice: User) -> None:
    http.bark(alice, "hidden from strangers")
    for url in (HOME, PUBLIC, "/v1/users/alice/barks"):
        http.get(url, status=401, code="unauthorized")
        http.get(url, headers={"Authorization": "Bearer nope"}, status=401, code="unauthorized")
