from __future__ import annotations

import pytest

from barker import validation
from barker.errors import Invalid


@pytest.mark.parametrize("text", ["hi", "a" * 280, "🐶" * 280, "e\u0301" * 280, "line\nbreak\ttab"])
def test_bark_text_accepted(text):
    assert len(validation.bark_text(text)) <= 280


def test_bark_text_is_nfc_normalised():
    assert validation.bark_text("e\u0301") == "\u00e9"


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "a" * 281, "🐶" * 281, "nul\x00", "bell\x07", "\ud800"])
def test_bark_text_rejected(text):
    with pytest.raises(Invalid):
        validation.bark_text(text)


@pytest.mark.parametrize("handle", ["ab", "A_b_9", "x" * 30])
def test_handles_accepted(handle):
    assert validation.handle(handle) == handle


@pytest.mark.parametrize("handle", ["a", "x" * 31, "has space", "dash-ed", "émile", "", "a.b"])
def test_handles_rejected(handle):
    with pytest.raises(Invalid):
        validation.handle(handle)


@pytest.mark.parametrize("emoji", ["🐶", "👍🏽", "👨‍👩‍👧", "🇫🇷", "❤️", "1️⃣"])
def test_single_emoji_accepted(emoji):
    assert validation.reaction_emoji(emoji)


@pytest.mark.parametrize("emoji", ["", "a", "🐶🐶", "ok", "🐶 "])
def test_non_emoji_rejected(emoji):
    with pytest.raises(Invalid):
        validation.reaction_emoji(emoji)


def test_display_name_is_single_line_and_trimmed():
    assert validation.display_name("  Ada  ") == "Ada"
    with pytest.raises(Invalid):
        validation.display_name("two\nlines")


@pytest.mark.parametrize("password", ["short", "x" * 257, "\udcff" * 10])
def test_passwords_rejected(password):
    with pytest.raises(Invalid):
        validation.password(password)


def test_line_breaks_are_normalised():
    assert validation.bark_text("a\r\nb\rc") == "a\nb\nc"


def test_emoji_variants_are_one_reaction():
    assert validation.reaction_emoji("❤") == validation.reaction_emoji("❤️") == "❤️"
