"""Mentions, hashtags and links in bark text, and the weighted length the 280 limit counts. Every range is
checked by slicing the text, so an off-by-one shows as the wrong entity."""

from __future__ import annotations

import unicodedata
from itertools import pairwise

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from barker import validation
from barker.errors import Invalid
from barker.text_entities import MAX_TAG_CHARS, URL_WEIGHT, ParsedText, parse_text, weighted_length


def mentions(text: str) -> list[str]:
    return [text[m.start:m.end] for m in parse_text(text).mentions]


def tags(text: str) -> list[tuple[str, str]]:
    """(as written, normalised) for each tag."""
    return [(text[t.start:t.end], t.tag) for t in parse_text(text).tags]


def links(text: str) -> list[tuple[str, str]]:
    """(as written, normalised href) for each link."""
    return [(text[link.start:link.end], link.url) for link in parse_text(text).links]


# ---- mentions


@pytest.mark.parametrize(("text", "found"), [
    ("@alice", ["@alice"]),
    ("hi @Alice and @bob_1!", ["@Alice", "@bob_1"]),
    ("(@alice), @bob: @carol.", ["@alice", "@bob", "@carol"]),
    ("line\n@alice", ["@alice"]),
    ("mail a@b.com or alice@example.com", []),  # a word character before '@'
    ("@@alice", []),  # '@' before '@'
    ("@a", []),  # handles are 2-30 characters
    ("@ab", ["@ab"]),
    ("@" + "a" * 30, ["@" + "a" * 30]),
    ("@" + "a" * 31, []),  # no mention of its first 30 characters either
    ("@alice@example.social", []),  # the user part of an address
    ("@alicé", []),  # the handle runs on into a letter no handle may hold
    ("@alice\u0301x", []),
    ("é@alice", []),  # a Unicode letter before '@'
    ("_@alice", []),
    ("#@alice", ["@alice"]),
    ("@alice-bob", ["@alice"]),
    ("@alice @alice @ALICE", ["@alice", "@alice", "@ALICE"]),  # every occurrence is an entity
])
def test_mentions(text: str, found: list[str]) -> None:
    assert mentions(text) == found


def test_mention_handles_are_distinct_canonical_and_in_first_seen_order() -> None:
    parsed = parse_text("@Bob @alice @bob @ALICE @carol")
    assert [m.handle for m in parsed.mentions] == ["Bob", "alice", "bob", "ALICE", "carol"]
    assert parsed.mention_handles() == ["bob", "alice", "carol"]


def test_mentions_inside_links_are_part_of_the_link() -> None:
    text = "see https://example.social/@alice and @bob"
    assert mentions(text) == ["@bob"]
    assert links(text) == [("https://example.social/@alice", "https://example.social/@alice")]


# ---- tags


@pytest.mark.parametrize(("text", "found"), [
    ("#barker", [("#barker", "barker")]),
    ("#Café #CAFÉ #café", [("#Café", "café"), ("#CAFÉ", "café"), ("#café", "café")]),
    ("#Ελληνικά #Москва #日本語 #한국어", [("#Ελληνικά", "ελληνικά"), ("#Москва", "москва"), ("#日本語", "日本語"),
                                     ("#한국어", "한국어")]),
    ("#STRASSE #Straße", [("#STRASSE", "strasse"), ("#Straße", "strasse")]),  # casefold, not lower
    ("(#tag). #tag, #tag! #tag? \"#tag\"", [("#tag", "tag")] * 5),
    ("#snake_case #1st #2024goals", [("#snake_case", "snake_case"), ("#1st", "1st"), ("#2024goals", "2024goals")]),
    ("#1 #2024 #١٢٣", []),  # numbers only: not a tag, as on Twitter
    ("a#b C#", []),  # a word character before '#'
    ("&#39; &#x27;", []),  # HTML entities
    ("##tag", [("#tag", "tag")]),
    ("#tag#other", []),  # runs straight into another '#' (twitter-text)
    ("#", []),
    ("# tag", []),
    ("#tag-less", [("#tag", "tag")]),
    ("#🐶", []),
    ("🐶#dog", [("#dog", "dog")]),
    ("#dog🐶", [("#dog", "dog")]),
    ("#tag\n#next", [("#tag", "tag"), ("#next", "next")]),
])
def test_tags(text: str, found: list[tuple[str, str]]) -> None:
    assert tags(text) == found


