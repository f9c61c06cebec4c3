"""The client address through a real uvicorn: `barker serve` must not let uvicorn believe X-Forwarded-For
(uvicorn does by default for peers on 127.0.0.1, where these tests connect from); only
BARKER_TRUSTED_PROXIES decides."""

from __future__ import annotations

import httpx2 as httpx

from tests.api.conftest import PASSWORD


def sign_up(base: str, handle: str, forwarded_for: str) -> httpx.Response:
    return httpx.post(f"{base}/v1/accounts", json={"handle": handle, "password": PASSWORD},
                      headers={"X-Forwarded-For": forwarded_for}, timeout=10)


def test_a_spoofed_forwarded_for_is_ignored_by_default(start_server) -> None:
    server = start_server(BARKER_SIGNUPS_PER_IP_PER_HOUR="2")
    assert sign_up(server.base, "spoof_a", "192.0.2.1").status_code == 201
    assert sign_up(server.base, "spoof_b", "192.0.2.2").status_code == 201
    refused = sign_up(server.base, "spoof_c", "192.0.2.3")
    assert refused.status_code == 429, refused.text
    assert 1 <= int(refused.headers["retry-after"]) <= 3600
    assert refused.headers["x-content-type-options"] == "nosniff"


def test_behind_a_trusted_proxy_forwarded_clients_are_told_apart(start_server) -> None:
    server = start_server(BARKER_SIGNUPS_PER_IP_PER_HOUR="1", BARKER_TRUSTED_PROXIES="127.0.0.1")
    assert sign_up(server.base, "proxied_a", "192.0.2.1").status_code == 201
    assert sign_up(server.base, "proxied_b", "192.0.2.2").status_code == 201
    assert sign_up(server.base, "proxied_c", "6.6.6.6, 192.0.2.1").status_code == 429
