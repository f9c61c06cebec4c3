"""Account rules against abuse: reserved handles, disguised display names and bios, common passwords."""

from __future__ import annotations

import unicodedata

import pytest

from barker import invisible, validation
from barker.common_passwords import common_passwords
from barker.errors import Invalid
from barker.reserved_handles import RESERVED


@pytest.mark.parametrize("handle", ["admin", "Administrator", "ROOT", "support", "system", "barker", "api", "v1",
                                    "me", "help", "about", "settings", "staff", "moderator", "security",
                                    "official", "null", "undefined", "www", "mail", "nearby", "search",
                                    "barker_support", "the_real_admin", "BarkerHQ2"])
def test_reserved_handles_are_refused_with_their_own_code(handle: str) -> None:
    with pytest.raises(Invalid) as refused:
        validation.handle(handle)
    assert refused.value.code == "reserved_handle" and "reserved" in refused.value.message


@pytest.mark.parametrize("handle", ["ada", "supporter_of_cats", "rooted", "mehdi", "apis_bee", "helpful"])
def test_handles_that_only_resemble_reserved_ones_are_fine(handle: str) -> None:
    assert validation.handle(handle) == handle


def test_every_reserved_handle_could_otherwise_be_a_handle() -> None:
    """A reserved word that no handle could be anyway is a typo in the list."""
    assert all(validation.HANDLE_RE.fullmatch(name) and name == name.lower() for name in RESERVED)


# -- invisible and disguising characters ---------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "\u200b",  # zero-width space alone
    "\u200b\u200c\u200d\u2060",  # several zero-widths
    "\ufeff",  # byte order mark / zero-width no-break space
    "\u2800\u2800",  # Braille blank
    "\u3164",  # Hangul filler
    "\u115f\u1160",  # Hangul choseong/jungseong fillers
    "\u00ad",  # soft hyphen alone
    "\U000e0041\U000e0042",  # tag characters alone
    "\u034f",  # combining grapheme joiner
])
def test_names_made_of_invisible_characters_are_refused(name: str) -> None:
    with pytest.raises(Invalid) as refused:
        validation.display_name(name)
    assert refused.value.code in ("invisible_characters", "invalid")


@pytest.mark.parametrize("control", [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)])
def test_every_bidi_embedding_override_and_isolate_is_refused(control: str) -> None:
    for field in (validation.display_name, validation.bio):
        with pytest.raises(Invalid) as refused:
            field(f"alice{control}moc.knab")
        assert refused.value.code == "invisible_characters" and "bidirectional" in refused.value.message


@pytest.mark.parametrize("text", [
    "Ada\u200b\u200b\u200bLovelace",  # a run of zero-width spaces inside a name
    "A\u200bd\u200ba\u200b L\u200bo\u200bv\u200be",  # invisibles spread between every letter
    "Ada" + "\ufe0f" * 5,  # a flood of variation selectors that select nothing
    "Ada" + "\U000e0020" * 4,  # tag characters outside a flag
])
def test_floods_of_invisible_characters_are_refused(text: str) -> None:
    with pytest.raises(Invalid) as refused:
        validation.display_name(text)
    assert refused.value.code == "invisible_characters"


def test_combining_mark_floods_are_refused_and_real_diacritics_pass() -> None:
    zalgo = "H" + "".join(chr(c) for c in range(0x0300, 0x0314)) + "i"
    for field in (validation.display_name, validation.bio):
        with pytest.raises(Invalid) as refused:
            field(zalgo)
        assert "combining marks" in refused.value.message
    # NFD Vietnamese (normalised first), pointed Hebrew, Devanagari and Thai stay well under the bound.
    for text in [unicodedata.normalize("NFD", "Nguyễn Thị Ánh"), "בְּרֵאשִׁית", "हिन्दी", "ที่นี่"]:
        assert validation.display_name(text)


@pytest.mark.parametrize("text", [
    "👨\u200d👩\u200d👧\u200d👦 Family",  # ZWJ sequence
    "🏳️\u200d🌈 Pride",  # VS16 + ZWJ
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Scotland",  # tag sequence flag
    "1️⃣ first",  # keycap
    "می\u200cخواهم",  # Persian zero-width non-joiner between parts of a word
    "Ada Lovelace",
    "José 🐶",
])
def test_real_writing_with_joiners_and_selectors_passes(text: str) -> None:
    assert validation.display_name(text)
    assert validation.bio(text)


def test_a_persian_bio_with_many_non_joiners_passes() -> None:
    bio = " ".join(["می\u200cخواهم", "کتاب\u200cها", "را", "بخوانم"] * 10)[:300]
    assert validation.bio(bio) == bio


def test_an_empty_bio_is_still_allowed() -> None:
    assert validation.bio("") == ""


def test_the_default_ignorable_table_covers_every_assigned_format_character() -> None:
    """Default_Ignorable_Code_Point includes every Cf character except a few that render (the Arabic number
    signs, the Egyptian format controls, ...): each Cf character the table misses must be one of those."""
    renders = {0x0600, 0x0601, 0x0602, 0x0603, 0x0604, 0x0605, 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2,
               0x110BD, 0x110CD, 0xFFF9, 0xFFFA, 0xFFFB}
    missed = [hex(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"
              and not invisible.is_default_ignorable(chr(c)) and c not in renders
              and not 0x13430 <= c <= 0x1345F and not 0x1BCA0 <= c <= 0x1BCA3]
    assert missed == []


# -- common passwords --------------------------------------------------------------------------------------

@pytest.mark.parametrize("password", ["password", "12345678", "Password1", "qwertyuiop", "iloveyou",
                                      "trustno1", "PASSWORD", "sunshine"])
def test_common_passwords_are_refused_with_a_clear_message(password: str) -> None:
    with pytest.raises(Invalid) as refused:
        validation.password(password)
    assert refused.value.code == "common_password" and "most common" in refused.value.message


@pytest.mark.parametrize("password", ["correct horse", "barker-demo", "a new password", "Tr0ub4dor&3x"])
def test_uncommon_passwords_pass(password: str) -> None:
    assert validation.password(password) == password


def test_the_bundled_list_is_the_ten_thousand_most_common() -> None:
    passwords = common_passwords()
    assert len(passwords) == 10_000
    assert {"123456", "password", "qwerty", "dragon"} <= passwords
    assert all(p == p.lower() and p.strip() == p for p in passwords)