def test_decomposed_and_precomposed_tags_are_one_tag() -> None:
    # parse_text is given NFC text; the normalisation still makes #cafe + U+0301 the same tag.
    decomposed = "#cafe\u0301"
    parsed = parse_text(decomposed)
    assert [decomposed[t.start:t.end] for t in parsed.tags] == [decomposed]  # the mark is part of the tag
    assert parsed.tag_names() == parse_text("#CAF\u00c9").tag_names() == ["caf\u00e9"]
    assert unicodedata.is_normalized("NFC", parsed.tags[0].tag)


def test_tag_names_are_distinct_in_first_seen_order() -> None:
    assert parse_text("#B #a #b #A #c").tag_names() == ["b", "a", "c"]


def test_tags_inside_links_are_part_of_the_link() -> None:
    text = "https://example.com/page#section #real"
    assert tags(text) == [("#real", "real")]
    assert links(text)[0][0] == "https://example.com/page#section"


def test_a_tag_of_the_maximum_length_is_accepted_and_one_more_is_refused() -> None:
    longest = "x" * MAX_TAG_CHARS
    assert tags(f"#{longest}") == [(f"#{longest}", longest)]
    with pytest.raises(Invalid) as refused:
        parse_text(f"ok #{longest}y")
    assert refused.value.code == "tag_too_long"
    assert longest not in refused.value.message  # the input is not echoed


def test_long_runs_that_are_not_tags_are_not_refused() -> None:
    parse_text("#" + "1" * (MAX_TAG_CHARS + 1))  # numbers only: no tag
    parse_text(f"https://example.com/#{'x' * (MAX_TAG_CHARS + 1)}")  # part of a link


# ---- links


@pytest.mark.parametrize(("text", "found"), [
    ("see https://example.com/a/b?q=1&r=2#frag, ok", [("https://example.com/a/b?q=1&r=2#frag",) * 2]),
    ("http://example.org.", [("http://example.org",) * 2]),  # trailing punctuation is not part of it
    ("(https://en.wikipedia.org/wiki/Bark_(sound))", [("https://en.wikipedia.org/wiki/Bark_(sound)",) * 2]),
    ("(see https://example.com/x)", [("https://example.com/x",) * 2]),
    ("example.com", [("example.com", "http://example.com")]),
    ("go to example.com/x?y=1.", [("example.com/x?y=1", "http://example.com/x?y=1")]),
    ("two: a.io and https://b.org", [("a.io", "http://a.io"), ("https://b.org", "https://b.org")]),
    ("🐶 https://example.com/🐶 🐶", [("https://example.com/🐶",) * 2]),  # astral characters count once
    ("mail alice@example.com", []),  # no emails
    ("mailto:alice@example.com", []),
    ("ftp://example.com/file", []),
    ("//example.com/x", []),  # scheme-relative
    ("192.168.0.1/admin", []),  # no bare IPs
    ("javascript:alert(1)", []),
    ("version 1.2.3", []),
    ("file.txt", []),  # not a top-level domain linkify-it knows
])
def test_links(text: str, found: list[tuple[str, str]]) -> None:
    assert links(text) == found


def test_entities_of_every_kind_in_text_order() -> None:
    text = "@alice look: https://example.com/@bob #tag @carol example.org"
    parsed = parse_text(text)
    assert [text[m.start:m.end] for m in parsed.mentions] == ["@alice", "@carol"]
    assert [text[t.start:t.end] for t in parsed.tags] == ["#tag"]
    assert [text[link.start:link.end] for link in parsed.links] == ["https://example.com/@bob", "example.org"]


def test_text_with_no_entities() -> None:
    assert parse_text("just words") == ParsedText((), (), ())
    assert parse_text("") == ParsedText((), (), ())


