"""Bark text as StyledText: entity ranges are code points (an emoji before a mention must not shift it, as
UTF-16 offsets would), every piece of user text is escaped, and the only markup is our links."""

from __future__ import annotations

import re
from html import unescape

import pytest

from barker.text_entities import parse_text
from client_qt.rich_text import link_target, rich_html, web_url


def entities(text: str) -> list[dict]:
    """The entities the server renders for `text` (from the server's own parser)."""
    parsed = parse_text(text)
    return ([{"type": "mention", "start": m.start, "end": m.end, "user_id": 1, "handle": m.handle}
             for m in parsed.mentions] + [{"type": "tag", "start": t.start, "end": t.end, "tag": t.tag}
                                          for t in parsed.tags]
            + [{"type": "url", "start": u.start, "end": u.end, "url": u.url} for u in parsed.links])


def linked(styled: str) -> list[str]:
    return [unescape(shown) for shown in re.findall(r'<a href="\d+">([^<]*)</a>', styled)]


@pytest.mark.parametrize("text", [
    "🐶🐶 hi @bob #Dogs https://example.org/x?a=1&b=2",
    "𝒳 <b>@bob</b> & #tag_1 \n second line https://e.org",
    "family 👨‍👩‍👧 @bob, ✨#Sparkle✨ and nothing else",
])
def test_links_cover_exactly_the_entities_after_astral_characters(text: str) -> None:
    found = entities(text)
    styled = rich_html(text, found)
    assert sorted(linked(styled)) == sorted(text[e["start"]:e["end"]] for e in found)
    shown = unescape(re.sub(r"</?a[^>]*>", "", styled).replace("<br>", "\n"))
    assert shown == text


def test_user_markup_is_text_and_bad_ranges_are_ignored() -> None:
    text = '<img src="x"> <a href="javascript:alert(1)">hi</a> &amp;'
    styled = rich_html(text, [{"type": "tag", "start": 0, "end": 999, "tag": "x"},
                              {"type": "tag", "start": 3, "end": 2, "tag": "x"}])
    assert "<img" not in styled and "<a " not in styled and "&amp;amp;" in styled
    assert unescape(styled) == text


def test_link_targets_and_what_a_link_may_open() -> None:
    assert link_target({"type": "mention", "start": 0, "end": 4, "user_id": 3, "handle": "bob"}) == \
        {"type": "mention", "value": "bob"}
    assert link_target({"type": "tag", "start": 0, "end": 4, "tag": "dogs"}) == {"type": "tag", "value": "dogs"}
    assert web_url("https://example.org/a") == "https://example.org/a"
    assert web_url("HTTP://example.org") == "HTTP://example.org"
    assert web_url("example.org/a") == "http://example.org/a"
    assert web_url("javascript:alert(1)") is None and web_url("file:///etc/passwd") is None
    assert web_url("ftp://example.org") is None
