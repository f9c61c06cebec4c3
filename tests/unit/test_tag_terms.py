"""How the tag and search services read their input: a tag named in a URL, and a search query's words and
#tags. Pure functions; the HTTP answers are in tests/api/test_tags.py."""

from __future__ import annotations

import pytest

from barker.errors import Invalid
from barker.services.tags import SearchTerms, search_terms, tag_from_path


@pytest.mark.parametrize(("raw", "tag"), [
    ("dogs", "dogs"), ("#dogs", "dogs"), ("DOGS", "dogs"), ("Café", "café"), ("CAFÉ", "café"),
    ("cafe\u0301", "café"), ("Straße", "strasse"), ("日本語", "日本語"), ("snake_case", "snake_case"),
    ("2024tour", "2024tour"), ("123", "123"), ("x" * 100, "x" * 100), ("e\u0301" * 100, "é" * 100)])
def test_tag_from_path_normalises(raw: str, tag: str) -> None:
    assert tag_from_path(raw) == tag


@pytest.mark.parametrize(("raw", "code"), [
    ("", "invalid_tag"), ("#", "invalid_tag"), ("##dogs", "invalid_tag"), ("dogs!", "invalid_tag"),
    ("two words", "invalid_tag"), ("a-b", "invalid_tag"), ("🐶", "invalid_tag"),
    ("x" * 101, "tag_too_long"), ("#" + "x" * 101, "tag_too_long"), ("x" * 5000, "tag_too_long")])
def test_tag_from_path_refuses(raw: str, code: str) -> None:
    with pytest.raises(Invalid) as refused:
        tag_from_path(raw)
    assert refused.value.code == code
    assert raw.strip("#") not in refused.value.message or not raw.strip("#")  # never echoes input


@pytest.mark.parametrize(("q", "terms"), [
    ("hello", SearchTerms(("hello",), (), True)),
    ("hello ", SearchTerms(("hello",), (), False)),  # finished typing: whole word
    ("hi", SearchTerms(("hi",), (), False)),  # too short for a prefix
    ("quick brown fox", SearchTerms(("quick", "brown", "fox"), (), True)),
    ("#Café lait", SearchTerms(("lait",), ("café",), True)),
    ("lait #CAFÉ", SearchTerms(("lait",), ("café",), False)),
    ("#a #A #b", SearchTerms((), ("a", "b"), False)),
    ("a OR b", SearchTerms(("a", "OR", "b"), (), False)),
    ('"', SearchTerms((), (), False)),
    ("... !!", SearchTerms((), (), False)),
    ("#", SearchTerms((), (), False)),
    ("#a-b", SearchTerms(("#a-b",), (), True)),  # no tag: left to the word matcher
    ("NEAR(x", SearchTerms(("NEAR(x",), (), True)),
    ("dog cat dog", SearchTerms(("cat", "dog"), (), True)),
])
def test_search_terms(q: str, terms: SearchTerms) -> None:
    assert search_terms(q) == terms


def test_a_search_tag_over_the_limit_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        search_terms("#" + "x" * 101)
    assert refused.value.code == "tag_too_long"
