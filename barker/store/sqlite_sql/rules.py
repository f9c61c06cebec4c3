"""Barker's rules as SQL predicates, each written once here and reused by every statement that applies it
(barker/policies.py states each rule in Python; these are the same rules in the engine's terms)."""

from __future__ import annotations


def reply_reaches_home(reader: str, author: str, replied_to: str) -> str:
    """policies.reply_reaches_home as an SQL condition: whether a bark by `author` that answers a bark by
    `replied_to` (barks.reply_author: NULL for a bark that is no reply) belongs in `reader`'s home timeline.
    Each argument is an SQL expression. A bark that is no reply costs only the NULL check: the condition
    short-circuits before the follows lookup, which runs only for a reply to a third person."""
    return (f"({replied_to} IS NULL OR {replied_to} IN ({author}, {reader}) OR {reader} = {author} "
            f"OR EXISTS (SELECT 1 FROM follows WHERE follower = {reader} AND followee = {replied_to}))")
