"""The statements of the SQLite store's lifecycle: the health probe and the id generator's node leases."""

from __future__ import annotations

PING = "SELECT 1"
NODE_LEASES = "SELECT node, holder, expires_ms FROM node_leases"
# Take node ? for holder ? until ? (over an expired lease, or renewing our own).
LEASE_NODE = ("INSERT INTO node_leases VALUES (?, ?, ?) ON CONFLICT (node) DO UPDATE SET holder = "
              "excluded.holder, expires_ms = excluded.expires_ms")
RENEW_NODE = "UPDATE node_leases SET expires_ms = ? WHERE node = ? AND holder = ?"
