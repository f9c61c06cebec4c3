"""The data export (GET /v1/me/export): one zip of the account's profile, barks, follows, followers, blocks,
mutes, bookmarks, reactions, notifications, reports and the originals of its uploads, in the format docs/export.md
describes. Built page by page on a worker thread into a spooled temporary file (memory stays bounded by the
page size and the spool threshold, whatever the account's size), then streamed out in chunks."""

from __future__ import annotations

import asyncio
import tempfile
import zipfile
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import IO, Any, Protocol

import orjson

from barker.gateway import StoreGateway
from barker.ids import iso, iso_ms, now_ms
from barker.media import MediaStorage
from barker.ports.accounts import Accounts, Tokens
from barker.ports.barks import Barks
from barker.ports.bookmarks import Bookmarks
from barker.ports.departures import Departures
from barker.ports.graph import FollowGraph
from barker.ports.notifications import Notifications
from barker.ports.operators import AccountStates
from barker.ports.rate_limits import RateLimits
from barker.ports.reports import Reports
from barker.ports.safety import Safety
from barker.rate_limits import charge, per_user_hourly
from barker.services import authenticate, user_view

PAGE = 200  # rows per store read
SPOOL_BYTES = 8 * 1024 * 1024  # the zip stays in memory up to this, then goes to a temporary file
CHUNK = 64 * 1024  # bytes per piece of the response
BARK_FIELDS = ("id", "created_at", "text", "entities", "tags", "reply_to", "media", "rebark_of")

README = """Barker data export
==================

This archive holds the data of one Barker account, as JSON (UTF-8) files:

profile.json        your profile as the API renders it (GET /v1/me)
barks.json          your barks and rebarks, newest first
follows.json        the accounts you follow, most recent first
followers.json      the accounts that follow you, most recent first
blocks.json         the accounts you block, most recent first
mutes.json          the accounts you mute (mutes still in force), most recent first
bookmarks.json      the barks you bookmarked, most recent first
reactions.json      the reactions you left on barks
notifications.json  your notifications, newest first
reports.json        the reports you filed, newest first
media/<file>        the originals of your uploads (named as in the `original_url` of each media object)

Each field is described in the server's documentation: docs/export.md.
"""


class ExportStore(Accounts, Tokens, RateLimits, Barks, FollowGraph, Bookmarks, Notifications, Departures, Safety,
                  Reports, AccountStates, Protocol):
    """What the export reads."""


async def export(gw: StoreGateway, storage: MediaStorage, token: str | None) -> AsyncIterator[bytes]:
    """Authenticate and charge the export limit at once (errors before any byte is sent), build the zip
    off the event loop, and return its bytes as an async iterator."""

    def admit(store: ExportStore) -> int:
        user_id = authenticate(store, token)
        charge(store, per_user_hourly("data exports", "export", user_id, gw.settings.exports_per_hour), now_ms())
        return user_id

    user_id = await gw.write(admit, gw.store)
    spool = await asyncio.to_thread(build, gw.store, storage, user_id)
    return _chunks(spool)


async def _chunks(spool: IO[bytes]) -> AsyncIterator[bytes]:
    try:
        while chunk := await asyncio.to_thread(spool.read, CHUNK):
            yield chunk
    finally:
        spool.close()


