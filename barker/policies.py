"""Barker's rules, written once. Both store adapters call these (or a service applies them before calling
the store), so the SQLite and ArangoDB stores decide alike and raise the same errors with the same codes;
tests/unit/test_policies.py checks each rule without a database, tests/contract/ checks that every adapter
applies them.

A domain module: pure functions and constants; it imports nothing of ours but barker.errors. Rules that an
adapter applies to many rows inside one statement (the fan-out threshold compared with a follower count,
the retention size) are constants or single comparisons the adapter passes in as a parameter, never a
Python call per row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from barker.errors import Conflict, Forbidden, Invalid, NotFound

# -- fan-out --------------------------------------------------------------------------------------


def fans_out(followers: int, threshold: int) -> bool:
    """Whether a new bark is copied into its author's followers' streams (fan-out on write). An author
    with more than `threshold` followers is merged into home timelines at read time instead: one bark
    would otherwise cost that many stream rows."""
    return followers <= threshold


# -- rebarks --------------------------------------------------------------------------------------


def check_rebarkable(exists: bool, is_rebark: bool) -> None:
    """Only an original can be rebarked: a rebark of a rebark is refused as if there were no such bark
    (services resolve a rebark to the bark it shares before they call the store)."""
    if not exists or is_rebark:
        raise NotFound("no such bark")


def already_rebarked() -> Conflict:
    """The error for a user's second rebark of one bark (each user rebarks a bark at most once)."""
    return Conflict("already rebarked", code="already_rebarked")


def check_not_rebarked(rebarked: bool) -> None:
    if rebarked:
        raise already_rebarked()


# -- reactions ------------------------------------------------------------------------------------

MAX_REACTIONS_PER_USER = 8  # different emoji one user may put on one bark


def check_reaction_room(reactions_so_far: int) -> None:
    """Called with how many different emoji the user already put on the bark, before adding another."""
    if reactions_so_far >= MAX_REACTIONS_PER_USER:
        raise Invalid(f"at most {MAX_REACTIONS_PER_USER} different reactions per bark",
                      code="too_many_reactions")


# -- the follow graph -----------------------------------------------------------------------------


def check_follow(follower: int, followee: int) -> None:
    """Nobody follows themselves (their own barks are in their stream anyway). `self_follow`, a 422, in
    the service and in every adapter alike."""
    if follower == followee:
        raise Invalid("you cannot follow yourself", code="self_follow")


# -- backfill: a newly followed author's barks in the follower's stream ---------------------------

BACKFILL_LIMIT = 200  # how many of a newly followed author's latest barks reach the follower's stream
BACKFILL_FETCH = BACKFILL_LIMIT + 1  # one more than is copied: tells whether older ones were left out


@dataclass(frozen=True, slots=True)
class Backfill:
    copied: list[int]  # the bark ids to copy, newest first (adapters append them oldest first)
    floor: int  # the follower's home-timeline floor afterwards


def plan_backfill(newest_first: Sequence[int], floor: int) -> Backfill:
    """`newest_first`: up to BACKFILL_FETCH of the author's bark ids at or above the follower's stream
    floor, newest first. The newest BACKFILL_LIMIT are copied; if more were eligible, the floor rises to
    the oldest copied one, so the home timeline knows the stream is complete only above it (below, it
    reads the followed authors' barks directly)."""
    copied = list(newest_first[:BACKFILL_LIMIT])
    if len(newest_first) > BACKFILL_LIMIT:
        floor = max(floor, copied[-1])
    return Backfill(copied, floor)


# -- stream retention -----------------------------------------------------------------------------

TRIM_EVERY = 100  # how far a stream may grow past its retention before it is trimmed back to it


def trim_at(retain: int) -> int:
    """The number of entries at which a stream is trimmed back to its newest `retain` (amortised: one
    trim per TRIM_EVERY appends, not one delete per append). Stores that count entries use this."""
    return retain + TRIM_EVERY


def retention_cutoff(seq: int, retain: int) -> int | None:
    """For stores that number each stream's entries consecutively: when an append reaches `seq`, the seq
    below which entries are dropped (keeping the newest `retain`), or None when it is no trim's turn."""
    if seq % TRIM_EVERY == 0 and seq > retain:
        return seq - retain + 1
    return None


# -- user search ----------------------------------------------------------------------------------