# ---- the weighted length


@pytest.mark.parametrize(("text", "weight"), [
    ("", 0),
    ("plain", 5),
    ("🐶" * 3, 3),  # code points
    ("https://example.com/" + "p" * 200, URL_WEIGHT),
    ("a.io", URL_WEIGHT),  # a short link weighs 23 as well
    ("x" * 256 + " https://example.com/" + "p" * 100, 257 + URL_WEIGHT),
    ("a https://x.org/1 b https://x.org/2", 5 + 2 * URL_WEIGHT),
    ("alice@example.com", 17),  # not a link
])
def test_weighted_length(text: str, weight: int) -> None:
    assert weighted_length(text) == weight


def test_weighted_length_does_not_judge_tags() -> None:
    assert weighted_length("#" + "x" * 200) == 201  # parse_text refuses it; counting does not


def test_bark_text_counts_links_as_23() -> None:
    url = "https://example.com/" + "p" * 180
    assert len(url) == 200
    text = "x" * 79 + " " + url
    assert len(text) == 280 and weighted_length(text) == 80 + URL_WEIGHT
    assert validation.bark_text(text) == text
    long_but_light = "x" * 200 + " " + url  # 401 code points, weighs 224
    assert validation.bark_text(long_but_light) == long_but_light
    exactly = "x" * (280 - URL_WEIGHT - 1) + " " + url
    assert weighted_length(exactly) == 280 and validation.bark_text(exactly) == exactly
    with pytest.raises(Invalid) as refused:
        validation.bark_text("y" + exactly)  # 281
    assert "281" in refused.value.message and url not in refused.value.message
    short_but_heavy = "x" * (281 - URL_WEIGHT - 1) + " a.io"  # 262 code points, weighs 281
    assert len(short_but_heavy) < 280
    with pytest.raises(Invalid):
        validation.bark_text(short_but_heavy)
    with pytest.raises(Invalid):
        validation.bark_text_or_empty(short_but_heavy)


# ---- properties over arbitrary text

# Pieces that make entities, their near misses and their boundaries, mixed with arbitrary text.
PIECES = st.sampled_from(["@alice", "@Bob_9", "@", "#", "#tag", "#Café", "#1", "&", "a", "é", "_", " ", "\n", ".",
                          ",", "(", ")", "/", ":", "https://", "http://example.com/", "example.com", "a.io",
                          "x@y.com", "\u0301", "🐶", "日本"])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=30).map(
    lambda parts: unicodedata.normalize("NFC", "".join(parts)))


@given(TEXT)
@example("@alice https://example.com/@bob #tag a.io")
def test_entities_are_ordered_disjoint_in_bounds_and_weighted(text: str) -> None:
    try:
        parsed = parse_text(text)
    except Invalid as e:  # a run of over MAX_TAG_CHARS tag characters after a '#'
        assert e.code == "tag_too_long" and len(text) > MAX_TAG_CHARS
        return
    entities = sorted([*parsed.mentions, *parsed.tags, *parsed.links], key=lambda e: e.start)
    for before, after in pairwise(entities):
        assert before.end <= after.start, (before, after)
    for group in (parsed.mentions, parsed.tags, parsed.links):
        assert list(group) == sorted(group, key=lambda e: e.start)
    for entity in entities:
        assert 0 <= entity.start < entity.end <= len(text)
    for mention in parsed.mentions:
        assert text[mention.start:mention.end] == "@" + mention.handle
    for tag in parsed.tags:
        assert text[tag.start] == "#" and normalised(text[tag.start + 1:tag.end]) == tag.tag
    for link in parsed.links:
        assert link.url.startswith(("http://", "https://"))
    link_chars = sum(link.end - link.start for link in parsed.links)
    assert weighted_length(text) == len(text) - link_chars + URL_WEIGHT * len(parsed.links)


def normalised(name: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def test_the_scheme_of_a_link_is_lower_case() -> None:
    assert links("HTTPS://Example.COM/Path") == [("HTTPS://Example.COM/Path", "https://Example.COM/Path")]