def build(store: ExportStore, storage: MediaStorage, user_id: int) -> IO[bytes]:
    """The zip, in a spooled temporary file positioned at its start (blocking: run on a worker thread)."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by the reader)
    try:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.txt", README)
            profile = user_view(store, user_id, user_id)
            archive.writestr("profile.json", orjson.dumps(profile, option=orjson.OPT_INDENT_2))
            _write_list(archive, "barks.json", _barks(store, user_id))
            _write_list(archive, "follows.json", _edges(store.following_page, user_id, "followed_at"))
            _write_list(archive, "followers.json", _edges(store.follower_page, user_id, "followed_at"))
            _write_list(archive, "blocks.json", _blocks(store, user_id))
            _write_list(archive, "mutes.json", _mutes(store, user_id))
            _write_list(archive, "bookmarks.json", _bookmarks(store, user_id))
            _write_list(archive, "reactions.json", _reactions(store, user_id))
            _write_list(archive, "notifications.json", _notifications(store, user_id))
            _write_list(archive, "reports.json", _reports(store, user_id))
            for key in _media_keys(store, user_id):
                data = storage.read(key)
                if data is not None:  # a file lost on disk is left out rather than failing the export
                    archive.writestr(f"media/{key}", data)
        spool.seek(0)
        return spool
    except BaseException:
        spool.close()
        raise


def _write_list(archive: zipfile.ZipFile, name: str, items: Iterable[Any]) -> None:
    """A JSON array written item by item: never the whole list in memory."""
    with archive.open(name, "w") as out:
        out.write(b"[")
        for n, item in enumerate(items):
            out.write(b",\n" if n else b"\n")
            out.write(orjson.dumps(item))
        out.write(b"\n]\n")


def _barks(store: ExportStore, user_id: int) -> Iterator[dict[str, Any]]:
    before: int | None = None
    # Their own barks, every one: read for no one (a viewer would leave out rebarks of barks they no longer
    # see), which renders all the fields exported.
    while ids := store.user_bark_ids(user_id, before, PAGE, viewer=None):
        for view in store.bark_views(ids, None):
            bark = {k: view.get(k) for k in BARK_FIELDS}
            if bark["rebark_of"] is not None:  # a rebark: the original's id, not its content
                bark["rebark_of"] = bark["rebark_of"]["id"]
            yield bark
        before = ids[-1]


def _edges(page: Callable[[int, int | None, int, int | None], list[tuple[int, Any]]], user_id: int,
           when: str) -> Iterator[dict[str, Any]]:
    before: int | None = None
    while rows := page(user_id, before, PAGE, None):
        for edge, view in rows:
            yield {"id": view["id"], "handle": view["handle"], "display_name": view["display_name"], when: iso(edge)}
        before = rows[-1][0]


def _blocks(store: ExportStore, user_id: int) -> Iterator[dict[str, Any]]:
    before: int | None = None
    while rows := store.block_page(user_id, before, PAGE):
        for block, view in rows:
            yield {"id": view["id"], "handle": view["handle"], "display_name": view["display_name"],
                   "blocked_at": iso(block)}
        before = rows[-1][0]


def _mutes(store: ExportStore, user_id: int) -> Iterator[dict[str, Any]]:
    before: int | None = None
    now = now_ms()
    while rows := store.mute_page(user_id, before, PAGE, now):
        for row in rows:
            yield {"id": row.user["id"], "handle": row.user["handle"], "display_name": row.user["display_name"],
                   "muted_at": iso(row.cursor), "until": None if row.until_ms is None else iso_ms(row.until_ms)}
        before = rows[-1].cursor


def _reports(store: ExportStore, user_id: int) -> Iterator[dict[str, Any]]:
    """As GET /v1/me/reports shows them to the reporter (never who closed it)."""
    before: int | None = None
    while rows := store.reports_by(user_id, before, PAGE):
        for r in rows:
            target = store.account_info(r.target)
            yield {"id": r.id, "created_at": iso(r.id), "handle": target.handle if target else None,
                   "bark_ids": list(r.bark_ids), "reason": r.reason, "text": r.text, "state": r.state, "note": r.note}
        before = rows[-1].id


def _bookmarks(store: ExportStore, user_id: int) -> Iterator[dict[str, Any]]:
    before: int | None = None
    while rows := store.bookmark_page(user_id, before, PAGE):
        for bookmark, bark in rows:
            yield {"bark": bark, "bookmarked_at": iso(bookmark)}
        before = rows[-1][0]


def _reactions(store: ExportStore, user_id: int) -> Iterator[dict[str, Any]]:
    after: tuple[int, str] | None = None
    while rows := store.reactions_page(user_id, after, PAGE):
        for r in rows:
            yield {"bark": r.bark, "emoji": r.emoji, "created_at": iso(r.id)}
        after = (rows[-1].bark, rows[-1].emoji)


def _notifications(store: ExportStore, user_id: int) -> Iterator[dict[str, Any]]:
    before: int | None = None
    while rows := store.notification_page(user_id, before, PAGE, None):
        yield from rows
        before = rows[-1]["id"]


def _media_keys(store: ExportStore, user_id: int) -> Iterator[str]:
    """The storage key of each upload's original (its original_url names it)."""
    after = 0
    while rows := store.media_page(user_id, after, PAGE):
        for media in rows:
            yield str(media.view["original_url"]).rsplit("/", 1)[-1]
        after = rows[-1].id
