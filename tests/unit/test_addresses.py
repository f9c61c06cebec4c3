"""The client address behind proxies, as a hostile client would try to set it."""

from __future__ import annotations

import pytest

from barker.addresses import check_bind_host, client_address, limit_key, parse_networks
from barker.settings import Settings

PROXIES = parse_networks("10.0.0.0/8, 192.168.1.1, 2001:db8:ffff::/48")


def test_without_trusted_proxies_the_header_is_never_read() -> None:
    assert client_address("203.0.113.7", ["1.2.3.4"], ()) == "203.0.113.7"
    assert client_address("10.0.0.1", ["1.2.3.4"], ()) == "10.0.0.1"


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored() -> None:
    assert client_address("203.0.113.7", ["10.0.0.5, 1.2.3.4"], PROXIES) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client() -> None:
    # The client wrote "6.6.6.6" itself; our proxies appended the real peer they saw, 198.51.100.9.
    assert client_address("10.0.0.2", ["6.6.6.6, 198.51.100.9, 10.1.1.1"], PROXIES) == "198.51.100.9"
    # Several headers are one list, in order.
    assert client_address("10.0.0.2", ["6.6.6.6", "198.51.100.9"], PROXIES) == "198.51.100.9"
    assert client_address("192.168.1.1", ["2001:db8::1"], PROXIES) == "2001:db8::1"
    assert client_address("2001:db8:ffff::5", ["[2001:db8:1::9]:443"], PROXIES) == "2001:db8:1::9"
    assert client_address("10.0.0.2", ["198.51.100.9:5555"], PROXIES) == "198.51.100.9"


def test_edge_cases_of_the_chain() -> None:
    assert client_address("10.0.0.2", [], PROXIES) == "10.0.0.2"  # a proxy that sent no header
    assert client_address("10.0.0.2", ["10.0.0.3, 10.0.0.4"], PROXIES) == "10.0.0.3"  # all trusted: left-most
    # Garbage written by a trusted hop: believe nothing further left than the last trusted hop.
    assert client_address("10.0.0.2", ["1.2.3.4, garbage"], PROXIES) == "10.0.0.2"
    assert client_address("10.0.0.2", ["  ,  "], PROXIES) == "10.0.0.2"
    assert client_address("::ffff:10.0.0.2", ["198.51.100.9"], PROXIES) == "198.51.100.9"  # v4-mapped peer
    assert client_address(None, ["1.2.3.4"], PROXIES) == "unknown"
    assert client_address("testclient", ["1.2.3.4"], PROXIES) == "testclient"  # not an IP: never trusted


def test_limits_count_ipv6_per_64_and_ipv4_per_address() -> None:
    assert limit_key("2001:db8:1:2:aaaa::1") == limit_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert limit_key("2001:db8:1:3::1") != limit_key("2001:db8:1:2::1")
    assert limit_key("198.51.100.9") == "198.51.100.9" != limit_key("198.51.100.10")
    assert limit_key("::ffff:198.51.100.9") == "198.51.100.9"


def test_the_setting_is_checked_at_start_up(tmp_path) -> None:
    assert Settings(data_dir=tmp_path, trusted_proxies=" 10.0.0.0/8 ,::1 ").trusted_proxies
    with pytest.raises(ValueError, match=r"not an IP address or CIDR network: 'proxy\.local'"):
        Settings(data_dir=tmp_path, trusted_proxies="10.0.0.1, proxy.local")


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0", "::", "::1", "fe80::1", "localhost", "example.org",
                                  "barker-api", "my_service", "a" * 63 + ".example.org"])
def test_a_server_may_listen_on_an_ip_address_or_a_host_name(host: str) -> None:
    assert check_bind_host(host) == host
    assert Settings(host=host).host == host


@pytest.mark.parametrize("host", ["", " ", "http://example.org", "example.org:8000", "[::1]", "127.0.0.1:80",
                                  "-example.org", "example-.org", "exa mple.org", "example..org", "a" * 64,
                                  "localhost/", "é.example.org"])
def test_anything_else_is_refused_before_the_server_binds(host: str) -> None:
    with pytest.raises(ValueError, match=r"IP address .* or a host name"):
        check_bind_host(host)
