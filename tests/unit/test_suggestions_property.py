"""Friends-of-friends suggestions equal a plain-Python breadth-first reference on random graphs.

Definition (also in docs/architecture.md): hop2 = everyone followed by someone I follow, except me, each with n =
how many people I follow follow them (the mutuals). Depth 3 adds everyone followed by a hop2 person b,
counting n(b) paths each. Candidates exclude me, whoever I follow and dismissed users; ranked by
mutuals, then paths, then fewer followers, then id; "followed by" lists up to 3 mutuals, most-followed
first.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from barker.ids import IdGenerator
from barker.ports.types import NewUser
from barker.store.sqlite import SqliteStore

N = 9


def reference(edges: set[tuple[int, int]], dismissed: set[int], me: int, depth: int, limit: int):
    follows = {u: {b for a, b in edges if a == u} for u in range(N)}
    followers = Counter(b for _, b in edges)
    hop2 = Counter(c for a in follows[me] for c in follows[a] if c != me)
    paths = Counter()
    if depth == 3:
        for b, n in hop2.items():
            for c in follows[b]:
                paths[c] += n
    candidates = (set(hop2) | set(paths)) - {me} - follows[me] - dismissed
    ranked = sorted(candidates, key=lambda c: (-hop2[c], -paths[c], followers[c], c))[:limit]
    return [(c, hop2[c], paths[c] if depth == 3 else 0,
             sorted((a for a in follows[me] if c in follows[a]), key=lambda a: (-followers[a], a))[:3])
            for c in ranked]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Depth 3, a tie on mutuals at the cut-off broken by paths: 4 and 5 both have one mutual, but 3 (two
# mutuals) follows 4, so 4 has two three-hop paths and must come before 5 despite more followers.
@example(edges={(0, 1), (0, 2), (1, 3), (1, 4), (2, 3), (2, 5), (3, 4)}, dismissed=set(), me=0, depth=3, limit=2)
@given(edges=st.sets(st.tuples(st.integers(0, N - 1), st.integers(0, N - 1)).filter(lambda e: e[0] != e[1]),
                     max_size=40),
       dismissed=st.sets(st.integers(0, N - 1), max_size=3), me=st.integers(0, N - 1),
       depth=st.sampled_from([2, 3]), limit=st.integers(1, N))
def test_suggestions_match_reference(tmp_path_factory, edges, dismissed, me, depth, limit):
    store = SqliteStore(Path(tmp_path_factory.mktemp("fof")) / "s.db")
    gen = IdGenerator(6)
    ids = [gen.next() for _ in range(N)]  # increasing, so index order is id order
    try:
        with store.bulk():
            for i, uid in enumerate(ids):
                store.create_user(NewUser(uid, f"u{i}", f"u{i}", "U", "", "x"))
            for a, b in sorted(edges):
                store.follow(ids[a], ids[b], gen.next(), gen.next())
            for d in dismissed:
                store.dismiss_suggestion(ids[me], ids[d])
        got = [(ids.index(s.user_id), s.mutuals, s.paths, [ids.index(v) for v in s.followed_by])
               for s in store.suggestions(ids[me], depth, limit)]
        assert got == reference(edges, dismissed, me, depth, limit)
    finally:
        store.close()
