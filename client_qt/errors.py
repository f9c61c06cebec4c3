"""The server's refusals that come from a block, as sentences about the person concerned rather than the
API's wording ("@bob has blocked you"). Any other refusal keeps the server's own message, which is already
written for people."""

from __future__ import annotations

import unicodedata

from barker import invisible
from barker.validation import BIO_MAX, DISPLAY_NAME_MAX
from client_qt.api import ApiError

# The fields of a profile edit: what people call them, and their length limits (the server's own).
PROFILE_FIELDS = {"display_name": ("Display names", "A display name", DISPLAY_NAME_MAX),
                  "bio": ("Bios", "A bio", BIO_MAX)}


def explain(error: ApiError, handle: str = "") -> str:
    """`handle`: the person the refused request was about ("" when unknown)."""
    who = f"@{handle}" if handle else "This account"
    if error.code == "blocked":  # they block me: I can't follow, reply to, react to or rebark them
        return f"{who} has blocked you."
    if error.code == "blocking":  # I block them: that comes first
        return f"You block {who}: unblock them first."
    if error.code == "unavailable":
        return "This account is unavailable."
    if error.code in ("cannot_block_self", "cannot_mute_self"):
        return f"You can't {error.code.split('_')[1]} yourself."
    return error.message


def explain_profile_edit(error: ApiError, values: dict[str, str]) -> str:
    """A refused PATCH /v1/me as one sentence per field at fault ("Display names are at most 50
    characters."), never the API's wording. Which fields are at fault comes from the error: a validation
    refusal names each field it refuses ("display_name: ..."), and its code says when the text disguises
    itself (invisible_characters); what else is wrong with a field's value is then judged from the value sent
    (`values`, by field), against the server's own limits."""
    if error.status != 422:
        return explain(error)
    faults = [field for field in PROFILE_FIELDS if any(part.startswith(f"{field}:")
                                                      for part in error.message.split("; "))]
    sentences = [_profile_fault(field, values.get(field, ""), error.code) for field in faults]
    return " ".join(sentences) or f"The profile could not be saved: {error.message}"


def _profile_fault(field: str, value: str, code: str) -> str:
    plural, one, limit = PROFILE_FIELDS[field]
    size = len(unicodedata.normalize("NFC", value))  # the server counts code points after NFC
    if size > limit:
        return f"{plural} are at most {limit} characters (this one has {size})."
    if not value.strip():
        return f"{one} can't be blank."
    if code == "invisible_characters" or invisible.problem(value):  # the code is "invalid" when both fields fail
        return f"{plural} can't contain invisible or direction-changing characters."
    return f"{plural} can't contain control characters{' or line breaks' if field == 'display_name' else ''}."
