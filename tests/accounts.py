"""Accounts in the states the server can put them in, made as an operator would: the first admin with the
real `barker admin` command on the running server's data directory, then the admin API."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import httpx2 as httpx

from tests.servers import CHEAP_ARGON2, REPO, Server

PASSWORD = "correct horse"


def make_admin(server: Server, handle: str) -> dict[str, str]:
    """`barker admin account create HANDLE --role admin` on the server's store; its bearer header."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("BARKER_")},
           "BARKER_DATA_DIR": str(server.data_dir), **CHEAP_ARGON2}
    done = subprocess.run([sys.executable, "-m", "backend.cli", "admin", "account", "create", handle, "--role",
                           "admin", "--password-stdin"], cwd=REPO, env=env, input=PASSWORD + "\n",
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    r = httpx.post(f"{server.base}/v1/sessions", json={"handle": handle, "password": PASSWORD})
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def as_admin(server: Server, auth: dict[str, str], method: str, path: str, body: Any = None) -> Any:
    r = httpx.request(method, f"{server.base}{path}", json=body, headers=auth)
    assert r.status_code < 300, r.text
    return r.json() if r.content else None
