"""Nearby users over HTTP: opt-in location snapped to a cell, validation, exclusions, rounding between cell
centres, who may find whom, privacy and rate limits."""

from __future__ import annotations

import math

import pytest
from fastapi.testclient import TestClient
from geopy.distance import great_circle

from backend.app import create_app
from barker.geo import snap
from tests.api.conftest import Http, User
from tests.conftest import make_settings

BERLIN, POTSDAM, PARIS = (52.52, 13.405), (52.39, 13.065), (48.857, 2.352)


def stored(lat: float, lon: float, visibility: str = "everyone", resolution: int = 7) -> dict:
    """What the API answers for a location: the cell it was snapped to, never the point."""
    cell = snap(lat, lon, resolution)
    return {"lat": cell.lat, "lon": cell.lon, "approximate": True, "cell": cell.id, "resolution": resolution,
            "visibility": visibility}


def centre(point: tuple[float, float]) -> tuple[float, float]:
    cell = snap(*point, 7)
    return cell.lat, cell.lon


def put_location(http: Http, user: User, lat: float, lon: float, **kw):
    return http.put("/v1/me/location", user, json={"lat": lat, "lon": lon}, **kw)


def test_share_read_and_clear_location(http: Http, alice: User) -> None:
    http.get("/v1/me/location", alice, status=404, code="not_found")
    assert put_location(http, alice, *BERLIN) == stored(*BERLIN)
    assert http.get("/v1/me/location", alice) == stored(*BERLIN)
    assert stored(*BERLIN)["lat"] != BERLIN[0] and stored(*BERLIN)["cell"].startswith("87")
    http.delete("/v1/me/location", alice)
    http.delete("/v1/me/location", alice)  # idempotent
    http.get("/v1/me/location", alice, status=404)


@pytest.mark.parametrize("body", [
    {"lat": 90.0001, "lon": 0}, {"lat": -91, "lon": 0}, {"lat": 0, "lon": 180.5}, {"lat": 0, "lon": -181},
    {"lat": "52.5", "lon": 13.4}, {"lat": True, "lon": 13.4}, {"lat": None, "lon": 13.4}, {"lat": 52.5},
    {"lat": 52.5, "lon": 13.4, "alt": 3}, [52.5, 13.4],
])
def test_bad_positions_are_rejected_and_change_nothing(http: Http, alice: User, body) -> None:
    put_location(http, alice, *BERLIN)
    http.put("/v1/me/location", alice, json=body, status=422)
    assert http.get("/v1/me/location", alice) == stored(*BERLIN)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_rejected(http: Http, alice: User, literal: str) -> None:
    http.put("/v1/me/location", alice, content=f'{{"lat": {literal}, "lon": 1}}',
             headers={"Content-Type": "application/json"}, status=422)
    http.get("/v1/me/location", alice, status=404)


def test_nearby_is_nearest_first_without_me_or_anyones_coordinates(http: Http, alice: User, bob: User,
                                                                   carol: User) -> None:
    http.get("/v1/users/nearby", alice, status=409, code="location_required")
    put_location(http, alice, *BERLIN)
    assert http.get("/v1/users/nearby", alice) == {"items": []}  # nobody else shares a location
    put_location(http, bob, *PARIS)
    put_location(http, carol, *POTSDAM)
    page = http.get("/v1/users/nearby", alice)
    expected = [("carol", math.ceil(great_circle(centre(BERLIN), centre(POTSDAM)).km)),
                ("bob", math.ceil(great_circle(centre(BERLIN), centre(PARIS)).km))]
    assert [(i["user"]["handle"], i["distance_km"]) for i in page["items"]] == expected
    assert "lat" not in str(page) and "52.39" not in str(page)
    assert [i["user"]["handle"] for i in http.get("/v1/users/nearby?max_km=100", alice)["items"]] == ["carol"]
    assert [i["user"]["handle"] for i in http.get("/v1/users/nearby?limit=1", alice)["items"]] == ["carol"]
    http.delete("/v1/me/location", carol)  # opting out: no longer found
    assert [i["user"]["handle"] for i in http.get("/v1/users/nearby", alice)["items"]] == ["bob"]


@pytest.mark.parametrize("query", ["max_km=0", "max_km=-5", "max_km=abc", "max_km=30000", "limit=0",
                                   "limit=101", "max_km=10.5", "max_km=10.0", "max_km=1e2", "max_km=%EF%BC%95",
                                   "max_km=+5", "max_km="])
