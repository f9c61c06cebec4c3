"""Posting, reading and deleting barks; rebarks; reactions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from barker.bus import live_bark, streams_advanced
from barker.errors import Forbidden, NotFound
from barker.gateway import StoreGateway
from barker.ids import now_ms
from barker.policies import HIDDEN_STATES, bark_notifications, check_interaction, check_mentions, notifies
from barker.ports.accounts import Accounts, Tokens
from barker.ports.barks import Barks
from barker.ports.operators import AccountStates
from barker.ports.rate_limits import RateLimits
from barker.ports.safety import Safety
from barker.ports.types import BarkContent
from barker.rate_limits import Budget, charge, per_user_writes
from barker.services import Page, authenticate, user_id_for
from barker.text_entities import ParsedText, parse_text


class BarkStore(Barks, Accounts, AccountStates, Tokens, RateLimits, Safety, Protocol):
    """What the bark service uses of the store: barks and reactions, who is asking (tokens, handles), account
    states, limits, blocks."""


def _view(store: BarkStore, bark_id: int, viewer: int) -> dict[str, Any]:
    """The bark as the viewer sees it; NotFound if it does not exist or the viewer does not see it (a block
    either way with its author, or with the author of the bark it shares; a hidden account)."""
    views = store.bark_views([bark_id], viewer)
    if not views:
        raise NotFound("no such bark")
    return views[0]


def _original(store: BarkStore, bark_id: int) -> int:
    """Rebarking or reacting to a rebark acts on the bark it shares."""
    found = store.bark_author(bark_id)
    if found is None:
        raise NotFound("no such bark")
    return found[1] or bark_id


def _check_not_blocked(store: BarkStore, user_id: int, bark_id: int, what: str) -> None:
    """Neither party of a block may reply to, react to or rebark the other's barks (policies.check_interaction)."""
    found = store.bark_author(bark_id)
    if found is not None and found[0] != user_id:
        check_interaction(store.relationship(user_id, found[0], now_ms()), what)


def bark_content(store: BarkStore, author: int, text: str, reply_to: int | None) -> BarkContent:
    """What a new bark's text refers to, resolved against the store: the bark it answers (checked by the
    store in its transaction), and its mentions (of users that exist and share no block with the author: at
    most MAX_MENTIONS), tags and links, each an entity with its code-point range. Raises Invalid
    (too_many_mentions, tag_too_long)."""
    parsed = parse_text(text)
    handles = parsed.mention_handles()
    users = store.user_ids_by_handles(handles) if handles else {}
    blocked = store.blocked_among(author, list(users.values())) if users else set()
    users = {handle: user for handle, user in users.items() if user not in blocked}
    mentioned = tuple(dict.fromkeys(users[h] for h in handles if h in users))
    check_mentions(len(mentioned))
    return BarkContent(reply_to=reply_to, mentions=mentioned, tags=tuple(parsed.tag_names()),
                       entities=tuple(entities(parsed, users)))


def entities(parsed: ParsedText, users: dict[str, int]) -> list[dict[str, Any]]:
    """The API's Entity objects, in text order: a mention only of a user that exists."""
    found: list[dict[str, Any]] = [
        {"type": "mention", "start": m.start, "end": m.end, "user_id": users[m.handle.lower()], "handle": m.handle}
        for m in parsed.mentions if m.handle.lower() in users]
    found += ({"type": "tag", "start": t.start, "end": t.end, "tag": t.tag} for t in parsed.tags)
    found += ({"type": "url", "start": link.start, "end": link.end, "url": link.url} for link in parsed.links)
    return sorted(found, key=lambda entity: entity["start"])


async def post_bark(gw: StoreGateway, token: str | None, text: str,
                    media_ids: Sequence[int] = (), reply_to: int | None = None) -> tuple[dict[str, Any], Budget | None]:
    """A bark with text, media (the author's own uploads, at most 4) or both; blank text beside media is
    stored as no text (""); `reply_to` makes it a reply. Returns the bark and what is left of the author's
    bark budget."""
    if media_ids and not text.strip():
        text = ""

    def post(store: BarkStore) -> tuple[dict[str, Any], bool, Budget | None]:
        author = authenticate(store, token)
        budget = charge(store, per_user_writes(gw.settings, "barks", author), now_ms())
        if reply_to is not None:
            _check_not_blocked(store, author, reply_to, "reply to them")
        content = bark_content(store, author, text, reply_to)
        posted = store.post_bark(gw.ids.next(), author, text, None, gw.settings.fanout_threshold,
                                 gw.ids.next(), media=media_ids, content=content)
        return _view(store, posted.id, author), posted.fanned_out, budget

    view, fanned_out, budget = await gw.write(post, gw.store)
    announce_bark(gw, view, fanned_out)
    return view, budget


def announce_bark(gw: StoreGateway, view: dict[str, Any], fanned_out: bool) -> None:
    """After a bark commits: wake the author's own stream, and either start fan-out or, for an author
    above the threshold (never copied into streams), send it live to online followers."""
    gw.announce(streams_advanced([view["author"]["id"], *notified_by(view)]))
    if fanned_out:
        gw.jobs_queued()
    else:
        gw.announce(live_bark(view["id"], view["author"]["id"]))


