"""Reports end to end: a user files one about another user and their barks, follows its state; moderators
list the queue (the reported user and barks rendered, a deleted bark as a tombstone), close reports and
delete any bark, each audited. Every endpoint's authorization (anonymous 401, a user 403 on /v1/admin/*, a
moderator allowed) and bad input (4xx, nothing changed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from tests.api.conftest import PASSWORD, Http, User, call, eventually
from tests.conftest import make_settings

STAFF = [
    ("GET", "/v1/admin/reports", None),
    ("POST", "/v1/admin/reports/1/resolve", {"action": "dismissed"}),
    ("DELETE", "/v1/admin/barks/{bark}", None),
]
USERS = [
    ("POST", "/v1/reports", {"handle": "bob", "reason": "spam"}),
    ("GET", "/v1/me/reports", None),
]


def report(http: Http, user: User, status: int = 201, code: str | None = None, **body: Any) -> Any:
    return http.post("/v1/reports", user, json=body, status=status, code=code)


def queue(http: Http, mod: User, state: str | None = None) -> list[dict[str, Any]]:
    url = "/v1/admin/reports" + (f"?state={state}" if state else "")
    return list(http.get(url, mod)["items"])


@pytest.mark.parametrize(("method", "url", "body"), STAFF + USERS)
def test_anonymous_gets_401(http: Http, alice: User, bob: User, method: str, url: str, body: Any) -> None:
    bark = http.bark(bob, "mine")
    resp = call(http, method, url.replace("{bark}", str(bark["id"])), body, None, "")
    assert resp.status_code == 401 and resp.json()["error"]["code"] == "unauthorized", resp.text
    http.get(f"/v1/barks/{bark['id']}", alice)


@pytest.mark.parametrize(("method", "url", "body"), STAFF)
def test_a_user_gets_403_on_the_moderation_routes(http: Http, alice: User, bob: User, mod: User, method: str,
                                                  url: str, body: Any) -> None:
    bark = http.bark(bob, "mine")
    filed = report(http, alice, handle="bob", reason="spam", bark_ids=[bark["id"]])
    url = url.replace("{bark}", str(bark["id"])).replace("/reports/1/", f"/reports/{filed['id']}/")
    resp = call(http, method, url, body, alice, "")
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "forbidden", resp.text
    http.get(f"/v1/barks/{bark['id']}", alice)  # nothing changed
    [item] = queue(http, mod)
    assert item["state"] == "open"


def test_a_report_goes_to_the_moderators_and_its_reporter_sees_its_state(
        http: Http, alice: User, bob: User, mod: User, root: User) -> None:
    first, second = http.bark(bob, "first"), http.bark(bob, "second")
    filed = report(http, alice, handle="bob", reason="harassment", text="keeps at it",
                   bark_ids=[second["id"], first["id"], second["id"]])
    assert {k: filed[k] for k in ("handle", "bark_ids", "reason", "text", "state", "note")} == {
        "handle": "bob", "bark_ids": [second["id"], first["id"]], "reason": "harassment", "text": "keeps at it",
        "state": "open", "note": None}
    assert http.get("/v1/me/reports", alice)["items"] == [filed]
    assert http.get("/v1/me/reports", bob)["items"] == []  # the reported user is not told
    [item] = queue(http, mod, "open")
    assert (item["id"], item["reporter"], item["user"]["handle"]) == (filed["id"], "alice", "bob")
    assert [b["text"] for b in item["barks"]] == ["second", "first"] and item["resolved_by"] is None
    closed = http.post(f"/v1/admin/reports/{filed['id']}/resolve", mod, status=200,
                       json={"action": "resolved", "note": "bob was warned"})
    assert (closed["state"], closed["note"], closed["resolved_by"]) == ("resolved", "bob was warned", "mody")
    mine = http.client.get("/v1/me/reports", headers=alice.headers)
    [seen] = mine.json()["items"]
    assert (seen["state"], seen["note"]) == ("resolved", "bob was warned")
    assert "mody" not in mine.text  # never who closed it
    assert queue(http, mod, "open") == [] and [r["id"] for r in queue(http, mod, "resolved")] == [filed["id"]]
    http.post(f"/v1/admin/reports/{filed['id']}/resolve", mod, json={"action": "dismissed"}, status=409,
              code="report_closed")
    assert queue(http, mod)[0]["state"] == "resolved"
    audit = http.get("/v1/admin/audit", root)["items"]
    assert [(a["actor"], a["action"], a["target"], a["reason"]) for a in audit][:1] == [
        ("mody", "report.resolved", str(filed["id"]), "bob was warned")]


def test_a_moderator_deletes_any_bark_as_its_author_would(http: Http, alice: User, bob: User, mod: User,
                                                          root: User) -> None:
    bark = http.bark(bob, "nasty")
    filed = report(http, alice, handle="bob", reason="hate", bark_ids=[bark["id"]])
    assert http.profile("bob", alice)["barks_count"] == 1
    http.delete(f"/v1/admin/barks/{bark['id']}", mod, json={"reason": "hate speech"})
    http.get(f"/v1/barks/{bark['id']}", alice, status=404)
    assert http.profile("bob", alice)["barks_count"] == 0
    [item] = queue(http, mod)
    assert item["id"] == filed["id"] and item["barks"] == [{"id": bark["id"], "deleted": True}]
    [entry] = [a for a in http.get("/v1/admin/audit", root)["items"] if a["action"] == "bark.delete"]
    assert (entry["actor"], entry["target"], entry["reason"]) == ("mody", f"{bark['id']} by @bob", "hate speech")
    http.delete(f"/v1/admin/barks/{bark['id']}", mod, status=404)
    root_bark = http.bark(alice, "an admin may too")
    http.delete(f"/v1/admin/barks/{root_bark['id']}", root)
    http.get(f"/v1/barks/{root_bark['id']}", alice, status=404)


def test_bad_reports_are_4xx_and_change_nothing(http: Http, alice: User, bob: User, mod: User) -> None:
    bobs, alices = http.bark(bob, "bob's"), http.bark(alice, "alice's")
    report(http, alice, 422, handle="bob", reason="boring")
    report(http, alice, 422, handle="bob")
    report(http, alice, 422, handle="bob", reason="spam", text="x" * 1001)
    report(http, alice, 422, "bark_not_by_user", handle="bob", reason="spam", bark_ids=[alices["id"]])
    report(http, alice, 422, "bark_not_by_user", handle="bob", reason="spam", bark_ids=[bobs["id"], 987654321])
    report(http, alice, 422, handle="bob", reason="spam", bark_ids=[bobs["id"]] * 21)
    report(http, alice, 422, handle="bob", reason="spam", bark_ids=[str(bobs["id"])])
    report(http, alice, 422, handle="bob", reason="spam", extra=1)
    report(http, alice, 422, "self_report", handle="alice", reason="spam")
    report(http, alice, 404, handle="nobody", reason="spam")
    assert http.get("/v1/me/reports", alice)["items"] == [] and queue(http, mod) == []
    report(http, alice, handle="BOB", reason="other", bark_ids=[bobs["id"]] * 20, text="x" * 1000)  # the limits


def test_bad_moderation_input_is_4xx_and_changes_nothing(http: Http, alice: User, bob: User, mod: User) -> None:
    bark = http.bark(bob, "kept")
    filed = report(http, alice, handle="bob", reason="spam")
    url = f"/v1/admin/reports/{filed['id']}/resolve"
    http.post(url, mod, json={"action": "deleted"}, status=422)
    http.post(url, mod, json={}, status=422)
    http.post(url, mod, json={"action": "resolved", "note": "x" * 1001}, status=422)
    http.post("/v1/admin/reports/987654321/resolve", mod, json={"action": "resolved"}, status=404)
    http.get("/v1/admin/reports?state=closed", mod, status=422)
    http.delete("/v1/admin/barks/987654321", mod, status=404)
    http.delete(f"/v1/admin/barks/{bark['id']}", mod, json={"reason": "x" * 501}, status=422)
    http.get(f"/v1/barks/{bark['id']}", alice)
    [item] = queue(http, mod)
    assert (item["state"], item["note"]) == ("open", None)


def test_reports_are_rate_limited_per_user(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path, reports_per_hour=2))) as client:
        http = Http(client)
        alice, _ = http.sign_up("alice"), http.sign_up("bob")
        report(http, alice, handle="bob", reason="spam")
        report(http, alice, handle="bob", reason="spam")
        resp = client.post("/v1/reports", json={"handle": "bob", "reason": "spam"}, headers=alice.headers)
        assert resp.status_code == 429 and int(resp.headers["Retry-After"]) > 0
        assert len(http.get("/v1/me/reports", alice)["items"]) == 2


def test_reports_go_with_either_account(http: Http, alice: User, bob: User, carol: User, mod: User) -> None:
    report(http, alice, handle="bob", reason="spam")
    report(http, bob, handle="carol", reason="spam")
    report(http, carol, handle="alice", reason="spam")
    http.delete("/v1/me", bob, json={"password": PASSWORD})
    # The outbox worker removes the account's rows in batches after the answer.
    eventually(lambda: [(r["reporter"], r["handle"]) for r in queue(http, mod)], lambda q: q == [("carol", "alice")])
    assert http.get("/v1/me/reports", alice)["items"] == []
