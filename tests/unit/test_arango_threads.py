"""The ArangoDB store's thread walk (barker/store/arango_threads.py) and search-query choice
(barker/store/arango_tags.py), pure parts without a server: the walk pages a reply tree depth-first, each
branch oldest first, like a plain-Python reference, and the round trips it needs stay bounded by the page
(wide threads) or by the page's depth (chains), never by the thread's size."""

from __future__ import annotations

import random

import pytest

from barker.store.arango_tags import search_query
from barker.store.arango_threads import Branch, ThreadWalk, resume_branches


class Tree:
    """A reply tree and the one batched read the walk makes (aql/thread_children.aql), counted."""

    def __init__(self, parent: dict[int, int]) -> None:
        self.children: dict[int, list[int]] = {}
        for reply, answered in sorted(parent.items()):
            self.children.setdefault(answered, []).append(reply)
        self.parent = parent
        self.round_trips = 0
        self.ids_read = 0

    def fetch(self, asks: list[tuple[int, int]], n: int) -> list[list[int]]:
        self.round_trips += 1
        found = [[c for c in self.children.get(p, []) if c > after][:n] for p, after in asks]
        self.ids_read += sum(len(f) for f in found)
        return found

    def path(self, anchor: int, node: int) -> list[int]:
        up = [node]
        while self.parent[up[-1]] != anchor:
            up.append(self.parent[up[-1]])
        return up[::-1]


def conversation_order(tree: Tree, anchor: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    stack = [(c, 1) for c in reversed(tree.children.get(anchor, []))]
    while stack:
        node, depth = stack.pop()
        out.append((node, depth))
        stack.extend((c, depth + 1) for c in reversed(tree.children.get(node, [])))
    return out


def all_pages(tree: Tree, anchor: int, limit: int) -> list[tuple[int, int]]:
    """Page by page, each page resumed from its cursor alone (as the API does)."""
    seen: list[tuple[int, int]] = []
    walk = ThreadWalk([Branch(anchor, 1, 0)])
    while True:
        page = walk.page(limit, tree.fetch)
        assert len(page) <= limit
        seen.extend(page)
        if len(page) < limit:
            return seen
        walk = ThreadWalk(resume_branches(anchor, tree.path(anchor, page[-1][0])))


@pytest.mark.parametrize("seed", range(6))
def test_random_trees_page_in_conversation_order(seed: int) -> None:
    rng = random.Random(seed)
    parent: dict[int, int] = {}
    nodes = [1]
    for reply in range(2, 200):
        parent[reply] = rng.choice(nodes[-20:] if rng.random() < 0.5 else nodes)
        nodes.append(reply)
    tree = Tree(parent)
    for anchor in [1, *rng.sample(nodes, 6)]:
        for limit in (1, 2, 5, 17, 500):
            assert all_pages(tree, anchor, limit) == conversation_order(tree, anchor)


def test_a_wide_thread_takes_a_few_round_trips_a_page() -> None:
    tree = Tree({reply: 0 for reply in range(1, 10_001)} | {20_000: 7, 20_001: 20_000})
    walk = ThreadWalk([Branch(0, 1, 0)])
    page = walk.page(50, tree.fetch)
    assert page[:8] == [(1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1), (20_000, 2)]
    assert tree.round_trips <= 4 and tree.ids_read <= 3 * 50
    tree.round_trips = tree.ids_read = 0
    middle = ThreadWalk(resume_branches(0, [4_999])).page(50, tree.fetch)
    assert middle == [(i, 1) for i in range(5_000, 5_050)]
    assert tree.round_trips <= 3 and tree.ids_read <= 3 * 50


def test_a_deep_chain_costs_its_page_not_its_length() -> None:
    tree = Tree({reply: reply - 1 for reply in range(1, 1_001)})
    page = ThreadWalk(resume_branches(0, list(range(1, 701)))).page(5, tree.fetch)
    assert page == [(i, i) for i in range(701, 706)]
    assert tree.round_trips <= 6  # the resumed branches in one round trip, then one per level shown


def test_an_exhausted_walk_ends_the_thread() -> None:
    tree = Tree({1: 0, 2: 1})
    assert ThreadWalk(resume_branches(0, [1, 2])).page(10, tree.fetch) == []
    assert ThreadWalk([Branch(5, 1, 0)]).page(10, tree.fetch) == []


@pytest.mark.parametrize(("words", "prefix_last", "expected"), [
    (["quick", "fox"], False, ("search_words", {"text": "quick fox"})),
    (["quick", "fox"], True, ("search_words_prefix", {"text": "quick", "prefix": "fox"})),
    (["caf"], True, ("search_prefix", {"prefix": "caf"})),
    (["NEAR(x"], True, ("search_words_prefix", {"text": "", "prefix": "NEAR(x"})),
    (["hello", '"'], True, ("search_words", {"text": "hello"})),  # the prefix word has nothing to match
    (['"', "*", "("], False, None),
    ([], False, None),
])
def test_search_query_choice(words: list[str], prefix_last: bool, expected: object) -> None:
    assert search_query(words, prefix_last) == expected
