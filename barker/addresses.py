"""Who is calling, by network address: the client address behind trusted proxies, and the key its limits
are counted under.

X-Forwarded-For is a list anyone can write: a client sends whatever it likes, and each proxy appends the
address it received the request from. Only the entries appended by proxies we run can be believed, so the
chain is read from the right: the socket peer, then each entry, skipping addresses of trusted proxies;
the first address that is not a trusted proxy is the client. With no trusted proxies the header is never
read, so spoofing it changes nothing.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# IPv6 hands a whole /64 to one subscriber: counting per address would give one attacker 2^64 budgets.
IPV6_LIMIT_PREFIX = 64


def parse_networks(spec: str) -> tuple[Network, ...]:
    """"10.0.0.1, 192.168.0.0/16, ::1" -> networks. Raises ValueError naming the first bad entry."""
    networks = []
    for entry in (part.strip() for part in spec.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"not an IP address or CIDR network: {entry!r}") from None
    return tuple(networks)


def parse_address(text: str) -> Address | None:
    """An IP address as proxies write it (IPv6 possibly in brackets, IPv4 possibly with a port), or None."""
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # 203.0.113.7:51234
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:  # ::ffff:1.2.3.4 is 1.2.3.4
        return address.ipv4_mapped
    return address


def is_trusted(address: Address | None, trusted: Sequence[Network]) -> bool:
    return address is not None and any(address in network for network in trusted)


def client_address(peer: str | None, forwarded_for: Iterable[str], trusted: Sequence[Network]) -> str:
    """The client's address: the socket peer, unless the peer is a trusted proxy; then the right-most
    X-Forwarded-For entry that is not a trusted proxy. `forwarded_for` is every X-Forwarded-For header
    value in the order received. An entry that is not an address ends the walk at the last trusted hop
    (a proxy we trust wrote garbage: believe no more of the chain)."""
    peer = peer or "unknown"
    current = parse_address(peer)
    if not trusted or not is_trusted(current, trusted):
        return str(current) if current else peer
    chain = [entry for value in forwarded_for for entry in value.split(",") if entry.strip()]
    for entry in reversed(chain):
        hop = parse_address(entry)
        if hop is None:
            break
        current = hop
        if not is_trusted(hop, trusted):
            break
    return str(current)


def limit_key(address: str) -> str:
    """The key an address's limits are counted under: IPv4 as it is, IPv6 by its /64 network."""
    parsed = parse_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_LIMIT_PREFIX}", strict=False))
    return str(parsed) if parsed else address


# A host name as getaddrinfo takes it: dot-separated labels of letters, digits, hyphens (not at either
# end) and underscores (container and compose service names may have them).
_HOST_NAME = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9_-]{1,63}(?<!-))*")


def check_bind_host(text: str) -> str:
    """`text` if a server can be told to listen on it: an IP address (`0.0.0.0`, `::1`) or a host name.
    Raises ValueError saying what is allowed for anything else (a URL, `host:port`, blank), which would
    otherwise fail only when the server binds, with a traceback."""
    try:
        ipaddress.ip_address(text)
        return text
    except ValueError:
        pass
    if len(text) <= 253 and _HOST_NAME.fullmatch(text):
        return text
    raise ValueError("should be an IP address (127.0.0.1, 0.0.0.0, ::1) or a host name")
