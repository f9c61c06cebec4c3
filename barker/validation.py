"""Input rules shared by the API models, the services and the seeder (design §6)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import emoji

from barker import invisible
from barker.common_passwords import is_common
from barker.errors import Invalid
from barker.reserved_handles import is_reserved
from barker.text_entities import weighted_length

HANDLE_PATTERN = "^[A-Za-z0-9_]{2,30}$"
HANDLE_RE = re.compile(HANDLE_PATTERN)
BARK_MAX_CHARS = 280
DISPLAY_NAME_MAX = 50
BIO_MAX = 300
MEDIA_DESCRIPTION_MAX = 1500  # an image's description (alt text), as Mastodon allows
PASSWORD_MIN = 8
PASSWORD_MAX = 256
# C0/C1 control characters other than tab and newline have no place in user text.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The same rules as JSON Schema patterns, for the OpenAPI document (ECMA-262 syntax, which Python shares
# here). Multi-line text may hold \n and \r (a line break); single-line text neither. The "visible" ones
# also leave out what barker/invisible.py polices (default-ignorable and bidirectional control
# characters): stricter than the server, which allows a few of them in context, so that any text valid by
# the document is accepted.
_CONTROLS = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f"
_INVISIBLE = "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in invisible.DEFAULT_IGNORABLE if high < 0x10000)
_ONE_LINE = f"[^{_CONTROLS}\\u000a\\u000d{_INVISIBLE}]*"
MULTILINE_PATTERN = f"^[^{_CONTROLS}]*$"
MULTILINE_VISIBLE_PATTERN = f"^[^{_CONTROLS}{_INVISIBLE}]*$"
SINGLE_LINE_VISIBLE_PATTERN = f"^{_ONE_LINE}[^\\s{_CONTROLS}{_INVISIBLE}]{_ONE_LINE}$"  # one visible character


def clean_text(value: str, *, field: str, max_chars: int, allow_blank: bool, multiline: bool,
               length: Callable[[str], int] = len) -> str:
    """NFC-normalise, then enforce encodability, control characters and length (code points, unless the
    field counts otherwise: bark text weighs each link as 23, barker.text_entities.weighted_length)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid(f"{field} is not valid Unicode (lone surrogate)") from None
    value = unicodedata.normalize("NFC", value)
    if multiline:  # line breaks from any platform become \n
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL_RE.search(value) or (not multiline and "\n" in value):
        raise Invalid(f"{field} contains control characters")
    if not allow_blank and not value.strip():
        raise Invalid(f"{field} must not be blank")
    if (size := length(value)) > max_chars:
        raise Invalid(f"{field} is {size} characters; the limit is {max_chars}")
    return value


def bark_text(value: str) -> str:
    return clean_text(value, field="text", max_chars=BARK_MAX_CHARS, allow_blank=False, multiline=True,
                      length=weighted_length)


def bark_text_or_empty(value: str) -> str:
    """Bark text where media may stand in for it: blank is allowed here and judged with the media."""
    return clean_text(value, field="text", max_chars=BARK_MAX_CHARS, allow_blank=True, multiline=True,
                      length=weighted_length)


def visible_text(value: str, *, field: str) -> str:
    """Refuse text that hides or disguises itself (barker/invisible.py) in what others see of a user."""
    if problem := invisible.problem(value):
        raise Invalid(f"{field} {problem}", code="invisible_characters")
    return value


def display_name(value: str) -> str:
    return visible_text(clean_text(value, field="display_name", max_chars=DISPLAY_NAME_MAX, allow_blank=False,
                                   multiline=False).strip(), field="display_name")


def bio(value: str) -> str:
    return visible_text(clean_text(value, field="bio", max_chars=BIO_MAX, allow_blank=True, multiline=True),
                        field="bio")


def media_description(value: str) -> str:
    """An image's description (alt text): plain text, line breaks allowed, trimmed (the limit counts what
    is kept); "" means none. Control characters are refused before trimming could hide them."""
    return clean_text(value, field="description", max_chars=MEDIA_DESCRIPTION_MAX, allow_blank=True,
                      multiline=True, length=lambda text: len(text.strip())).strip()


def handle(value: str) -> str:
    if not HANDLE_RE.fullmatch(value):
        raise Invalid("handle must be 2-30 characters of letters, digits and underscore")
    if is_reserved(canonical_handle(value)):  # staff, brand and route-like names: barker/reserved_handles.py
        raise Invalid("that handle is reserved", code="reserved_handle")
    return value


def canonical_handle(value: str) -> str:
    """Handles are unique case-insensitively; this is the form that is compared and indexed."""
    return value.lower()


def password(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid("password is not valid Unicode") from None
    if not PASSWORD_MIN <= len(value) <= PASSWORD_MAX:
        raise Invalid(f"password must be {PASSWORD_MIN}-{PASSWORD_MAX} characters")
    if is_common(value):
        raise Invalid("this password is one of the 10,000 most common ones, the first an attacker tries; "
                      "choose another (a few unrelated words make a strong one)", code="common_password")
    return value


def reaction_emoji(value: str) -> str:
    """One emoji, in its fully-qualified form, so "❤" and "❤️" count as the same reaction."""
    value = unicodedata.normalize("NFC", value)
    if not emoji.is_emoji(value):
        raise Invalid("a reaction must be exactly one emoji")
    return emoji.emojize(emoji.demojize(value))