HANDLE_TIER, NAME_TIER, BIO_TIER = 0, 1, 2  # handle prefix matches first, then display names, then bios
SEARCH_TIERS = (HANDLE_TIER, NAME_TIER, BIO_TIER)


def search_in_tiers(handle_prefix: str, words: Sequence[str], after: tuple[int, int], limit: int,
                    fetch: Callable[[int, int, int], Sequence[int]]) -> list[tuple[int, int]]:
    """One page of a user search as (tier, user id) pairs, resuming after the cursor `after` (tier, id).
    `fetch(tier, start, n)` returns up to n ids of that tier above `start`, in id order, skipping users an
    earlier tier matched: the adapter's query. A handle prefix runs the handle tier, words the other two;
    a tier before the cursor's is done, and later tiers start from the beginning."""
    wanted = {HANDLE_TIER: bool(handle_prefix), NAME_TIER: bool(words), BIO_TIER: bool(words)}
    found: list[tuple[int, int]] = []
    for tier in SEARCH_TIERS:
        if not wanted[tier] or tier < after[0] or len(found) >= limit:
            continue
        start = after[1] if tier == after[0] else 0
        found.extend((tier, user_id) for user_id in fetch(tier, start, limit - len(found)))
    return found


# -- media attachments ----------------------------------------------------------------------------

MAX_MEDIA_PER_BARK = 4


def check_attachable(found: dict[int, tuple[int, str, str]], wanted: Sequence[int], owner: int,
                     purpose: str) -> None:
    """The rules for attaching media: `found` maps each existing id to (owner, purpose, state). Raises the
    contract's errors; the caller has written nothing yet."""
    if len(wanted) > MAX_MEDIA_PER_BARK:
        raise Invalid(f"at most {MAX_MEDIA_PER_BARK} media per bark", code="too_many_media")
    if len(set(wanted)) != len(wanted):
        raise Invalid("the same media is listed twice", code="duplicate_media")
    # Errors name the request field (an avatar's media_id, a bark's media_ids[i]), never the id itself:
    # error messages carry no request input.
    for position, media_id in enumerate(wanted):
        field = "media_id" if purpose == "avatar" else f"media_ids[{position}]"
        row = found.get(media_id)
        if row is None or row[0] != owner or row[2] == "released":
            raise NotFound(f"{field} is not among your uploads (unknown, expired or not yours)",
                           code="media_not_found")
        if row[1] != purpose:
            raise Invalid(f"{field} was uploaded as purpose={row[1]}, not {purpose}",
                          code="wrong_media_purpose")
        if row[2] != "new":
            raise Conflict(f"{field} is already attached", code="media_in_use")


def check_describable(found: tuple[int, str] | None, owner: int) -> None:
    """Who may describe an upload (alt text): its owner, attached or not, until it is released. `found` is
    its (owner, state), None for none; someone else's answers as an unknown one does."""
    if found is None or found[0] != owner or found[1] == "released":
        raise NotFound("the media is not among your uploads (unknown, expired or not yours)", code="media_not_found")


# -- conversations ------------------------------------------------------------------------------------------
MAX_MENTIONS = 10  # distinct existing users one bark may mention (more is refused: mention spam)


# A thread shows at most this many ancestors of its bark, the nearest (a reply 1,000 deep would otherwise
# render 1,000 barks on every page); the first one shown then still has a reply_to, whose own thread goes on up.
MAX_THREAD_ANCESTORS = 100


def check_mentions(count: int) -> None:
    if count > MAX_MENTIONS:
        raise Invalid(f"a bark may mention at most {MAX_MENTIONS} people", code="too_many_mentions")


def reply_reaches_home(reader: int, author: int, replied_to: int | None, reader_follows_replied_to: bool) -> bool:
    """Mastodon's home-timeline rule for a bark that `reader` sees because they follow `author` (or wrote it):
    a reply (replied_to: the author of the bark it answers) reaches the reader only if it continues the
    author's own thread, answers the reader, or answers someone the reader follows too. Everything else
    that is not a reply always does. Fan-out, the read-time merge of unfanned authors, the fallback below a
    stream's floor and live delivery all apply this one rule (each in its engine's terms)."""
    if replied_to is None or replied_to in (author, reader) or reader == author:
        return True
    return reader_follows_replied_to


# -- notifications ------------------------------------------------------------------------------------------
NOTIFICATION_TYPES = ("reaction", "rebark", "reply", "mention", "follow")


