"""A bark's text as Qt StyledText with its mentions, tags and links clickable, built from the bark's
`entities` (code-point ranges, which Python strings index directly: QML's strings are UTF-16, so the ranges
are never applied there). User text is plain text: every segment is escaped, and the only markup is ours,
links whose href is the entity's index in the bark's list (no user text ever goes into an attribute)."""

from __future__ import annotations

from html import escape
from typing import Any

SCHEMES = ("http://", "https://")


def plain(text: str) -> str:
    """Text shown literally in StyledText: &, < and > escaped, line breaks kept."""
    return escape(text, quote=False).replace("\r\n", "\n").replace("\n", "<br>")


def rich_html(text: str, entities: list[dict[str, Any]]) -> str:
    """StyledText for `text`: each entity a link `<a href="i">` (i its index in `entities`). Entities that
    overlap an earlier one or fall outside the text are left as plain text."""
    parts: list[str] = []
    position = 0
    for i, entity in sorted(enumerate(entities), key=lambda pair: pair[1]["start"]):
        start, end = int(entity["start"]), int(entity["end"])
        if start < position or end > len(text) or start >= end:
            continue
        parts += [plain(text[position:start]), f'<a href="{i}">', plain(text[start:end]), "</a>"]
        position = end
    parts.append(plain(text[position:]))
    return "".join(parts)


def link_target(entity: dict[str, Any]) -> dict[str, str]:
    """What a click on an entity opens: {type, value}: a handle, a tag, or a URL."""
    kind = str(entity["type"])
    value = {"mention": "handle", "tag": "tag", "url": "url"}.get(kind)
    return {"type": kind, "value": str(entity.get(value, "")) if value else ""}


def web_url(url: str) -> str | None:
    """The URL a link opens: http(s) as written, a bare domain as http://…; any other scheme is refused."""
    lowered = url.lower()
    if lowered.startswith(SCHEMES):
        return url
    return None if "://" in url or lowered.startswith(("javascript:", "data:", "file:")) else f"http://{url}"
