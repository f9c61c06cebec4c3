"""Static checks of every aql/ query, as far as they go without a server (which would parse them for real):
strings, comments and brackets balance; every collection named is one the schema creates; bind parameters
are well-formed and never quoted; nothing looks like string formatting; longitude comes first in geo
calls; traversals keep every path when they count."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from barker.store.arango_queries import AqlSyntaxError, code_only, load_queries, parse
from barker.store.arango_schema import GRAPH, NAMES, VIEWS

QUERIES = load_queries()
VIEW_NAMES = {view["name"] for view in VIEWS}  # a FOR may also read a View (bark search)
REPO = Path(__file__).resolve().parents[2]
# Keywords ArangoDB 4.0 reserves (arangodb.md §1): not to be used as names now.
RESERVED_4_0 = {"MATCH", "SCAN", "WHILE", "UNTIL", "FOLD"}


def test_the_package_reads_the_repository_aql_directory() -> None:
    files = sorted(p.stem for p in (REPO / "aql").glob("*.aql"))
    assert files and sorted(QUERIES) == files
    link = REPO / "barker" / "aql"
    assert link.is_symlink() and link.resolve() == (REPO / "aql").resolve()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_brackets_and_literals_balance(name: str) -> None:
    code = code_only(QUERIES[name].text)
    stack: list[str] = []
    pairs = {")": "(", "]": "[", "}": "{"}
    for i, ch in enumerate(code):
        if ch in "([{":
            stack.append(ch)
        elif ch in pairs:
            assert stack and stack.pop() == pairs[ch], f"{name}: unbalanced {ch!r} at offset {i}"
    assert not stack, f"{name}: unclosed {stack}"


def declared_names(code: str) -> set[str]:
    """Variables a query declares (FOR, LET, COLLECT, AGGREGATE, WITH COUNT INTO)."""
    declared = set(re.findall(r"\b(?:LET|COLLECT|AGGREGATE)\s+([A-Za-z_]\w*)\s*=", code))
    declared |= set(re.findall(r",\s*([A-Za-z_]\w*)\s*=", code))  # AGGREGATE a = ..., b = ...
    declared |= set(re.findall(r"\bWITH\s+COUNT\s+INTO\s+([A-Za-z_]\w*)", code))
    for names in re.findall(r"\bFOR\s+([\w\s,]+?)\s+IN\b", code):
        declared |= {n.strip() for n in names.split(",")}
    return declared


def unknown_collections(text: str) -> set[str]:
    """Names after IN / INTO (a collection or a variable, where no expression follows) that are neither
    declared variables nor collections of the schema."""
    code = code_only(text)
    targets = set(re.findall(r"\b(?:IN|INTO)\s+([A-Za-z_]\w*)\b(?!\s*[.(\[])", code)) - {"OUTBOUND", "INBOUND", "ANY"}
    targets |= set(re.findall(r"\bDOCUMENT\(\s*\"(\w+)\"", text))
    return {t for t in targets - declared_names(code) if t not in NAMES and t not in VIEW_NAMES}


def test_the_collection_check_catches_a_typo() -> None:
    assert unknown_collections("FOR u IN userz RETURN u") == {"userz"}
    assert unknown_collections("FOR u IN users INSERT u INTO bark") == {"bark"}
    assert unknown_collections("LET xs = [1] FOR x IN xs RETURN x") == set()
    assert unknown_collections("FOR b IN barks_search SEARCH b.id < 1 RETURN b") == set()
    assert unknown_collections("FOR b IN barks_serch RETURN b") == {"barks_serch"}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_only_known_collections_and_graph(name: str) -> None:
    text = QUERIES[name].text
    code = code_only(text)
    assert not unknown_collections(text), f"{name}: unknown collections {unknown_collections(text)}"
    for match in re.finditer(r"\bGRAPH\s+", code):
        assert text[match.end():].startswith(f'"{GRAPH}"'), f"{name}: traverses a graph other than {GRAPH}"
    declared = declared_names(code)
    assert not declared & set(NAMES), f"{name}: a variable named like a collection: {declared & set(NAMES)}"
    assert not {d.upper() for d in declared} & RESERVED_4_0, name


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_bind_parameters_are_well_formed_and_never_formatted(name: str) -> None:
    text = QUERIES[name].text
    code = code_only(text)
    assert not re.search(r"@(?!@?[A-Za-z_])", code.replace("@@", "@")), f"{name}: a malformed @parameter"
    assert not re.search(r"@{3,}", code), name
    for span in re.finditer(r"([\"'`])\s*\1", code):  # string literals (blanked in `code`)
        literal = text[span.start():span.end()]
        assert not re.search(r"@[A-Za-z_]", literal), f"{name}: a quoted parameter is a literal: {literal}"
    assert not re.search(r"%[sdr]|\{\s*[A-Za-z_]\w*\s*\}|\{\d*\}", code), f"{name}: looks like string formatting"
    assert QUERIES[name].bind_names or name == "node_leases", f"{name}: a query without parameters"


def test_quoted_parameters_and_bad_syntax_are_caught() -> None:
    assert parse("q", 'FOR u IN users FILTER u.x == "@name" RETURN u').params == frozenset()
    assert parse("q", "FOR d IN @@c FILTER d.x == @v RETURN d").bind_names == {"@c", "v"}
    assert parse("q", "// @ignored\nRETURN @used /* @also_ignored */").params == {"used"}
    assert parse("q", "FOR u IN users REMOVE u IN users").writes
    with pytest.raises(AqlSyntaxError):
        code_only('RETURN "open')
    with pytest.raises(AqlSyntaxError):
        code_only("RETURN 1 /* open")


def test_geo_calls_put_longitude_first() -> None:
    for name, query in QUERIES.items():
        code = code_only(query.text)
        assert "@lat, @lon" not in code.replace(" ", "").replace(",", ", "), name
        for call in re.findall(r"GEO_DISTANCE\(([^)]*)\)", code):
            assert "[@lon, @lat]" in call, f"{name}: {call}"
        assert not re.search(r"\b(NEAR|WITHIN|WITHIN_RECTANGLE|IS_IN_POLYGON)\s*\(", code), f"{name}: removed in 4.0"


def test_suggestion_traversals_count_every_path() -> None:
    code = code_only(QUERIES["suggestions_depth2"].text)
    assert 'uniqueVertices: "path"' in QUERIES["suggestions_depth2"].text and "global" not in code
    assert re.search(r"OUTBOUND\s+@start\s+GRAPH", code) and "2..2" in code


def test_depth_three_builds_no_paths_and_prunes_like_sqlite() -> None:
    """Depth 3 once enumerated every 3-hop path and built a path object for each: it now sums counts hop by
    hop (COLLECT) and, with @limit candidates having mutuals, counts third-hop paths to the contenders only."""
    code = code_only(QUERIES["suggestions_depth3"].text)
    assert "GRAPH" not in code and "OUTBOUND" not in code and "p.edges" not in code
    assert "AGGREGATE total = SUM(b.n)" in code and "f.followee IN contenders" in code
    assert QUERIES["suggestions_depth3"].params == {"me", "limit", "hidden"}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_at_most_one_data_modification_per_query(name: str) -> None:
    """The AQL docs (3.12, Syntax) reject more than one data-modification operation in a query: a method
    that writes two collections runs two queries in one transaction."""
    code = code_only(QUERIES[name].text)
    assert len(re.findall(r"\b(INSERT|UPDATE|REPLACE|REMOVE|UPSERT)\b", code)) <= 1, name


def test_write_queries_are_the_ones_expected() -> None:
    writers = {name for name, q in QUERIES.items() if q.writes}
    assert writers == {"bump_counters", "remove_bark_reactions", "revoke_user_tokens", "stream_append",
                       "stream_fanout", "stream_restore_author", "stream_tombstone_author", "stream_trim",
                       "media_remove", "media_release", "media_files_unreferenced", "media_files_forget",
                       "rate_limit_take", "rate_limit_purge", "bark_tags_insert", "remove_bark_tags",
                       "remove_bark_bookmarks", "remove_bark_notifications", "reply_prune",
                       "notifications_insert", "remove_reaction_notification",
                       "bookmark_insert", "bookmark_remove", "unrestrict_user_tokens",
                       # account deletion (barker/store/arango_departures.py)
                       "account_forget_mentions", "account_forget_replied_author", "account_remove_stream_entries",
                       "account_remove_notices",
                       "account_remove_rows", "account_remove_follow_notice", "account_remove_dismissals_of",
                       "account_remove_jobs", "account_remove_rate_limits", "account_release_media"}
