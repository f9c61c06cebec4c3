"""Text that hides or disguises itself: invisible characters, bidirectional overrides, combining-mark floods.

A display name made of zero-width spaces looks empty; a right-to-left override turns "@evil‮moc.knab" into
something else on screen; "Zalgo" text stacks dozens of combining marks on one letter and paints over the
lines around it. Each rule below allows what real writing needs (emoji sequences with their joiners and
variation selectors, a Persian zero-width non-joiner between words, Hebrew points on a letter) and refuses
the rest. Input is NFC-normalised before these run (barker/validation.py).
"""

from __future__ import annotations

import unicodedata

import emoji

# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt, stable since Unicode 5.2 apart from
# unassigned code points added to the reserved ranges): characters that render as nothing.
DEFAULT_IGNORABLE: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)
# Explicit direction controls: embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
# The bidi algorithm lays out Arabic or Hebrew names correctly without them; what they are good for in a
# name or a bio is reversing what the reader sees, so none is accepted.
BIDI_CONTROLS = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))
# Blank but not ignorable: the Braille pattern blank and the Hangul fillers' half-width cousin look like
# nothing and are the usual way to make a "blank" name.
BLANK_LOOKING = frozenset({0x2800, 0x3164, 0xFFA0, 0x115F, 0x1160})
# Most invisible characters in a row outside emoji (a ZWNJ between two words is one; emoji sequences are
# removed before counting), and the share of invisible characters a text may hold at most.
MAX_INVISIBLE_RUN = 2
MAX_INVISIBLE_SHARE = 0.2
# Combining marks on one base character: Vietnamese needs 2, fully pointed Hebrew with cantillation 4;
# Zalgo text uses dozens. (Unicode's Stream-Safe Text Format allows 30, a bound for buffers, not sense.)
MAX_MARKS_PER_BASE = 4


def is_default_ignorable(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in DEFAULT_IGNORABLE)


def problem(text: str) -> str | None:
    """Why the text is disguised, as a message fragment ("contains a right-to-left override"), or None."""
    if any(ord(c) in BIDI_CONTROLS for c in text):
        return "contains bidirectional control characters (U+202A-U+202E, U+2066-U+2069)"
    # Emoji (with their joiners, variation selectors and tags) are visible whatever they are made of.
    rest = emoji.replace_emoji(text, replace="\U0001F600") if emoji.emoji_count(text) else text
    visible = 0
    invisible = run = marks = 0
    for char in rest:
        if is_default_ignorable(char):
            invisible += 1
            run += 1
            if run > MAX_INVISIBLE_RUN:
                return "contains a run of invisible characters"
            continue
        run = 0
        if unicodedata.category(char) in ("Mn", "Me"):
            marks += 1
            if marks > MAX_MARKS_PER_BASE:
                return f"stacks more than {MAX_MARKS_PER_BASE} combining marks on one character"
            continue
        marks = 0
        if not char.isspace() and ord(char) not in BLANK_LOOKING:
            visible += 1
    if visible == 0 and rest.strip():
        return "has no visible characters"
    if invisible > MAX_INVISIBLE_SHARE * max(1, visible) and invisible > MAX_INVISIBLE_RUN:
        return "is flooded with invisible characters"
    return None