def bark_notifications(author: int, replied_to_author: int | None,
                       mentions: Sequence[int]) -> list[tuple[int, str]]:
    """Who a new bark notifies, as (owner, type), in this order: the author of the bark it answers gets a
    `reply`; each mentioned user a `mention`, except whoever already gets the `reply` for it (one
    notification per person per bark). Nobody is notified of their own bark. Both stores apply this, and
    the bark service wakes the same owners' streams after the commit. (Reactions, rebarks and follows
    notify the one owner of what they act on: `notifies(actor, owner)`.)"""
    found: list[tuple[int, str]] = []
    told = {author}
    if replied_to_author is not None and replied_to_author not in told:
        found.append((replied_to_author, "reply"))
        told.add(replied_to_author)
    for user in mentions:
        if user not in told:
            found.append((user, "mention"))
            told.add(user)
    return found


def notifies(actor: int, owner: int) -> bool:
    """A reaction, rebark or follow by `actor` notifies `owner` (the bark's author, the followee) unless it
    is their own."""
    return actor != owner


# -- roles and registrations ----------------------------------------------------------------------

ROLES = ("user", "moderator", "admin")
REGISTRATION_MODES = ("open", "approval", "invite", "closed")
REGISTRATION_MODE_SETTING = "registration_mode"  # the server setting's name in the store
OPERATOR = "operator"  # the actor the audit log names for the command line (it has no account)


def registration_mode(stored: str | None, configured: str) -> str:
    """The mode in force: BARKER_REGISTRATIONS=closed closes sign-up whatever the store says (a lock on the
    machine); otherwise the mode admins set, `open` until one is set."""
    if configured == "closed":
        return "closed"
    return stored if stored in REGISTRATION_MODES else "open"


def may_moderate(role: str) -> bool:
    """Approve or reject sign-ups, read and close reports, delete any bark: moderators and admins."""
    return role in ("moderator", "admin")


def may_administer(role: str) -> bool:
    """Roles, the registration mode, invites, password resets, the audit log: admins only."""
    return role == "admin"


def check_role_change(actor_id: int | None, target_id: int, old: str, new: str, admins: int) -> None:
    """The last admin cannot stop being one (the server would have no admin left but the command line):
    refused when an admin's role would change from admin while they are the only one."""
    if old == "admin" and new != "admin" and admins <= 1:
        who = "yourself" if actor_id == target_id else "the last admin"
        raise Conflict(f"cannot demote {who}: the server needs at least one admin", code="last_admin")


# -- reports ----------------------------------------------------------------------------------------------

REPORT_REASONS = ("spam", "harassment", "hate", "violence", "illegal", "impersonation", "other")
REPORT_CLOSINGS = ("resolved", "dismissed")  # what a moderator makes of an open report
REPORT_STATES = ("open", *REPORT_CLOSINGS)
MAX_REPORTED_BARKS = 20  # one report, a handful of examples: a moderator reads each
REPORT_TEXT_MAX = 1000
REPORT_NOTE_MAX = 1000


def check_report(reporter: int, target: int, bark_authors: dict[int, int | None]) -> None:
    """A report is about someone else, and each bark named in it is theirs (bark id -> its author, None when
    there is no such bark)."""
    if reporter == target:
        raise Invalid("you cannot report yourself", code="self_report")
    if any(author != target for author in bark_authors.values()):
        raise Invalid("each reported bark must be by the reported user", code="bark_not_by_user")


# -- blocks, mutes and account states -------------------------------------------------------------------

# Account states. Only an active account's barks and profile are seen (by anyone but moderators, on the admin
# API): a pending one waits for approval, a suspended one was stopped by a moderator.
ACTIVE = "active"
PENDING = "pending"
SUSPENDED = "suspended"
# Deleting itself (DELETE /v1/me): hidden from the first transaction on while the outbox worker removes its
# rows in batches, until the user row goes last (barker/services/departures.py).
LEAVING = "leaving"
HIDDEN_STATES = (PENDING, SUSPENDED, LEAVING)  # every state but ACTIVE: their accounts are seen by nobody

MAX_MUTE_SECONDS = 10 * 366 * 86400  # a mute with a duration lasts at most this long (none: until unmuted)