def notified_by(view: dict[str, Any]) -> list[int]:
    """Whose streams a new bark (or rebark) put a notification event in (the store's rule, read back from
    the bark as posted): woken with the author's."""
    author = view["author"]["id"]
    if view["rebark_of"] is not None:
        original_author = view["rebark_of"]["author"]["id"]
        return [original_author] if notifies(author, original_author) else []
    replied_to = view["reply_to"]["author"] if view["reply_to"] else None
    return [owner for owner, _ in bark_notifications(author, replied_to and replied_to["id"],
                                                     [user["id"] for user in view["mentions"]])]


async def get_bark(gw: StoreGateway, token: str | None, bark_id: int) -> dict[str, Any]:
    def get(store: BarkStore) -> dict[str, Any]:
        return _view(store, bark_id, authenticate(store, token))

    return await gw.read(get, gw.store)


async def delete_bark(gw: StoreGateway, token: str | None, bark_id: int) -> None:
    def delete(store: BarkStore) -> None:
        user_id = authenticate(store, token)
        found = store.bark_author(bark_id)
        if found is None:
            raise NotFound("no such bark")
        if found[0] != user_id:
            raise Forbidden("you can only delete your own barks")
        store.delete_bark(bark_id)

    await gw.write(delete, gw.store)


async def rebark(gw: StoreGateway, token: str | None,
                 bark_id: int) -> tuple[dict[str, Any], bool, Budget | None]:
    """Rebark (idempotent). Returns the rebark, whether it was created now, and what is left of the bark
    budget (every rebark request counts as a bark, a repeated one too)."""

    def share(store: BarkStore) -> tuple[dict[str, Any], bool | None, Budget | None]:
        user_id = authenticate(store, token)
        budget = charge(store, per_user_writes(gw.settings, "barks", user_id), now_ms())
        original = _original(store, bark_id)
        existing = store.rebark_id(user_id, original)
        if existing is not None:
            return _view(store, existing, user_id), None, budget
        _check_not_blocked(store, user_id, original, "rebark their barks")
        posted = store.post_bark(gw.ids.next(), user_id, None, original, gw.settings.fanout_threshold,
                                 gw.ids.next())
        return _view(store, posted.id, user_id), posted.fanned_out, budget

    view, fanned_out, budget = await gw.write(share, gw.store)
    if fanned_out is not None:
        announce_bark(gw, view, fanned_out)
    return view, fanned_out is not None, budget


async def undo_rebark(gw: StoreGateway, token: str | None, bark_id: int) -> None:
    def undo(store: BarkStore) -> None:
        user_id = authenticate(store, token)
        existing = store.rebark_id(user_id, _original(store, bark_id))
        if existing is not None:
            store.delete_bark(existing)

    await gw.write(undo, gw.store)


async def react(gw: StoreGateway, token: str | None, bark_id: int,
                emoji: str) -> tuple[dict[str, Any], Budget | None]:
    """React (idempotent); returns the bark and what is left of the caller's reaction budget."""

    def add(store: BarkStore) -> tuple[dict[str, Any], Budget | None]:
        user_id = authenticate(store, token)
        budget = charge(store, per_user_writes(gw.settings, "reactions", user_id), now_ms())
        original = _original(store, bark_id)
        _check_not_blocked(store, user_id, original, "react to their barks")
        store.add_reaction(original, user_id, emoji, gw.ids.next())
        return _view(store, original, user_id), budget

    view, budget = await gw.write(add, gw.store)
    gw.announce(streams_advanced([view["author"]["id"]]))  # the reaction event in the author's stream
    return view, budget


async def unreact(gw: StoreGateway, token: str | None, bark_id: int, emoji: str) -> dict[str, Any]:
    def remove(store: BarkStore) -> dict[str, Any]:
        user_id = authenticate(store, token)
        original = _original(store, bark_id)
        store.remove_reaction(original, user_id, emoji)
        return _view(store, original, user_id)

    return await gw.write(remove, gw.store)


async def user_barks(gw: StoreGateway, token: str | None, handle: str, before: int | None,
                     limit: int, replies: bool = True) -> Page:
    """The user's barks and rebarks, newest first; `replies` False leaves their replies out."""

    def page(store: BarkStore) -> Page:
        viewer = authenticate(store, token)
        author = user_id_for(store, handle)
        check_timeline_visible(store, viewer, author, handle)
        ids = store.user_bark_ids(author, before, limit, replies, viewer=viewer)
        return Page.of(store.bark_views(ids, viewer), ids, limit)

    return await gw.read(page, gw.store)


def check_timeline_visible(store: BarkStore, viewer: int, author: int, handle: str) -> None:
    """Whether the viewer may read the author's barks: not a hidden account (404 not_found, as if there were
    none), not blocking the viewer (404 `unavailable`), not blocked by the viewer (403 `blocking`: unblocking
    shows them again). A mute hides nothing here: the viewer came to this timeline on purpose."""
    info = store.account_info(author)
    if info is None or info.state in HIDDEN_STATES:
        raise NotFound("no such user")
    if author == viewer:
        return
    relation = store.relationship(viewer, author, now_ms())
    if relation.blocked_by:
        raise NotFound("this account is unavailable to you", code="unavailable")
    if relation.blocking:
        raise Forbidden(f"you block @{handle}: unblock them to see their barks", code="blocking")
