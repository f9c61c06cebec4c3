"""The follow graph: follow/unfollow, counts and flags, follower and following lists."""

from __future__ import annotations

from tests.api.conftest import Http, User


def counts(http: Http, handle: str, viewer: User) -> tuple[int, int]:
    profile = http.profile(handle, viewer)
    return profile["followers_count"], profile["following_count"]


def test_follow_and_unfollow_are_idempotent(http: Http, alice: User, bob: User) -> None:
    for _ in range(2):
        followed = http.put("/v1/me/following/bob", alice)
        assert (followed["id"], followed["followers_count"]) == (bob.id, 1)
        assert (followed["following"], followed["followed_by"]) == (True, False)
        assert counts(http, "bob", alice) == (1, 0)
        assert counts(http, "alice", alice) == (0, 1)

    seen_by_bob = http.profile("alice", bob)
    assert (seen_by_bob["following"], seen_by_bob["followed_by"]) == (False, True)
    assert http.get("/v1/me", alice)["following_count"] == 1

    for _ in range(2):
        unfollowed = http.delete("/v1/me/following/bob", alice, status=200)
        assert (unfollowed["followers_count"], unfollowed["following"]) == (0, False)
        assert counts(http, "bob", alice) == (0, 0)
        assert counts(http, "alice", alice) == (0, 0)


def test_follow_handle_is_case_insensitive(http: Http, alice: User, bob: User) -> None:
    assert http.put("/v1/me/following/BOB", alice)["handle"] == "bob"
    assert http.put("/v1/me/following/Bob", alice)["followers_count"] == 1
    assert http.delete("/v1/me/following/bOb", alice, status=200)["followers_count"] == 0


def test_mutual_follow_flags(http: Http, alice: User, bob: User, carol: User) -> None:
    http.put("/v1/me/following/bob", alice)
    back = http.put("/v1/me/following/alice", bob)
    assert (back["following"], back["followed_by"]) == (True, True)
    seen_by_carol = http.profile("alice", carol)
    assert (seen_by_carol["following"], seen_by_carol["followed_by"]) == (False, False)
    assert counts(http, "alice", carol) == (1, 1)


def test_follower_and_following_lists_newest_first(http: Http, alice: User) -> None:
    fans = [http.sign_up(f"fan{i}") for i in range(5)]
    for fan in fans:
        http.put("/v1/me/following/alice", fan)
        http.put(f"/v1/me/following/{fan.handle}", alice)
    newest_first = [fan.handle for fan in reversed(fans)]
    followers = http.get("/v1/users/alice/followers", alice)
    assert [u["handle"] for u in followers["items"]] == newest_first
    assert followers["next_before"] is None
    assert all(u["followed_by"] and u["following"] for u in followers["items"])  # relative to the viewer
    http.put("/v1/me/following/fan1", fans[0])
    following = http.get("/v1/users/alice/following", fans[0])
    assert [u["handle"] for u in following["items"]] == newest_first
    assert [u["following"] for u in following["items"]] == [h == "fan1" for h in newest_first]
    assert not any(u["followed_by"] for u in following["items"])

    for kind in ("followers", "following"):
        pages = http.walk(f"/v1/users/alice/{kind}", alice, limit=2)
        assert [len(p) for p in pages] == [2, 2, 1]
        assert [u["handle"] for page in pages for u in page] == newest_first


def test_unfollow_drops_from_the_lists(http: Http, alice: User, bob: User, carol: User) -> None:
    http.put("/v1/me/following/alice", bob)
    http.put("/v1/me/following/alice", carol)
    http.delete("/v1/me/following/alice", bob, status=200)
    assert [u["handle"] for u in http.get("/v1/users/alice/followers", alice)["items"]] == ["carol"]
    assert http.get("/v1/users/bob/following", alice)["items"] == []
    http.put("/v1/me/following/alice", bob)  # follows again: now the newest follower
    assert [u["handle"] for u in http.get("/v1/users/alice/followers", alice)["items"]] == ["bob", "carol"]


def test_self_follow_is_rejected(http: Http, alice: User) -> None:
    before = http.snapshot(alice, "alice")
    http.put("/v1/me/following/alice", alice, status=422, code="self_follow")
    http.put("/v1/me/following/ALICE", alice, status=422, code="self_follow")
    assert http.snapshot(alice, "alice") == before
    assert http.get("/v1/users/alice/followers", alice)["items"] == []


def test_unknown_handle_is_404_everywhere(http: Http, alice: User, bob: User) -> None:
    http.put("/v1/me/following/bob", alice)
    before = http.snapshot(alice, "alice", "bob")
    for method, url in [("GET", "/v1/users/nobody"), ("GET", "/v1/users/nobody/barks"),
                        ("GET", "/v1/users/nobody/followers"), ("GET", "/v1/users/nobody/following"),
                        ("PUT", "/v1/me/following/nobody"), ("DELETE", "/v1/me/following/nobody"),
                        ("GET", "/v1/users/bo"), ("GET", "/v1/users/" + "x" * 64)]:
        error = http.request(method, url, alice, status=404, code="not_found")
        assert error["message"] == "no such user", error  # the lookup's answer, never the handle sent
    assert http.snapshot(alice, "alice", "bob") == before


def test_graph_endpoints_require_a_token(http: Http, alice: User, bob: User) -> None:
    for method, url in [("GET", "/v1/users/bob"), ("GET", "/v1/users/bob/followers"),
                        ("GET", "/v1/users/bob/following"), ("GET", "/v1/users/bob/barks"),
                        ("PUT", "/v1/me/following/bob"), ("DELETE", "/v1/me/following/bob")]:
        http.request(method, url, status=401, code="unauthorized")
    assert counts(http, "bob", alice) == (0, 0)
