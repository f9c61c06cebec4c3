"""The server's refusals that come from a block, as sentences about the person concerned rather than the
API's wording ("@bob has blocked you"). Any other refusal keeps the server's own message, which is already
written for people."""

from __future__ import annotations

from client_qt.api import ApiError


def explain(error: ApiError, handle: str = "") -> str:
    """`handle`: the person the refused request was about ("" when unknown)."""
    who = f"@{handle}" if handle else "This account"
    if error.code == "blocked":  # they block me: I can't follow, reply to, react to or rebark them
        return f"{who} has blocked you."
    if error.code == "blocking":  # I block them: that comes first
        return f"You block {who}: unblock them first."
    if error.code == "unavailable":
        return "This account is unavailable."
    if error.code in ("cannot_block_self", "cannot_mute_self"):
        return f"You can't {error.code.split('_')[1]} yourself."
    return error.message
