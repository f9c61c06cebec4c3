"""`barker admin` as the operator meets it: the real command (`python -m backend.cli admin ...`) in a
subprocess on a data directory under tmp_path, then the store (and the API, for a log-in) read back.

A fresh install makes its first admin in one command; secrets are printed once on stdout; every failure is
one line on stderr with nothing changed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from barker.store.sqlite import SqliteStore
from tests.conftest import make_settings
from tests.servers import CHEAP_ARGON2
from tests.unit.test_cli import ROOT


def admin(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`barker admin <args>` as tests/unit/test_cli.py runs `barker`, with `stdin` as its input."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BARKER_")}
    env = {**clean, "HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "xdg"),
           "BARKER_DATA_DIR": str(tmp_path / "data"), **CHEAP_ARGON2}
    return subprocess.run([sys.executable, "-m", "backend.cli", "admin", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def ok(done: subprocess.CompletedProcess[str]) -> list[str]:
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout.splitlines()


def failed_in_one_line(done: subprocess.CompletedProcess[str], status: int = 1) -> str:
    assert done.returncode == status, done
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert "Traceback" not in done.stderr
    return line


def store_of(tmp_path: Path) -> SqliteStore:
    return SqliteStore(make_settings(tmp_path).sqlite_path)


def log_in(tmp_path: Path, handle: str, password: str) -> dict[str, Any]:
    with TestClient(create_app(make_settings(tmp_path))) as client:
        resp = client.post("/v1/sessions", json={"handle": handle, "password": password})
        assert resp.status_code == 201, resp.text
        return resp.json()


def test_a_fresh_install_makes_its_first_admin_in_one_command(tmp_path: Path) -> None:
    created, password_line = ok(admin(tmp_path, "account", "create", "admin", "--role", "admin"))
    assert created == "created @admin (admin)"  # a reserved handle: the operator may take it
    password = password_line.removeprefix("password: ")
    assert len(password) >= 16
    session = log_in(tmp_path, "admin", password)
    assert (session["user"]["role"], session["must_change_password"]) == ("admin", False)
    store = store_of(tmp_path)
    [entry] = store.audit_page(None, 10)
    assert (entry.actor, entry.action, entry.target) == ("operator", "account.create", "admin")
    store.close()


def test_a_password_from_stdin_is_not_printed(tmp_path: Path) -> None:
    lines = ok(admin(tmp_path, "account", "create", "carol", "--password-stdin", stdin="a long secret\n"))
    assert lines == ["created @carol (user)"]
    assert log_in(tmp_path, "carol", "a long secret")["user"]["role"] == "user"
    line = failed_in_one_line(admin(tmp_path, "account", "create", "dave", "--password-stdin", stdin="short\n"))
    assert line.startswith("barker admin: password must be")


def test_promote_demote_list(tmp_path: Path) -> None:
    ok(admin(tmp_path, "account", "create", "boss", "--role", "admin"))
    ok(admin(tmp_path, "account", "create", "carol"))
    assert ok(admin(tmp_path, "account", "promote", "carol", "--role", "moderator")) == ["@carol is now moderator"]
    listed = ok(admin(tmp_path, "account", "list", "--role", "moderator"))
    assert len(listed) == 1 and listed[0].startswith("@carol\tmoderator\tactive\t")
    assert ok(admin(tmp_path, "account", "demote", "carol")) == ["@carol is now user"]
    assert [line.split("\t")[0] for line in ok(admin(tmp_path, "account", "list"))] == ["@carol", "@boss"]
    line = failed_in_one_line(admin(tmp_path, "account", "demote", "boss"))
    assert line == "barker admin: cannot demote the last admin: the server needs at least one admin"
    assert failed_in_one_line(admin(tmp_path, "account", "promote", "nobody", "--role", "admin")) == \
        "barker admin: no such user"
    store = store_of(tmp_path)
    assert [e.action for e in store.audit_page(None, 10)] == ["account.role", "account.role", "account.create",
                                                              "account.create"]
    store.close()


def test_reset_password_prints_a_one_time_password_the_user_must_change(tmp_path: Path) -> None:
    ok(admin(tmp_path, "account", "create", "carol", "--password-stdin", stdin="a long secret\n"))
    said, one_time_line = ok(admin(tmp_path, "account", "reset-password", "carol"))
    assert "must be changed" in said
    session = log_in(tmp_path, "carol", one_time_line.removeprefix("one-time password: "))
    assert session["must_change_password"] is True
    assert ok(admin(tmp_path, "account", "reset-password", "carol", "--stdin", stdin="chosen by admin\n")) == [
        "password reset; every session revoked; it must be changed at the next log-in"]
    assert log_in(tmp_path, "carol", "chosen by admin")["must_change_password"] is True


def test_registrations_print_and_set_the_mode(tmp_path: Path) -> None:
    assert ok(admin(tmp_path, "registrations")) == ["registrations: open"]
    assert ok(admin(tmp_path, "registrations", "approval")) == ["registrations: approval"]
    assert ok(admin(tmp_path, "registrations")) == ["registrations: approval"]
    line = failed_in_one_line(admin(tmp_path, "registrations", "sometimes"), status=2)
    assert "invalid choice" in line and "open" in line
    assert ok(admin(tmp_path, "registrations")) == ["registrations: approval"]


def test_invites_are_made_listed_and_revoked(tmp_path: Path) -> None:
    [made] = ok(admin(tmp_path, "invite", "create", "--uses", "3", "--expires-days", "2"))
    invite_id, code = made.removeprefix("invite ").split("  ")[0].split(": ")
    assert "(3 uses, expires 20" in made
    [listed] = ok(admin(tmp_path, "invite", "list"))
    assert listed.startswith(f"{invite_id}\tby operator\t0/3 used") and code not in listed
    assert ok(admin(tmp_path, "invite", "revoke", code)) == ["invite revoked"]
    assert ok(admin(tmp_path, "invite", "list")) == []
    ok(admin(tmp_path, "invite", "create"))
    [listed] = ok(admin(tmp_path, "invite", "list"))
    assert ok(admin(tmp_path, "invite", "revoke", listed.split("\t")[0])) == ["invite revoked"]
    assert failed_in_one_line(admin(tmp_path, "invite", "revoke", code)) == "barker admin: no such invite"


@pytest.mark.parametrize(("args", "named"), [
    (["invite", "create", "--uses", "0"], "argument --uses"),
    (["invite", "create", "--expires-days", "-1"], "argument --expires-days"),
    (["account", "promote", "carol", "--role", "king"], "argument --role"),
    (["account", "promote", "carol"], "--role"),
    (["account"], "action"),
])
def test_bad_arguments_are_one_line_and_change_nothing(tmp_path: Path, args: list[str], named: str) -> None:
    line = failed_in_one_line(admin(tmp_path, *args), status=2)
    assert line.startswith("barker admin") and named in line
    assert not (tmp_path / "data").exists()


def test_help_names_every_command(tmp_path: Path) -> None:
    text = "\n".join(ok(admin(tmp_path, "--help")))
    for group in ("account", "registrations", "invite"):
        assert group in text
    text = "\n".join(ok(admin(tmp_path, "account", "--help")))
    for action in ("create", "list", "promote", "demote", "reset-password"):
        assert action in text
