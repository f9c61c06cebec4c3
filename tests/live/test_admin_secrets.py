"""The secrets the operator side hands out or takes in never reach a log: on a real `barker serve` with
access logs on, an admin makes an invite code and resets a password (both answered once, in the body), a
user signs up with the code, logs in with the one-time password, changes it and deletes the account with
it; none of those values appears anywhere in what the process wrote."""

from __future__ import annotations

from collections.abc import Callable

import httpx2 as httpx

from tests.accounts import as_admin, make_admin
from tests.servers import Server


def test_invite_codes_and_passwords_stay_out_of_the_logs(start_server: Callable[..., Server]) -> None:
    server = start_server(log_level="debug", access_log=True)
    root = make_admin(server, "rooty")
    as_admin(server, root, "PUT", "/v1/admin/registrations", {"mode": "invite"})
    code = as_admin(server, root, "POST", "/v1/admin/invites", {"uses": 1})["code"]
    signed = httpx.post(f"{server.base}/v1/accounts",
                        json={"handle": "newbie", "password": "first secret 1", "invite": code})
    assert signed.status_code == 201, signed.text
    one_time = as_admin(server, root, "POST", "/v1/admin/accounts/newbie/password")["password"]
    session = httpx.post(f"{server.base}/v1/sessions", json={"handle": "newbie", "password": one_time}).json()
    auth = {"Authorization": f"Bearer {session['token']}"}
    changed = httpx.put(f"{server.base}/v1/me/password", headers=auth,
                        json={"old_password": one_time, "new_password": "second secret 2"})
    assert changed.status_code == 204, changed.text
    fresh = httpx.post(f"{server.base}/v1/sessions", json={"handle": "newbie", "password": "second secret 2"})
    auth = {"Authorization": f"Bearer {fresh.json()['token']}"}
    gone = httpx.request("DELETE", f"{server.base}/v1/me", headers=auth, json={"password": "second secret 2"})
    assert gone.status_code == 204, gone.text
    output = server.output()
    assert "/v1/admin/invites" in output and "/v1/me" in output  # the requests were logged ...
    for secret in (code, one_time, "first secret 1", "second secret 2", session["token"], root["Authorization"]):
        assert secret.removeprefix("Bearer ") not in output  # ... their secrets were not
