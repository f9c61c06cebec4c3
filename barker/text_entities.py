"""The entities of bark text: @mentions, #hashtags and links, as code-point ranges, and the weighted length
that the 280 limit counts (each link weighs URL_WEIGHT, however long, as on Twitter and Mastodon).

Pure: the server (validation, posting) and the desktop client (its live counter) call the same functions,
so they agree on every count. The text given is already NFC-normalised with \\n line breaks
(barker.validation.clean_text). Mentions and hashtags follow twitter-text's rules where they matter; links
are what linkify-it finds, http and https only.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

from linkify_it import LinkifyIt

from barker.errors import Invalid

URL_WEIGHT = 23  # a URL counts as 23 characters towards the limit, as on Twitter and Mastodon
MAX_TAG_CHARS = 100  # a hashtag longer than this is refused (Invalid, code "tag_too_long")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    handle: str  # as typed, without '@'; compare handle.lower()


@dataclass(frozen=True)
class Tag:
    start: int
    end: int
    tag: str  # normalised: NFC, casefold, NFC


@dataclass(frozen=True)
class Link:
    start: int
    end: int
    url: str  # the normalised href: a bare domain gets http://, so the scheme is always there


@dataclass(frozen=True)
class ParsedText:
    mentions: tuple[Mention, ...]  # in text order, every occurrence
    tags: tuple[Tag, ...]
    links: tuple[Link, ...]

    def mention_handles(self) -> list[str]:
        """Distinct canonical (lower-case) handles, in first-seen order."""
        return list(dict.fromkeys(m.handle.lower() for m in self.mentions))

    def tag_names(self) -> list[str]:
        """Distinct normalised tags, in first-seen order."""
        return list(dict.fromkeys(t.tag for t in self.tags))


# twitter-text: the '@' follows no word character and no '@' (so not a@b.com, not @@x), and the handle does
# not run on past 30 characters or into an '@' (so not the user part of user@host). Python's \w is Unicode:
# letters, digits and '_' of any script. A combining mark after the handle is checked in code (\w lacks marks).
_MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{2,30})(?![\w@])")
_TAG_START_RE = re.compile(r"(?<![\w&])#")  # not a#b, not the HTML entity &#39;

# linkify-it keeps match state on the instance in some 2.x versions (2.0's match() goes through test(),
# which stores its findings on self), and compiles some patterns lazily: one instance per thread, built on
# first use, is safe on the reader and writer threads and costs nothing per call.
_local = threading.local()


def _linkify() -> LinkifyIt:
    linkify: LinkifyIt | None = getattr(_local, "linkify", None)
    if linkify is None:
        # http/https only: no ftp:, no mailto: or bare emails, no scheme-relative //host, no bare IPs.
        linkify = LinkifyIt({"ftp:": None, "mailto:": None, "//": None},
                            {"fuzzy_link": True, "fuzzy_email": False, "fuzzy_ip": False})
        _local.linkify = linkify
    return linkify


def is_tag_char(ch: str) -> bool:
    """Unicode letters, marks and numbers (categories L*, M*, N*), and '_'."""
    return ch == "_" or unicodedata.category(ch)[0] in "LMN"


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M"


def find_links(text: str) -> tuple[Link, ...]:
    """The http/https links in text, in order, never overlapping (linkify-it drops trailing punctuation)."""
    linkify = _linkify()
    if not linkify.pretest(text):  # its quick check (no false negatives) spares most barks the full scan
        return ()
    found = linkify.match(text) or ()
    return tuple(Link(m.index, m.last_index, _lower_scheme(m.url)) for m in found
                 if m.url[:8].lower().startswith(("http://", "https://")))


def _lower_scheme(url: str) -> str:
    """HTTPS://x.org as https://x.org (linkify-it keeps the scheme as typed)."""
    scheme, sep, rest = url.partition("://")
    return scheme.lower() + sep + rest


def weighted_length(text: str) -> int:
    """Code points, each link counted as URL_WEIGHT instead of its own length."""
    links = find_links(text)
    return len(text) - sum(link.end - link.start for link in links) + URL_WEIGHT * len(links)


def parse_text(text: str) -> ParsedText:
    """Mentions, tags and links of text, none overlapping another (a link wins over what is inside it).
    Raises Invalid (code "tag_too_long") if a hashtag is longer than MAX_TAG_CHARS."""
    links = find_links(text)

    def in_link(start: int, end: int) -> bool:
        return any(start < link.end and link.start < end for link in links)

    mentions = tuple(Mention(m.start(), m.end(), m.group(1)) for m in _MENTION_RE.finditer(text)
                     if not (m.end() < len(text) and _is_mark(text[m.end()])) and not in_link(m.start(), m.end()))
    tags = tuple(tag for tag in _find_tags(text) if not in_link(tag.start, tag.end))
    if any(tag.end - tag.start - 1 > MAX_TAG_CHARS for tag in tags):
        raise tag_too_long()
    return ParsedText(mentions, tags, links)


def _find_tags(text: str) -> list[Tag]:
    """'#' then letters, marks, numbers or '_', with at least one that is not a number (not #1); like
    twitter-text, a tag that runs straight into another '#' (#a#b) is none."""
    tags = []
    for hit in _TAG_START_RE.finditer(text):
        start = hit.start()
        end = start + 1
        while end < len(text) and is_tag_char(text[end]):
            end += 1
        name = text[start + 1:end]
        if not name or all(unicodedata.category(ch)[0] == "N" for ch in name):
            continue
        if end < len(text) and text[end] == "#":
            continue
        tags.append(Tag(start, end, normalise_tag(name)))
    return tags


def tag_too_long() -> Invalid:
    return Invalid(f"a hashtag may be at most {MAX_TAG_CHARS} characters", code="tag_too_long")


def normalise_tag(name: str) -> str:
    """The form tags are compared in: #Café, #CAFÉ and #cafe\u0301 are one tag."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())
