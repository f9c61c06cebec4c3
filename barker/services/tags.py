"""Hashtag timelines, trending tags and bark search. Tags are matched in their normalised form, so #Café,
#CAFÉ and #cafe\u0301 are one timeline."""

from __future__ import annotations

import unicodedata
import weakref
from dataclasses import dataclass
from typing import Any, Protocol

from barker.errors import Invalid
from barker.gateway import StoreGateway
from barker.ids import compose, now_ms
from barker.ports.accounts import Tokens
from barker.ports.barks import Barks
from barker.ports.rate_limits import RateLimits
from barker.ports.tags import Tags, TagTrend
from barker.rate_limits import charge, per_user_hourly
from barker.services import Page, authenticate
from barker.text_entities import MAX_TAG_CHARS, is_tag_char, normalise_tag, tag_too_long

MAX_QUERY_CHARS = 200  # a search query's length (the route refuses longer ones)
TRENDING_WINDOW_MS = 24 * 3600 * 1000
# Trending is one grouping over the window's bark_tags rows: about 0.1 s for 44,000 of them (a day of
# 33,000 tagged barks), too much per request, so each process keeps the top list for a minute and every
# request pages into it (a minute late at most, against a 24-hour window).
TRENDING_CACHE_MS = 60_000
PREFIX_MIN_CHARS = 3  # the last word of a search matches as a prefix only from this length: "a*" is costly


class TagStore(Tags, Barks, Tokens, RateLimits, Protocol):
    """What this service uses of the store: tag and word reads, bark views, who is asking, limits."""


def _tag_name(name: str) -> str | None:
    """The normalised tag of a name (without '#'), None if it is no tag: empty, a character that may not be
    in one, or only digits (#1 is no tag). Invalid tag_too_long past MAX_TAG_CHARS."""
    name = unicodedata.normalize("NFC", name)
    if not name or not all(is_tag_char(ch) for ch in name) or all(unicodedata.category(ch)[0] == "N"
                                                                   for ch in name):
        return None
    if len(name) > MAX_TAG_CHARS:
        raise tag_too_long()
    return normalise_tag(name)


def tag_from_path(raw: str) -> str:
    """A tag as named in a URL: with or without its leading '#' (sent as %23), any case or normal form.
    Only digits is allowed here (its timeline is empty: the parser never makes such a tag)."""
    name = unicodedata.normalize("NFC", raw[1:] if raw.startswith("#") else raw)
    if not name or not all(is_tag_char(ch) for ch in name):
        raise Invalid("a tag is letters, digits, marks and '_'", code="invalid_tag")
    if len(name) > MAX_TAG_CHARS:
        raise tag_too_long()
    return normalise_tag(name)


@dataclass(frozen=True)
class SearchTerms:
    words: tuple[str, ...]  # plain words, distinct, in order; the store quotes them for its engine
    tags: tuple[str, ...]  # normalised tags, distinct, in order
    prefix_last: bool  # the last word may be unfinished (q ends in it): match it as a prefix


def search_terms(q: str) -> SearchTerms:
    """The words and #tags of a search query, split at white space. A '#name' that is a tag is a tag;
    anything else that holds a letter or digit is a word (punctuation alone matches nothing: dropped)."""
    q = unicodedata.normalize("NFC", q)
    words: dict[str, None] = {}
    tags: dict[str, None] = {}
    last_is_word = False
    for token in q.split():
        tag = _tag_name(token[1:]) if token.startswith("#") else None
        if tag is not None:
            tags[tag] = None
            last_is_word = False
        elif any(unicodedata.category(ch)[0] in "LN" for ch in token):
            words.pop(token, None)  # a repeated word moves last
            words[token] = None
            last_is_word = True
        else:
            last_is_word = False
    found = tuple(words)
    prefix = last_is_word and not q[-1:].isspace() and len(found[-1]) >= PREFIX_MIN_CHARS
    return SearchTerms(found, tuple(tags), prefix)


async def tag_barks(gw: StoreGateway, token: str | None, tag: str, before: int | None, limit: int) -> Page:
    """A tag's timeline, newest first; `tag` as named in the URL (tag_from_path)."""
    wanted = tag_from_path(tag)

    def page(store: TagStore) -> Page:
        viewer = authenticate(store, token)
        ids = store.tag_bark_ids(wanted, before, limit, viewer=viewer)
        return Page.of(store.bark_views(ids, viewer), ids, limit)

    return await gw.read(page, gw.store)


def trending_since(now: int) -> int:
    """The smallest bark id of the trending window: ids are time-ordered, so the window is an id range."""
    return compose(now - TRENDING_WINDOW_MS)


# Per gateway (one per app, so per store): (computed at ms, the top page_size_max trends).
_trending_cache: weakref.WeakKeyDictionary[StoreGateway, tuple[int, list[TagTrend]]] = weakref.WeakKeyDictionary()


async def trending(gw: StoreGateway, token: str | None, limit: int) -> dict[str, Any]:
    """The tags used by the most distinct authors in the last 24 hours (ties: more barks, then by tag), as
    of at most TRENDING_CACHE_MS ago."""

    def top(store: TagStore) -> list[TagTrend]:
        authenticate(store, token)
        now = now_ms()
        cached = _trending_cache.get(gw)
        if cached is not None and now - cached[0] < TRENDING_CACHE_MS:
            return cached[1]
        trends = store.trending_tags(trending_since(now), gw.settings.page_size_max)
        _trending_cache[gw] = (now, trends)
        return trends

    trends = (await gw.read(top, gw.store))[:limit]
    return {"items": [{"tag": t.tag, "authors": t.authors, "barks": t.barks} for t in trends]}


async def search(gw: StoreGateway, token: str | None, q: str, before: int | None, limit: int) -> Page:
    """Barks holding every word and carrying every #tag of q, newest first. A query with nothing to match
    (only punctuation) finds nothing."""
    terms = search_terms(q)

    def count(store: TagStore) -> int:
        viewer = authenticate(store, token)
        charge(store, per_user_hourly("bark searches", "bark_search", viewer, gw.settings.bark_searches_per_hour),
               now_ms())
        return viewer

    viewer = await gw.write(count, gw.store)

    def page(store: TagStore) -> Page:
        if not terms.words and not terms.tags:
            return Page([], None)
        ids = store.search_bark_ids(terms.words, terms.tags, before, limit, terms.prefix_last, viewer=viewer)
        return Page.of(store.bark_views(ids, viewer), ids, limit)

    return await gw.read(page, gw.store)