@dataclass(frozen=True)
class Relationship:
    """How `viewer` stands to another user beyond follows: what the viewer may know of it."""

    blocking: bool = False  # the viewer blocks them
    blocked_by: bool = False  # they block the viewer (shown to the viewer, as on Mastodon)
    muting: bool = False  # the viewer mutes them (a mute in force; they are never told)
    muting_until_ms: int | None = None  # when that mute ends (None: until unmuted, or no mute)

    @property
    def blocked_either_way(self) -> bool:
        return self.blocking or self.blocked_by


def check_not_self(actor: int, target: int, what: str) -> None:
    """Nobody blocks or mutes themselves."""
    if actor == target:
        raise Invalid(f"you cannot {what} yourself", code=f"cannot_{what}_self")


def check_interaction(relation: Relationship, what: str) -> None:
    """Neither party of a block may follow, reply to, react to or rebark the other: 403 `blocking` (the
    caller blocks them: unblock first) or `blocked` (they block the caller)."""
    if relation.blocking:
        raise Forbidden(f"you block this user: unblock them to {what}", code="blocking")
    if relation.blocked_by:
        raise Forbidden(f"this user blocks you: you cannot {what}", code="blocked")


def mute_until(now_ms: int, duration_seconds: int | None) -> int | None:
    """When a mute for `duration_seconds` from now ends (None: a mute until unmuted)."""
    if duration_seconds is None:
        return None
    if not 0 < duration_seconds <= MAX_MUTE_SECONDS:
        raise Invalid(f"a mute's duration is 1 to {MAX_MUTE_SECONDS} seconds (or none: until unmuted)",
                      code="bad_duration")
    return now_ms + duration_seconds * 1000


def mute_in_force(until_ms: int | None, now_ms: int) -> bool:
    """A mute hides until its end; an ended one is as if never made (and is deleted when next touched)."""
    return until_ms is None or until_ms > now_ms


# -- suspension and log-in ------------------------------------------------------------------------------

SUSPEND_REASON_MAX = 500  # a suspension's reason, for the audit log (required: who, what, when and WHY)
_RANK = {"user": 0, "moderator": 1, "admin": 2}  # who may act on whom (the operator outranks everyone)


def check_suspension(actor_id: int | None, actor_role: str | None, target_id: int, target_role: str) -> None:
    """Who may suspend or unsuspend whom, as on Mastodon: only someone who outranks the account. A moderator
    acts on users, an admin on users and moderators, the operator (the command line: no account, role None)
    on anyone. Nobody acts on themselves (they would lock themselves out), and an admin is not suspended by
    another admin: demote them first (which the audit log shows too)."""
    if actor_id == target_id:
        raise Invalid("you cannot suspend or unsuspend yourself", code="cannot_suspend_self")
    if actor_role is not None and _RANK.get(actor_role, 0) <= _RANK.get(target_role, 0):
        raise Forbidden(f"your role cannot suspend or unsuspend a {target_role}", code="forbidden")


def check_suspendable(state: str) -> None:
    """Only an active account is suspended: a pending one is approved or rejected instead."""
    if state == SUSPENDED:
        raise Conflict("the account is already suspended", code="already_suspended")
    if state != ACTIVE:
        raise Conflict("the account is pending approval: approve or reject it instead", code="not_active")


def check_unsuspendable(state: str) -> None:
    if state != SUSPENDED:
        raise Conflict("the account is not suspended", code="not_suspended")


def suspension_reason(reason: str | None) -> str:
    """The reason, stripped; required (the audit log says why) and at most SUSPEND_REASON_MAX characters."""
    text = (reason or "").strip()
    if not text:
        raise Invalid("give a reason for the suspension (it goes to the audit log)", code="reason_required")
    if len(text) > SUSPEND_REASON_MAX:
        raise Invalid(f"the reason is at most {SUSPEND_REASON_MAX} characters", code="reason_too_long")
    return text


def check_log_in(state: str) -> None:
    """Told only to whoever knows the password: a pending account waits for approval, a suspended one was
    stopped by a moderator. Neither gets a session."""
    if state == PENDING:
        raise Forbidden("this account waits for a moderator's approval", code="pending_approval")
    if state == SUSPENDED:
        raise Forbidden("this account is suspended by the moderators: you cannot log in",
                        code="account_suspended")


def shown_to_others(state: str) -> bool:
    """Whether an account's profile is seen by others at all (moderators see every one on the admin API)."""
    return state not in HIDDEN_STATES
