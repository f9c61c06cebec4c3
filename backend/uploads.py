"""Reading an upload from a multipart/form-data request body, in memory, with hard caps: one file, and the
optional text field `description`.

Starlette's form parser spools files over 1 MiB to temporary files on disk; an image upload here never
touches the disk before it is validated, and reading stops at the first byte past the limit."""

from __future__ import annotations

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from barker.errors import BarkerError, Invalid, TooLarge, UnsupportedMediaType
from barker.media import UploadForm
from barker.validation import MEDIA_DESCRIPTION_MAX

FILE_FIELD = "file"
DESCRIPTION_FIELD = "description"
# Raw bytes of the description part: every character of the longest one in 4 bytes, with room for spaces and
# CRLF line breaks around it. Past this it cannot be valid, so reading it stops here.
DESCRIPTION_MAX_BYTES = 8 * MEDIA_DESCRIPTION_MAX


class _Collector:
    """Multipart callbacks keeping the bytes of the one part named `file` and of the one named `description`
    (other parts are skipped)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.data: bytearray | None = None
        self.description: bytearray | None = None
        self._collecting = False
        self._collecting_description = False
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self.ended = False  # the closing boundary was seen: the body is complete

    def on_end(self) -> None:
        self.ended = True

    def on_part_begin(self) -> None:
        self._collecting = self._collecting_description = False
        self._disposition = b""

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = self._header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        if options.get(b"name") == FILE_FIELD.encode():
            if self.data is not None:
                raise Invalid("send one file per upload", code="too_many_files")
            self.data = bytearray()
            self._collecting = True
        elif options.get(b"name") == DESCRIPTION_FIELD.encode():
            if self.description is not None:
                raise Invalid("send one description per upload", code="invalid")
            self.description = bytearray()
            self._collecting_description = True

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._collecting and self.data is not None:
            self.data += data[start:end]
            if len(self.data) > self.max_bytes:
                raise TooLarge(f"images are limited to {self.max_bytes} bytes", code="media_too_large")
        elif self._collecting_description and self.description is not None:
            self.description += data[start:end]
            if len(self.description) > DESCRIPTION_MAX_BYTES:
                raise Invalid(f"description is longer than {MEDIA_DESCRIPTION_MAX} characters", code="invalid")

    def on_part_end(self) -> None:
        self._collecting = self._collecting_description = False


async def read_upload_form(request: Request, max_bytes: int) -> UploadForm:
    """The bytes of the form field `file`, and the text of `description` if sent (not checked yet beyond its
    size and encoding). Raises UnsupportedMediaType (not multipart/form-data), TooLarge (past max_bytes:
    reading stops there), Invalid (no such part, two of them, a malformed body, a description that is too
    long or not UTF-8)."""
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise UnsupportedMediaType("send the image as multipart/form-data, in a part named file")
    collector = _Collector(max_bytes)
    callbacks = {name: getattr(collector, name) for name in (
        "on_part_begin", "on_header_field", "on_header_value", "on_header_end", "on_headers_finished",
        "on_part_data", "on_part_end", "on_end")}
    try:
        parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except BarkerError:
        raise
    except Exception as e:  # python-multipart's parse errors
        raise Invalid("the multipart/form-data body is malformed", code="malformed_multipart") from e
    if not collector.ended:
        raise Invalid("the multipart/form-data body ends before its closing boundary", code="malformed_multipart")
    if collector.data is None:
        raise Invalid("no part named file in the form", code="missing_file")
    if collector.description is None:
        return UploadForm(bytes(collector.data))
    try:
        description = collector.description.decode("utf-8")
    except UnicodeDecodeError:
        raise Invalid("description is not valid UTF-8", code="invalid") from None
    return UploadForm(bytes(collector.data), description)
