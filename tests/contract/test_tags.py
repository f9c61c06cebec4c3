"""Store contract: tag timelines, trending tags and bark search (issue 18). Tags reach the store normalised
(the bark service normalises them); words are plain text that the adapter must never read as query syntax."""

from __future__ import annotations

import pytest

from barker.ids import compose, now_ms
from barker.ports.tags import TagTrend
from barker.ports.types import NO_CONTENT, BarkContent

HOUR_MS = 3600 * 1000


@pytest.fixture
def three(make_user):
    return make_user("alice"), make_user("bob"), make_user("carol")


def post(store, ids, author, text, tags=(), bark_id=None):
    content = BarkContent(tags=tuple(tags)) if tags else NO_CONTENT
    return store.post_bark(bark_id or ids.next(), author, text, None, 10_000, ids.next(), content=content).id


def test_tag_timeline_is_newest_first_and_pages(store, ids, three):
    alice, bob, _ = three
    tagged = [post(store, ids, alice if i % 2 else bob, f"#dogs {i}", ["dogs"]) for i in range(5)]
    post(store, ids, alice, "#cats", ["cats"])
    post(store, ids, alice, "no tags")
    assert store.tag_bark_ids("dogs", None, 10, viewer=None) == tagged[::-1]
    first = store.tag_bark_ids("dogs", None, 2, viewer=None)
    assert first == tagged[:-3:-1]
    assert store.tag_bark_ids("dogs", first[-1], 10, viewer=None) == tagged[-3::-1]
    assert store.tag_bark_ids("nothing", None, 10, viewer=None) == []


def test_tag_timeline_matches_the_normalised_tag_exactly(store, ids, three):
    alice, _, _ = three
    cafe = post(store, ids, alice, "#Café", ["café"])
    assert store.tag_bark_ids("café", None, 10, viewer=None) == [cafe]
    assert store.tag_bark_ids("cafe", None, 10, viewer=None) == []  # diacritics are part of a tag
    assert store.tag_bark_ids("caf", None, 10, viewer=None) == []  # no prefix matching


def test_deleted_barks_leave_tag_timelines_search_and_trending(store, ids, three):
    alice, bob, _ = three
    kept = post(store, ids, alice, "sunny #beach day", ["beach"])
    gone = post(store, ids, bob, "rainy #beach day", ["beach"])
    store.delete_bark(gone)
    assert store.tag_bark_ids("beach", None, 10, viewer=None) == [kept]
    assert store.search_bark_ids(["day"], [], None, 10, viewer=None) == [kept]
    assert store.search_bark_ids(["rainy"], [], None, 10, viewer=None) == []
    assert store.search_bark_ids([], ["beach"], None, 10, viewer=None) == [kept]
    assert store.trending_tags(compose(now_ms() - 24 * HOUR_MS), 10) == [TagTrend("beach", 1, 1)]


def test_trending_ranks_by_distinct_authors_then_barks_then_tag(store, ids, three):
    alice, bob, carol = three
    for _ in range(4):  # one author, many barks: less than two authors
        post(store, ids, alice, "#spam", ["spam"])
    for author in (alice, bob):
        post(store, ids, author, "#b", ["b"])
        post(store, ids, author, "#a", ["a"])
    post(store, ids, carol, "#c #a", ["c", "a"])
    post(store, ids, carol, "#b again", ["b"])
    post(store, ids, bob, "#b and again", ["b"])
    since = compose(now_ms() - 24 * HOUR_MS)
    assert store.trending_tags(since, 10) == [
        TagTrend("b", 3, 4), TagTrend("a", 3, 3), TagTrend("spam", 1, 4), TagTrend("c", 1, 1)]
    assert store.trending_tags(since, 2) == [TagTrend("b", 3, 4), TagTrend("a", 3, 3)]
    post(store, ids, alice, "#a too", ["a"])  # a tie on both counts goes by tag
    assert store.trending_tags(since, 2) == [TagTrend("a", 3, 4), TagTrend("b", 3, 4)]


