"""The wording of failures. The server's refusals that come from a block, as sentences about the person
concerned rather than the API's wording ("@bob has blocked you"); any other refusal keeps the server's own
message, which is already written for people. Failures to reach the server at all (REST or the live stream)
as sentences too: never an exception's name ("ConnectionRefusedError") or a library's own text."""

from __future__ import annotations

import socket
import ssl
import unicodedata
from typing import TYPE_CHECKING

from PySide6.QtNetwork import QNetworkReply
from websockets.exceptions import ConnectionClosed, InvalidStatus

from barker import invisible
from barker.validation import BIO_MAX, DISPLAY_NAME_MAX

if TYPE_CHECKING:  # api.py words its own failures with this module
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


def explain_post(error: ApiError, handle: str = "") -> str:
    """A bark (or reply to @handle) the server did not accept. Unreachable, it says the bark is kept (the
    compose box keeps the text until a post succeeds)."""
    if error.status == 0:
        return f"Not posted. {error.message} Your bark is kept here: post it again once the server is back."
    return explain(error, handle)


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


# Why a request got no answer, as the end of "Can't reach the server at …: " (QNetworkReply's error codes).
_NetworkError = QNetworkReply.NetworkError
NETWORK_REASONS = {
    _NetworkError.ConnectionRefusedError: "nothing answers there",
    _NetworkError.RemoteHostClosedError: "the server closed the connection",
    _NetworkError.HostNotFoundError: "that address was not found",
    _NetworkError.TimeoutError: "it took too long to answer",
    _NetworkError.OperationCanceledError: "it took too long to answer",  # the transfer timeout aborts the reply
    _NetworkError.SslHandshakeFailedError: "a secure connection could not be made",
    _NetworkError.TemporaryNetworkFailureError: "the network is down",
    _NetworkError.NetworkSessionFailedError: "the network is down",
    _NetworkError.ProxyConnectionRefusedError: "the proxy refused the connection",
    _NetworkError.ProxyNotFoundError: "the proxy was not found",
}


def unreachable(base_url: str, error: QNetworkReply.NetworkError) -> str:
    """A REST request that got no HTTP answer at all."""
    return f"Can't reach the server at {base_url}: {NETWORK_REASONS.get(error, 'the connection failed')}."


def connection_failure(error: BaseException) -> str:
    """Why a connection (the live stream, an export download) could not open or dropped, as a sentence."""
    if isinstance(error, ConnectionRefusedError):
        return "Can't reach the server."
    if isinstance(error, socket.gaierror):
        return "Can't find the server (is the network down?)."
    if isinstance(error, TimeoutError):
        return "The server is not answering."
    if isinstance(error, ssl.SSLError):
        return "A secure connection to the server could not be made."
    if isinstance(error, InvalidStatus):
        return f"The server refused the live connection (HTTP {error.response.status_code})."
    if isinstance(error, ConnectionClosed | OSError):
        return "The connection to the server was lost."
    return "The live connection failed."
