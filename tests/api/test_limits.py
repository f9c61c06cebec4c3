"""Every limit, crossed the way an abuser would: the crossing request gets 429 with a real Retry-After (and
X-RateLimit-* where promised) and changes nothing. Real app, real SQLite store; the client address is the
TestClient's peer address (set per test) or, behind a trusted proxy, X-Forwarded-For."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from barker.ports.types import RateCounter
from barker.rate_limits import DAY_MS, HOUR_MS, QUARTER_HOUR_MS
from tests.api.conftest import PASSWORD, Http, User, eventually, expect_error
from tests.conftest import make_settings

PEER = "203.0.113.5"  # the TestClient's socket address in these tests
PROXY = "198.51.100.1"


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Http]]:
    """serve(peer=..., **settings) -> Http on a fresh app whose clients connect from `peer`."""
    clients: list[TestClient] = []

    def start(peer: str = PEER, **overrides: Any) -> Http:
        settings = make_settings(tmp_path / str(len(clients)), **overrides)
        client = TestClient(create_app(settings), client=(peer, 50000))
        client.__enter__()
        clients.append(client)
        return Http(client)

    yield start
    for client in clients:
        client.__exit__(None, None, None)


def seconds_left(window_ms: int) -> int:
    now = time.time() * 1000
    return max(1, math.ceil(((now // window_ms + 1) * window_ms - now) / 1000))


def refused(resp: httpx2.Response, window_ms: int, before: int, *, budget: int | None = None) -> dict[str, str]:
    """A 429 whose Retry-After is the real time left in the window (measured before and after the
    request: the value must lie between), with X-RateLimit-* headers when `budget` (the limit) is given."""
    error = expect_error(resp, 429)
    after = seconds_left(window_ms)
    retry = int(resp.headers["retry-after"])
    assert min(before, after) <= retry <= max(before, after), (before, retry, after)
    if budget is not None:
        assert resp.headers["x-ratelimit-limit"] == str(budget)
        assert resp.headers["x-ratelimit-remaining"] == "0"
        assert resp.headers["x-ratelimit-reset"] == str(retry)
    return error


def sign_up(http: Http, handle: str, **headers: str) -> httpx2.Response:
    return http.client.post("/v1/accounts", json={"handle": handle, "password": PASSWORD}, headers=headers)


def exists(http: Http, viewer: User, handle: str) -> bool:
    return http.client.get(f"/v1/users/{handle}", headers=viewer.headers).status_code == 200


# -- sign-up ---------------------------------------------------------------------------------------------

def test_sign_ups_per_address_and_the_refused_one_creates_no_account(serve) -> None:
    http = serve(signups_per_ip_per_hour=3)
    first = http.sign_up("farm_0")
    for i in (1, 2):
        http.sign_up(f"farm_{i}")
    before = seconds_left(HOUR_MS)
    error = refused(sign_up(http, "farm_3"), HOUR_MS, before, budget=3)
    assert "sign-ups from your address" in error["message"]
    assert not exists(http, first, "farm_3")
    http.post("/v1/sessions", json={"handle": "farm_3", "password": PASSWORD}, status=401)


def test_a_spoofed_forwarded_for_from_an_untrusted_peer_changes_nothing(serve) -> None:
    http = serve(signups_per_ip_per_hour=2)  # no trusted proxies: the header is never read
    for i in range(2):
        assert sign_up(http, f"spoof_{i}", **{"X-Forwarded-For": f"192.0.2.{i}"}).status_code == 201
    expect_error(sign_up(http, "spoof_2", **{"X-Forwarded-For": "192.0.2.99"}), 429, "rate_limited")


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget(serve) -> None:
    http = serve(peer=PROXY, trusted_proxies=f"{PROXY}, 10.0.0.0/8", signups_per_ip_per_hour=1)
    # Each client's own (spoofable) entries are on the left; the proxies append what they saw.
    assert sign_up(http, "client_a", **{"X-Forwarded-For": "6.6.6.6, 192.0.2.10, 10.1.1.1"}).status_code == 201
    assert sign_up(http, "client_b", **{"X-Forwarded-For": "192.0.2.11"}).status_code == 201
    # Client A again, now claiming to be someone else on the left: still client A.
    expect_error(sign_up(http, "client_a2", **{"X-Forwarded-For": "7.7.7.7, 192.0.2.10"}), 429)
    # IPv6 clients share their /64's budget.
    assert sign_up(http, "client_c", **{"X-Forwarded-For": "2001:db8:1:2::1"}).status_code == 201
    expect_error(sign_up(http, "client_c2", **{"X-Forwarded-For": "2001:db8:1:2:ffff::9"}), 429)


def test_closed_registrations(serve) -> None:
    http = serve(registrations="closed")
    http.post("/v1/accounts", json={"handle": "newbie", "password": PASSWORD}, status=403,
              code="registrations_closed")
    http.post("/v1/sessions", json={"handle": "newbie", "password": PASSWORD}, status=401)


# -- log-in and password change -----------------------------------------------------------------------

def log_in(http: Http, handle: str, password: str = PASSWORD) -> httpx2.Response:
    return http.client.post("/v1/sessions", json={"handle": handle, "password": password})


def test_log_ins_per_handle_refuse_even_the_right_password(serve) -> None:
    http = serve(login_attempts_per_15_minutes=3)
    http.sign_up("victim")
    for _ in range(3):
        expect_error(log_in(http, "victim", "guess guess"), 401)
    before = seconds_left(QUARTER_HOUR_MS)
    error = refused(log_in(http, "VICTIM"), QUARTER_HOUR_MS, before, budget=3)  # case does not matter
    assert "this account" in error["message"]


def test_log_ins_per_address_across_handles(serve) -> None:
    http = serve(logins_per_ip_per_15_minutes=4)
    http.sign_up("alice")
    for handle in ("a1", "a2", "a3", "a4"):  # spraying one password over many accounts
        expect_error(log_in(http, handle, "Summer2026!"), 401)
    before = seconds_left(QUARTER_HOUR_MS)
    error = refused(log_in(http, "alice"), QUARTER_HOUR_MS, before, budget=4)
    assert "your address" in error["message"]


def test_counters_whose_window_ended_are_purged_while_live_ones_keep_refusing(serve) -> None:
    """Log-ins for random handles leave a counter each: the server's periodic purge deletes those whose
    window has ended (here: of 1970), so they cannot pile up, and leaves the current ones refusing."""
    http = serve(login_attempts_per_15_minutes=1, rate_limit_purge_interval_seconds=0.05)
    expect_error(log_in(http, "nobody_1", "guess guess"), 401)
    gw, portal = http.client.app.state.gateway, http.client.portal
    dead = [RateCounter(f"login:gone_{n}", QUARTER_HOUR_MS, 1) for n in range(3)]
    assert portal.call(gw.write, gw.store.take_rate_limits, dead, 0).allowed
    # Full until purged (a refusal writes nothing); then allowed, having counted them afresh.
    eventually(lambda: portal.call(gw.write, gw.store.take_rate_limits, dead, 0).allowed, bool)
    expect_error(log_in(http, "nobody_1", "guess guess"), 429, "rate_limited")


def test_password_changes_count_with_log_ins_and_a_refused_one_changes_nothing(serve) -> None:
    http = serve(login_attempts_per_15_minutes=3)
    alice = http.sign_up("alice")
    for _ in range(2):  # a stolen session guessing the password
        http.put("/v1/me/password", alice, json={"old_password": "guess guess", "new_password": "new battery"},
                 status=403, code="wrong_password")
    assert log_in(http, "alice").status_code == 201  # the third attempt of the handle's budget
    before = seconds_left(QUARTER_HOUR_MS)
    resp = http.client.put("/v1/me/password", headers=alice.headers,
                           json={"old_password": PASSWORD, "new_password": "new battery"})
    refused(resp, QUARTER_HOUR_MS, before, budget=3)
    expect_error(log_in(http, "alice", "new battery"), 429)  # refused before any password check ...
    http.get("/v1/me", alice)  # ... and the session was not revoked: nothing changed


# -- writes per user ---------------------------------------------------------------------------------

def budget_of(resp: httpx2.Response) -> tuple[int, int, int]:
    return (int(resp.headers["x-ratelimit-limit"]), int(resp.headers["x-ratelimit-remaining"]),
            int(resp.headers["x-ratelimit-reset"]))


def test_barks_and_rebarks_share_a_budget_shown_on_every_response(serve) -> None:
    http = serve(barks_per_hour=3, barks_per_day=10)
    alice, bob = http.sign_up("alice"), http.sign_up("bob")
    first = http.client.post("/v1/barks", json={"text": "one"}, headers=alice.headers)
    assert first.status_code == 201
    limit, remaining, reset = budget_of(first)
    assert (limit, remaining) == (3, 2) and 1 <= reset <= 3600
    bark_id = http.bark(bob, "share me")["id"]
    shared = http.client.put(f"/v1/barks/{bark_id}/rebark", headers=alice.headers)
    assert shared.status_code == 201 and budget_of(shared)[:2] == (3, 1)
    third = http.client.post("/v1/barks", json={"text": "three"}, headers=alice.headers)
    assert budget_of(third)[:2] == (3, 0)
    other = http.bark(bob, "another")["id"]
    before_state = http.snapshot(alice, "alice")
    before = seconds_left(HOUR_MS)
    refused(http.client.post("/v1/barks", json={"text": "four"}, headers=alice.headers), HOUR_MS, before, budget=3)
    refused(http.client.put(f"/v1/barks/{other}/rebark", headers=alice.headers), HOUR_MS, before, budget=3)
    assert http.snapshot(alice, "alice") == before_state  # no bark, no rebark, no count changed
    assert http.bark(bob, "bob has his own budget")


def test_the_daily_bark_budget(serve) -> None:
    http = serve(barks_per_hour=100, barks_per_day=2)
    alice = http.sign_up("alice")
    http.bark(alice, "one")
    last = http.client.post("/v1/barks", json={"text": "two"}, headers=alice.headers)
    assert budget_of(last)[:2] == (2, 0)  # the tighter of the two budgets is the one shown
    before = seconds_left(DAY_MS)
    error = refused(http.client.post("/v1/barks", json={"text": "three"}, headers=alice.headers), DAY_MS,
                    before, budget=2)
    assert "per day" in error["message"]


def test_reactions_budget(serve) -> None:
    http = serve(reactions_per_hour=2)
    alice, bob = http.sign_up("alice"), http.sign_up("bob")
    bark_id = http.bark(bob, "react to me")["id"]
    for emoji in ("🐶", "❤️"):
        resp = http.client.post(f"/v1/barks/{bark_id}/reactions", json={"emoji": emoji}, headers=alice.headers)
        assert resp.status_code == 200 and budget_of(resp)[0] == 2
    before = seconds_left(HOUR_MS)
    resp = http.client.post(f"/v1/barks/{bark_id}/reactions", json={"emoji": "🎉"}, headers=alice.headers)
    refused(resp, HOUR_MS, before, budget=2)
    assert sorted(http.get(f"/v1/barks/{bark_id}", alice)["my_reactions"]) == sorted(["🐶", "❤️"])


def test_follows_budget(serve) -> None:
    http = serve(follows_per_hour=2)
    alice = http.sign_up("alice")
    targets = [http.sign_up(h) for h in ("bob", "carol", "dave")]
    for target in targets[:2]:
        resp = http.client.put(f"/v1/me/following/{target.handle}", headers=alice.headers)
        assert resp.status_code == 200 and budget_of(resp)[:2][0] == 2
    before = seconds_left(HOUR_MS)
    refused(http.client.put("/v1/me/following/dave", headers=alice.headers), HOUR_MS, before, budget=2)
    assert not http.profile("dave", alice)["following"] and http.profile("dave", alice)["followers_count"] == 0


def test_dismissing_suggestions_counts_with_follows_and_undo_is_free(serve) -> None:
    http = serve(follows_per_hour=2)
    alice, bob = http.sign_up("alice"), http.sign_up("bob")
    for handle in ("carol", "dave"):
        http.sign_up(handle)
        http.client.put(f"/v1/me/following/{handle}", headers=bob.headers)

    def suggested() -> list[str]:
        body = http.client.get("/v1/suggestions", headers=alice.headers).json()
        return sorted(s["user"]["handle"] for s in body["items"])

    http.client.put("/v1/me/following/bob", headers=alice.headers)  # one follow: one left
    assert suggested() == ["carol", "dave"]
    resp = http.client.delete("/v1/suggestions/carol", headers=alice.headers)
    assert resp.status_code == 204 and budget_of(resp)[0] == 2
    for _ in range(3):  # Undo is never limited, so dismiss-and-undo in a loop is bounded by the dismissals
        assert http.client.put("/v1/suggestions/carol", headers=alice.headers).status_code == 204
    before = seconds_left(HOUR_MS)
    refused(http.client.delete("/v1/suggestions/dave", headers=alice.headers), HOUR_MS, before, budget=2)
    assert suggested() == ["carol", "dave"]  # the refused dismissal wrote nothing


def test_write_limits_of_zero_are_off_and_send_no_headers(serve) -> None:
    http = serve(barks_per_hour=0, barks_per_day=0)
    alice = http.sign_up("alice")
    resp = http.client.post("/v1/barks", json={"text": "free"}, headers=alice.headers)
    assert resp.status_code == 201 and "x-ratelimit-limit" not in resp.headers


def test_the_older_limits_say_when_too(serve) -> None:
    http = serve(location_updates_per_hour=1, nearby_queries_per_hour=1)
    alice = http.sign_up("alice")
    stored = http.put("/v1/me/location", alice, json={"lat": 52.5, "lon": 13.4})
    before = seconds_left(HOUR_MS)
    refused(http.client.put("/v1/me/location", json={"lat": 48.8, "lon": 2.3}, headers=alice.headers),
            HOUR_MS, before, budget=1)
    assert http.get("/v1/me/location", alice) == stored  # the refused move changed nothing
    http.get("/v1/users/nearby", alice)
    refused(http.client.get("/v1/users/nearby", headers=alice.headers), HOUR_MS, before, budget=1)


# -- account rules over HTTP ---------------------------------------------------------------------------

def test_account_rules_answer_422_with_their_own_codes(serve) -> None:
    http = serve()
    http.post("/v1/accounts", json={"handle": "Admin", "password": PASSWORD}, status=422, code="reserved_handle")
    http.post("/v1/accounts", json={"handle": "ok_name", "password": "password1"}, status=422,
              code="common_password")
    http.post("/v1/accounts", json={"handle": "ok_name", "password": PASSWORD, "display_name": "\u200b\u200b"},
              status=422, code="invisible_characters")
    http.post("/v1/accounts", json={"handle": "ok_name", "password": PASSWORD, "bio": "hi \u202egnp.exe"},
              status=422, code="invisible_characters")
    alice = http.sign_up("alice")
    http.patch("/v1/me", alice, json={"display_name": "\u2800"}, status=422, code="invisible_characters")
    http.put("/v1/me/password", alice, json={"old_password": PASSWORD, "new_password": "iloveyou"}, status=422,
             code="common_password")
    # Two different problems at once: the generic code, with both messages.
    error = http.post("/v1/accounts", json={"handle": "root", "password": "password1"}, status=422, code="invalid")
    assert "reserved" in error["message"] and "common" in error["message"]
    assert http.get("/v1/me", alice)["display_name"] == "alice"
    assert not exists(http, alice, "ok_name")


def test_bookmarks_budget(serve) -> None:
    http = serve(bookmarks_per_hour=2)
    alice, bob = http.sign_up("alice"), http.sign_up("bob")
    barks = [http.bark(bob, f"keep {i}")["id"] for i in range(3)]
    for bark_id in barks[:2]:
        resp = http.client.put(f"/v1/barks/{bark_id}/bookmark", headers=alice.headers)
        assert resp.status_code == 200 and budget_of(resp)[0] == 2
    before = seconds_left(HOUR_MS)
    refused(http.client.put(f"/v1/barks/{barks[2]}/bookmark", headers=alice.headers), HOUR_MS, before, budget=2)
    assert http.ids("/v1/me/bookmarks", alice) == barks[1::-1]
    http.delete(f"/v1/barks/{barks[0]}/bookmark", alice)  # undoing is never limited


def test_bark_search_budget(serve) -> None:
    http = serve(bark_searches_per_hour=2)
    alice = http.sign_up("alice")
    for _ in range(2):
        assert http.client.get("/v1/barks/search?q=dogs", headers=alice.headers).status_code == 200
    before = seconds_left(HOUR_MS)
    refused(http.client.get("/v1/barks/search?q=dogs", headers=alice.headers), HOUR_MS, before, budget=2)
    other = http.sign_up("bob")  # a budget per user
    assert http.client.get("/v1/barks/search?q=dogs", headers=other.headers).status_code == 200