def test_trending_counts_only_the_window(store, ids, three):
    alice, bob, carol = three
    now = now_ms()
    for seq, author in enumerate((alice, bob, carol)):  # three authors, but 25 hours ago
        post(store, ids, author, "#old", ["old"], bark_id=compose(now - 25 * HOUR_MS, 0, seq))
    post(store, ids, alice, "#new", ["new"], bark_id=compose(now - 23 * HOUR_MS, 0, 0))
    assert store.trending_tags(compose(now - 24 * HOUR_MS), 10) == [TagTrend("new", 1, 1)]
    assert store.trending_tags(compose(now - 26 * HOUR_MS), 10)[0] == TagTrend("old", 3, 3)
    assert store.trending_tags(compose(now + HOUR_MS), 10) == []


def test_search_needs_every_word_and_every_tag_newest_first(store, ids, three):
    alice, bob, _ = three
    both = post(store, ids, alice, "the quick brown fox #animals", ["animals"])
    words_only = post(store, ids, bob, "a quick brown dog")
    other_tag = post(store, ids, bob, "quick brown #plants", ["plants"])
    assert store.search_bark_ids(["quick", "brown"], [], None, 10, viewer=None) == [other_tag, words_only, both]
    assert store.search_bark_ids(["QUICK", "fox"], [], None, 10, viewer=None) == [both]  # case ignored
    assert store.search_bark_ids(["quick"], ["animals"], None, 10, viewer=None) == [both]
    assert store.search_bark_ids(["quick"], ["animals", "plants"], None, 10, viewer=None) == []
    assert store.search_bark_ids([], ["plants"], None, 10, viewer=None) == [other_tag]
    assert store.search_bark_ids(["quick", "cat"], [], None, 10, viewer=None) == []
    page = store.search_bark_ids(["brown"], [], None, 2, viewer=None)
    assert page == [other_tag, words_only]
    assert store.search_bark_ids(["brown"], [], page[-1], 2, viewer=None) == [both]


def test_search_ignores_diacritics_and_matches_a_prefix_when_asked(store, ids, three):
    alice, _, _ = three
    bark = post(store, ids, alice, "Crème brûlée at the café")
    assert store.search_bark_ids(["creme", "brulee"], [], None, 10, viewer=None) == [bark]
    assert store.search_bark_ids(["CAFÉ"], [], None, 10, viewer=None) == [bark]
    assert store.search_bark_ids(["caf"], [], None, 10, viewer=None) == []
    assert store.search_bark_ids(["caf"], [], None, 10, prefix_last=True, viewer=None) == [bark]
    assert store.search_bark_ids(["brûlée", "cr"], [], None, 10, prefix_last=True, viewer=None) == [bark]


def test_search_finds_originals_not_rebarks(store, ids, three):
    alice, bob, _ = three
    bark = post(store, ids, alice, "worth sharing")
    store.post_bark(ids.next(), bob, None, bark, 10_000, ids.next())
    assert store.search_bark_ids(["sharing"], [], None, 10, viewer=None) == [bark]


@pytest.mark.parametrize("words", [
    ["a", "OR", "b"], ['"'], ["NEAR(x"], ["text:hello"], ["*"], ["(", ")"], ["-hello"], ["hello", "NOT"],
    ["^hello"], ['"hello" OR "x"'], ["{text}"], ["AND"], ["\\"], ["'; DROP TABLE barks; --"]],
    ids=["or", "quote", "near", "column", "star", "parens", "minus", "not", "caret", "quoted-or", "braces",
         "and", "backslash", "sql"])
def test_search_words_are_never_query_syntax(store, ids, three, words):
    alice, _, _ = three
    hello = post(store, ids, alice, "hello world")
    found = store.search_bark_ids(words, [], None, 10, viewer=None)
    assert found in ([], [hello])
    assert store.search_bark_ids(words, [], None, 10, prefix_last=True, viewer=None) in ([], [hello])
    assert store.tag_bark_ids(words[0], None, 10, viewer=None) == []
    assert store.search_bark_ids(["hello"], [], None, 10, viewer=None) == [hello]  # nothing was harmed


def test_search_reads_an_operator_as_a_plain_word(store, ids, three):
    alice, bob, _ = three
    either = post(store, ids, alice, "salt or pepper")
    post(store, ids, bob, "salt alone")
    assert store.search_bark_ids(["salt", "OR", "pepper"], [], None, 10, viewer=None) == [either]
    near = post(store, ids, bob, "NEAR(x is here")
    assert store.search_bark_ids(["NEAR(x"], [], None, 10, viewer=None) == [near]