def test_bad_nearby_queries(http: Http, alice: User, query: str) -> None:
    put_location(http, alice, *BERLIN)
    resp = http.client.get(f"/v1/users/nearby?{query}", headers=alice.headers)
    assert resp.status_code in (400, 422), resp.text


def test_nearby_and_reserved_handles_do_not_collide(http: Http) -> None:
    for reserved in ("nearby", "Search"):
        error = http.post("/v1/accounts", json={"handle": reserved, "password": "correct horse"}, status=422)
        assert "reserved" in error["message"]


def test_rate_limits(tmp_path) -> None:
    settings = make_settings(tmp_path, location_updates_per_hour=2, nearby_queries_per_hour=3)
    with TestClient(create_app(settings)) as client:
        http = Http(client)
        me = http.sign_up("mia")
        put_location(http, me, *BERLIN)
        put_location(http, me, *PARIS)
        put_location(http, me, *POTSDAM, status=429, code="rate_limited")
        assert http.get("/v1/me/location", me) == stored(*PARIS)  # the refused one changed nothing
        for _ in range(3):
            http.get("/v1/users/nearby", me)
        http.get("/v1/users/nearby", me, status=429, code="rate_limited")


def test_suggestions_with_followed_by_and_dismissal(http: Http, alice: User, bob: User, carol: User) -> None:
    dave = http.sign_up("dave")
    http.sign_up("erin")
    for who, whom in ((alice, "bob"), (alice, "carol"), (bob, "dave"), (carol, "dave"), (carol, "erin"),
                      (dave, "erin")):
        http.put(f"/v1/me/following/{whom}", who)
    page = http.get("/v1/suggestions", alice)
    assert [(i["user"]["handle"], i["mutuals"]) for i in page["items"]] == [("dave", 2), ("erin", 1)]
    assert page["items"][0]["followed_by"] == ["bob", "carol"]  # one follower each: then by id
    assert page["items"][0]["followed_by_others"] == 0 and page["items"][0]["user"]["following"] is False
    http.delete("/v1/suggestions/dave", alice)
    assert [i["user"]["handle"] for i in http.get("/v1/suggestions", alice)["items"]] == ["erin"]
    http.put("/v1/suggestions/dave", alice, status=204)  # the dismissal taken back (Undo): suggested again, in rank
    http.put("/v1/suggestions/dave", alice, status=204)  # idempotent
    assert [i["user"]["handle"] for i in http.get("/v1/suggestions", alice)["items"]] == ["dave", "erin"]
    http.delete("/v1/suggestions/dave", alice)
    http.put("/v1/me/following/erin", alice)
    assert http.get("/v1/suggestions", alice)["items"] == []
    http.get("/v1/suggestions?depth=4", alice, status=422)
    http.get("/v1/suggestions?depth=1", alice, status=422)
    http.delete("/v1/suggestions/nobody_here", alice, status=404)
    http.put("/v1/suggestions/nobody_here", alice, status=404)


def test_search_ranks_handles_then_names_then_bios_and_pages(http: Http, alice: User) -> None:
    http.sign_up("doghouse", display_name="Kennel Club", bio="cats only")
    http.sign_up("zed", display_name="Dog Walker", bio="walks")
    http.sign_up("yann", display_name="Yann", bio="I love my dog and cats")
    http.sign_up("xavier", display_name="Xavier Dogged", bio="dog person")
    http.put("/v1/me/following/zed", alice)

    def search(q: str, **kw) -> dict:
        return http.get("/v1/users/search", alice, params={"q": q, **kw})

    page = search("dog")
    assert [u["handle"] for u in page["items"]] == ["doghouse", "zed", "xavier", "yann"]
    assert [u["following"] for u in page["items"]] == [False, True, False, False]
    assert [u["handle"] for u in search("@DogH")["items"]] == ["doghouse"]
    assert [u["handle"] for u in search("love dog")["items"]] == ["yann"]
    assert [u["handle"] for u in search("Walker")["items"]] == ["zed"]
    assert search("nothing_matches")["items"] == []
    first = search("dog", limit=2)
    rest = search("dog", limit=2, after=first["next"])
    assert [u["handle"] for u in first["items"] + rest["items"]] == ["doghouse", "zed", "xavier", "yann"]
    assert search("dog", limit=2, after=rest["next"]) == {"items": [], "next": None}  # a full page points on


