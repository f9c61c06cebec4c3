"""`barker admin account suspend|unsuspend` as the operator meets them: the real command in a subprocess on a
data directory under tmp_path (as tests/unit/test_cli_admin.py), the account and its session made through
the API, the outcome read back through the API (log-in, the old token) and the store (state, audit log)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from tests.conftest import make_settings
from tests.unit.test_cli_admin import admin, failed_in_one_line, ok, store_of

PASSWORD = "correct horse"


def sign_up(tmp_path: Path, handle: str) -> str:
    """A user through the API; their session token."""
    with TestClient(create_app(make_settings(tmp_path))) as client:
        resp = client.post("/v1/accounts", json={"handle": handle, "password": PASSWORD})
        assert resp.status_code == 201, resp.text
        return str(resp.json()["token"])


def answers(tmp_path: Path, handle: str, token: str) -> tuple[int, str, int]:
    """(log-in status, its error code or "", GET /v1/me status with the old token)."""
    with TestClient(create_app(make_settings(tmp_path))) as client:
        login = client.post("/v1/sessions", json={"handle": handle, "password": PASSWORD})
        me = client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
        code = login.json()["error"]["code"] if login.status_code >= 400 else ""
        return login.status_code, code, me.status_code


def test_suspend_and_unsuspend_from_the_command_line(tmp_path: Path) -> None:
    token = sign_up(tmp_path, "carol")
    ok(admin(tmp_path, "account", "create", "boss", "--role", "admin"))
    assert ok(admin(tmp_path, "account", "suspend", "carol", "--reason", "spam bot")) == [
        "@carol is suspended; every session of it was revoked"]
    assert answers(tmp_path, "carol", token) == (403, "account_suspended", 401)
    [listed] = ok(admin(tmp_path, "account", "list", "--state", "suspended"))
    assert listed.startswith("@carol\tuser\tsuspended\t")
    assert [line.split("\t")[0] for line in ok(admin(tmp_path, "account", "list", "--state", "active"))] == ["@boss"]

    assert ok(admin(tmp_path, "account", "unsuspend", "carol")) == ["@carol is active again (it logs in anew)"]
    status, _, old_token = answers(tmp_path, "carol", token)
    assert (status, old_token) == (201, 401)  # logs in again; the old session stays revoked
    # The operator outranks every role: an admin too (the API refuses that to another admin).
    ok(admin(tmp_path, "account", "suspend", "boss", "--reason", "lost laptop"))
    ok(admin(tmp_path, "account", "unsuspend", "boss", "--reason", "laptop found"))
    store = store_of(tmp_path)
    entries = [(e.actor, e.action, e.target, e.reason) for e in store.audit_page(None, 10)][:4]
    store.close()
    assert entries == [("operator", "account.unsuspend", "boss", "laptop found"),
                       ("operator", "account.suspend", "boss", "lost laptop"),
                       ("operator", "account.unsuspend", "carol", None),
                       ("operator", "account.suspend", "carol", "spam bot")]


def test_refusals_are_one_line_and_change_nothing(tmp_path: Path) -> None:
    token = sign_up(tmp_path, "carol")
    for args, said in ((["suspend", "nobody", "--reason", "x"], "barker admin: no such user"),
                       (["suspend", "carol", "--reason", "  "], "barker admin: give a reason for the suspension "
                                                               "(it goes to the audit log)"),
                       (["suspend", "carol", "--reason", "x" * 501], "barker admin: the reason is at most 500 "
                                                                     "characters"),
                       (["unsuspend", "carol"], "barker admin: the account is not suspended")):
        assert failed_in_one_line(admin(tmp_path, "account", *args)) == said
    ok(admin(tmp_path, "account", "suspend", "carol", "--reason", "spam"))
    assert failed_in_one_line(admin(tmp_path, "account", "suspend", "carol", "--reason", "again")) == \
        "barker admin: the account is already suspended"
    store = store_of(tmp_path)
    assert [e.action for e in store.audit_page(None, 10)] == ["account.suspend"]  # the refused ones wrote nothing
    store.close()
    assert answers(tmp_path, "carol", token)[:2] == (403, "account_suspended")


@pytest.mark.parametrize(("args", "named"), [
    (["account", "suspend", "carol"], "--reason"),
    (["account", "suspend"], "handle"),
    (["account", "list", "--state", "gone"], "argument --state"),
])
def test_bad_arguments_are_one_line_usage_errors(tmp_path: Path, args: list[str], named: str) -> None:
    line = failed_in_one_line(admin(tmp_path, *args), status=2)
    assert line.startswith("barker admin") and named in line
    assert not (tmp_path / "data").exists()


def test_help_explains_suspension(tmp_path: Path) -> None:
    text = "\n".join(ok(admin(tmp_path, "account", "--help")))
    assert "suspend" in text and "unsuspend" in text
    text = " ".join(ok(admin(tmp_path, "account", "suspend", "--help")))
    assert "--reason" in text and "audit" in text and "cannot log in" in text
