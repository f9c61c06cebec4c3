"""A suspended account's barks vanish for everyone else (docs/safety.md: its state is in HIDDEN_STATES), from
the home and public timelines, the bark by id and its author's timeline, and come back when it is
unsuspended; the staff still read them on the admin API (tests/api/test_suspension.py)."""

from __future__ import annotations

from tests.api.conftest import Http, User, eventually


def test_a_suspended_accounts_barks_vanish_and_come_back(http: Http, mod: User, alice: User, bob: User) -> None:
    http.put("/v1/me/following/alice", bob)
    mine = http.bark(bob, "bob's own")["id"]
    theirs = [http.bark(alice, f"alice {n}")["id"] for n in range(3)]
    rebark = http.put(f"/v1/barks/{theirs[0]}/rebark", bob, status=201)["id"]  # bob shares one of hers
    home = "/v1/timelines/home"
    eventually(lambda: http.ids(home, bob), lambda ids: set(theirs) <= set(ids))

    http.post("/v1/admin/accounts/alice/suspend", mod, json={"reason": "spam"}, status=200)
    assert http.ids(home, bob) == [mine]  # nor bob's rebark of hers
    assert http.ids("/v1/timelines/public", bob) == [mine]
    for bark in theirs:
        http.get(f"/v1/barks/{bark}", bob, status=404)
    http.get("/v1/users/alice/barks", bob, status=404)
    assert rebark not in http.ids("/v1/users/bob/barks", bob)

    http.post("/v1/admin/accounts/alice/unsuspend", mod, status=200)
    assert set(theirs) | {mine, rebark} <= set(http.ids(home, bob))
    assert set(theirs) <= set(http.ids("/v1/timelines/public", bob))