@pytest.mark.parametrize("query", ["q=", "q=%20%20", "q=" + "a" * 65, "", "q=dog&after=bad", "q=dog&after=9:1"])
def test_bad_searches(http: Http, alice: User, query: str) -> None:
    resp = http.client.get(f"/v1/users/search?{query}", headers=alice.headers)
    assert resp.status_code in (400, 422), resp.text


def test_search_follows_profile_edits(http: Http, alice: User) -> None:
    http.patch("/v1/me", alice, json={"display_name": "Wonderland Explorer", "bio": "rabbit holes"})
    assert [u["handle"] for u in http.get("/v1/users/search", alice, params={"q": "wonder"})["items"]] == ["alice"]
    assert [u["handle"] for u in http.get("/v1/users/search", alice, params={"q": "rabbit"})["items"]] == ["alice"]


def test_log_in_attempts_per_handle_are_limited(tmp_path) -> None:
    with TestClient(create_app(make_settings(tmp_path, login_attempts_per_15_minutes=3))) as client:
        http = Http(client)
        http.sign_up("victim")
        for _ in range(2):
            http.post("/v1/sessions", json={"handle": "victim", "password": "wrong guess!"}, status=401)
        http.log_in("VICTIM")  # the third attempt, right password: fine
        http.post("/v1/sessions", json={"handle": "victim", "password": "correct horse"}, status=429,
                  code="rate_limited")
        http.sign_up("other")
        http.log_in("other")  # counted per handle


def handles(http: Http, user: User, query: str = "") -> list[str]:
    return [i["user"]["handle"] for i in http.get(f"/v1/users/nearby{query}", user)["items"]]


def test_who_may_find_me(http: Http, alice: User, bob: User, carol: User) -> None:
    """followers: only followers I follow back; nobody: paused, location and setting kept; a move keeps the
    setting; stopping sharing forgets both."""
    http.put("/v1/me/nearby_visibility", bob, json={"visibility": "nobody"}, status=409, code="location_required")
    put_location(http, alice, *BERLIN)
    put_location(http, carol, *BERLIN)
    assert http.put("/v1/me/location", bob, json={"lat": POTSDAM[0], "lon": POTSDAM[1], "visibility": "followers"}
                    ) == stored(*POTSDAM, "followers")
    assert handles(http, alice) == ["carol"] and handles(http, carol) == ["alice"]
    http.put("/v1/me/following/bob", carol)  # a follow alone is one click away for anyone: not enough
    assert handles(http, carol) == ["alice"]
    http.put("/v1/me/following/carol", bob)  # bob follows carol back: mutual
    assert handles(http, carol) == ["alice", "bob"] and handles(http, alice) == ["carol"]
    assert http.put("/v1/me/nearby_visibility", bob, json={"visibility": "nobody"}) == stored(*POTSDAM, "nobody")
    assert handles(http, carol) == ["alice"] and http.get("/v1/me/location", bob) == stored(*POTSDAM, "nobody")
    assert handles(http, bob) == ["alice", "carol"]  # a paused user still sees others
    put_location(http, bob, *BERLIN)  # moving keeps the setting
    assert http.get("/v1/me/location", bob)["visibility"] == "nobody" and handles(http, carol) == ["alice"]
    http.put("/v1/me/nearby_visibility", bob, json={"visibility": "everyone"})
    assert handles(http, alice) == sorted(["bob", "carol"], key=lambda h: http.get(f"/v1/users/{h}", alice)["id"])
    http.delete("/v1/me/location", bob)
    assert put_location(http, bob, *BERLIN)["visibility"] == "everyone"  # stopping sharing forgot the setting
    for body in ({"visibility": "friends"}, {"visibility": None}, {}, {"visibility": "nobody", "x": 1}):
        http.put("/v1/me/nearby_visibility", bob, json=body, status=422)
    http.put("/v1/me/location", bob, json={"lat": 1, "lon": 1, "visibility": "some"}, status=422)
    assert http.get("/v1/me/location", bob) == stored(*BERLIN)


def test_max_km_compares_the_rounded_distance(http: Http, alice: User, bob: User) -> None:
    put_location(http, alice, *BERLIN)
    put_location(http, bob, *POTSDAM)
    [item] = http.get("/v1/users/nearby", alice)["items"]
    shown = item["distance_km"]
    assert handles(http, alice, f"?max_km={shown}") == ["bob"]  # at exactly the shown distance: in
    assert handles(http, alice, f"?max_km={shown - 1}") == []
