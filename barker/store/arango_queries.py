"""The AQL queries of the ArangoDB store: one file per query in the repository's top-level `aql/` directory,
loaded by name, run with bind parameters only (never string formatting).

`barker/aql` is a symlink to `../aql`, so the files travel with the package: an editable install reads
the repository's directory, a wheel (and the Docker image) carries copies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.abc import Traversable

# Data-modification keywords: a query holding one writes (counted as a write inside a transaction).
_WRITE_KEYWORDS = re.compile(r"\b(INSERT|UPDATE|REPLACE|REMOVE|UPSERT)\b")
# A bind parameter: @name (value) or @@name (collection), not inside a string or comment.
_PARAM = re.compile(r"(?<![\w@])(@@?)([A-Za-z_][A-Za-z0-9_]*)")


class AqlSyntaxError(ValueError):
    pass


def code_only(text: str) -> str:
    """The query with string literals and comments blanked out (same length, so offsets still match),
    leaving only code; raises AqlSyntaxError for an unterminated string or comment."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "\"'`":
            end = i + 1
            while end < n and text[end] != ch:
                end += 2 if text[end] == "\\" else 1
            if end >= n:
                raise AqlSyntaxError(f"unterminated {ch} string at offset {i}")
            out.append(ch + " " * (end - i - 1) + ch)
            i = end + 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise AqlSyntaxError(f"unterminated comment at offset {i}")
            out.append(" " * (end + 2 - i))
            i = end + 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    params: frozenset[str]  # value parameters, without the @
    collection_params: frozenset[str]  # collection parameters, without the @@
    writes: bool

    @property
    def bind_names(self) -> frozenset[str]:
        """The keys its bind_vars must have, exactly (ArangoDB rejects missing and unused ones)."""
        return self.params | {"@" + c for c in self.collection_params}


def parse(name: str, text: str) -> Query:
    code = code_only(text)
    params = {m.group(2) for m in _PARAM.finditer(code) if m.group(1) == "@"}
    collections = {m.group(2) for m in _PARAM.finditer(code) if m.group(1) == "@@"}
    return Query(name, text, frozenset(params), frozenset(collections), bool(_WRITE_KEYWORDS.search(code)))


def aql_dir() -> Traversable:
    return resources.files("barker").joinpath("aql")


@cache
def load_queries() -> dict[str, Query]:
    """Every query, by file name without `.aql`."""
    found = {entry.name.removesuffix(".aql"): parse(entry.name.removesuffix(".aql"), entry.read_text("utf-8"))
             for entry in aql_dir().iterdir() if entry.name.endswith(".aql")}
    if not found:
        raise FileNotFoundError(f"no AQL files in {aql_dir()} (barker/aql must link to the repository's aql/)")
    return found
