"""Hashtag timelines, trending tags and bark search: reads over the tags and words of barks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class TagTrend:
    tag: str  # normalised
    authors: int  # distinct authors who used it in the window
    barks: int  # barks that carry it in the window


class Tags(Protocol):
    """Barks by hashtag and by words. Tags are given normalised (barker/text_entities.py); deleted barks are
    never found, nor barks hidden from `viewer` (blocked either way, muted, hidden accounts: left out before
    the limit, so a page stays full; None: an internal read, nothing left out)."""

    def tag_bark_ids(self, tag: str, before: int | None, limit: int, *, viewer: int | None) -> list[int]:
        """The newest `limit` ids of barks carrying `tag`, below `before`, newest first."""

    def trending_tags(self, since: int, limit: int) -> list[TagTrend]:
        """The tags of barks with ids >= `since` (ids are time-ordered: the start of the window), the most
        distinct authors first, then the most barks, then by tag."""

    def search_bark_ids(self, words: Sequence[str], tags: Sequence[str], before: int | None, limit: int,
                        prefix_last: bool = False, *, viewer: int | None) -> list[int]:
        """The newest `limit` ids below `before` of barks whose text holds every one of `words` (each matched
        as the engine's full-text analyser splits it, case and diacritics ignored; the last one as a prefix
        if `prefix_last`) and that carry every one of `tags`. Words are plain text, never query syntax:
        the adapter quotes them. At least one word or tag is given; a rebark (no text) is never found."""
