"""Store contract: a bark's thread (Threads.thread). Ancestors oldest first up to the root (the nearest
MAX_THREAD_ANCESTORS), descendants depth-first with each branch oldest first and their depth, paged by the
last descendant's id, deleted barks that replies hang from as tombstones. Checked against a plain-Python
walk of the same tree, on random trees and on the two extreme shapes (very wide, very deep)."""

from __future__ import annotations

import random

import pytest

from barker.errors import Invalid, NotFound
from barker.models import Thread
from barker.policies import MAX_THREAD_ANCESTORS
from barker.ports.types import BarkContent


def post(store, ids, author, reply_to=None):
    return store.post_bark(ids.next(), author, "t", None, 10_000, ids.next(),
                           content=BarkContent(reply_to=reply_to)).id


def conversation_order(children: dict[int, list[int]], anchor: int) -> list[tuple[int, int]]:
    """(id, depth) of the anchor's descendants, depth-first, each branch oldest first: the reference."""
    out: list[tuple[int, int]] = []
    stack = [(child, 1) for child in reversed(sorted(children.get(anchor, [])))]
    while stack:
        node, depth = stack.pop()
        out.append((node, depth))
        stack.extend((child, depth + 1) for child in reversed(sorted(children.get(node, []))))
    return out


def all_pages(store, anchor, limit, viewer=None) -> list[tuple[int, int]]:
    """Every descendant of the anchor, page by page, checking each page's shape and cursor."""
    seen: list[tuple[int, int]] = []
    after = None
    while True:
        view = store.thread(anchor, viewer, after, limit)
        Thread.model_validate({"ancestors": view.ancestors, "bark": view.bark, "descendants": view.descendants,
                               "next_after": view.next_after})
        assert len(view.descendants) <= limit
        seen.extend((d["id"], d["depth"]) for d in view.descendants)
        if view.next_after is None:
            assert len(view.descendants) < limit
            return seen
        assert view.next_after == view.descendants[-1]["id"]
        after = view.next_after


def random_tree(store, ids, users, rng, size):
    """A random reply tree under one root: each reply answers a random earlier bark of the tree."""
    root = post(store, ids, users[0])
    nodes, children = [root], {}
    for _ in range(size):
        parent = rng.choice(nodes)
        reply = post(store, ids, rng.choice(users), parent)
        children.setdefault(parent, []).append(reply)
        nodes.append(reply)
    return root, nodes, children


@pytest.fixture
def users(make_user):
    return [make_user("alice"), make_user("bob"), make_user("carol")]


@pytest.mark.parametrize("seed", range(4))
def test_random_trees_page_in_conversation_order(store, ids, users, seed):
    rng = random.Random(seed)
    root, nodes, children = random_tree(store, ids, users, rng, 40)
    for anchor in [root, *rng.sample(nodes, 5)]:
        expected = conversation_order(children, anchor)
        for limit in (1, 3, 7, 100):
            assert all_pages(store, anchor, limit) == expected


def test_ancestors_oldest_first_and_the_bark_itself(store, ids, users):
    alice, bob, carol = users
    root = post(store, ids, alice)
    a = post(store, ids, bob, root)
    b = post(store, ids, carol, a)
    post(store, ids, alice, root)  # a sibling branch: not an ancestor
    view = store.thread(b, bob, None, 10)
    assert [x["id"] for x in view.ancestors] == [root, a]
    assert view.bark["id"] == b and view.bark["reply_to"]["id"] == a
    assert view.descendants == [] and view.next_after is None
    assert store.thread(root, None, None, 10).ancestors == []


def test_deleted_barks_with_replies_are_tombstones_and_leaves_vanish(store, ids, users):
    alice, bob, _ = users
    root = post(store, ids, alice)
    middle = post(store, ids, bob, root)
    leaf = post(store, ids, alice, middle)
    lonely = post(store, ids, bob, root)
    store.delete_bark(middle)
    store.delete_bark(lonely)
    below = store.thread(root, None, None, 10).descendants
    assert below[0] == {"id": middle, "deleted": True, "depth": 1}
    assert [(d["id"], d["depth"]) for d in below[1:]] == [(leaf, 2)]
    assert store.thread(leaf, None, None, 10).ancestors[1] == {"id": middle, "deleted": True}
    store.delete_bark(root)  # the root too: it is a tombstone above the leaf
    assert store.thread(leaf, None, None, 10).ancestors == [{"id": root, "deleted": True},
                                                            {"id": middle, "deleted": True}]
    store.delete_bark(leaf)  # nothing hangs from the tombstones any more: the tree is pruned
    assert store._reader().execute("SELECT count(*) FROM replies WHERE id IN (?, ?)", (middle, leaf)).fetchone()[0] == 0


def test_the_viewer_sees_their_own_state(store, ids, users):
    alice, bob, _ = users
    root = post(store, ids, alice)
    reply = post(store, ids, bob, root)
    store.add_reaction(reply, alice, "🐶", ids.next())
    [mine] = store.thread(root, alice, None, 10).descendants
    [theirs] = store.thread(root, bob, None, 10).descendants
    assert (mine["id"], mine["my_reactions"], theirs["my_reactions"]) == (reply, ["🐶"], [])


def test_unknown_or_deleted_bark_is_not_found(store, ids, users):
    alice, bob, _ = users
    root = post(store, ids, alice)
    post(store, ids, bob, root)
    store.delete_bark(root)  # a tombstone in the tree, but no bark to show a thread of
    for missing in (root, 10**12):
        with pytest.raises(NotFound):
            store.thread(missing, None, None, 10)


def test_a_cursor_from_elsewhere_is_refused(store, ids, users):
    alice, bob, _ = users
    root = post(store, ids, alice)
    a = post(store, ids, bob, root)
    other_root = post(store, ids, bob)
    elsewhere = post(store, ids, alice, other_root)
    for bad in (elsewhere, root, other_root, a + 10**9):  # another thread, the bark itself, no such reply
        with pytest.raises(Invalid) as refused:
            store.thread(a if bad == root else root, None, bad, 10)
        assert refused.value.code == "bad_cursor"
    with pytest.raises(Invalid):
        store.thread(a, None, root, 10)  # an ancestor is not below the bark


def test_a_wide_thread_pages_through_ten_thousand_replies(store, ids, users):
    alice, bob, _ = users
    root = post(store, ids, alice)
    replies = [post(store, ids, bob, root) for _ in range(10_000)]
    first = store.thread(root, None, None, 50)
    assert [d["id"] for d in first.descendants] == replies[:50]
    assert {d["depth"] for d in first.descendants} == {1}
    middle = store.thread(root, None, replies[4_999], 50)
    assert [d["id"] for d in middle.descendants] == replies[5_000:5_050]
    last = store.thread(root, None, replies[-21], 50)
    assert [d["id"] for d in last.descendants] == replies[-20:] and last.next_after is None
    assert store.thread(root, None, None, 1).bark["reply_count"] == 10_000


def test_a_deep_thread_pages_down_a_thousand_long_chain(store, ids, users):
    alice, bob, _ = users
    chain = [post(store, ids, alice)]
    for i in range(1_000):
        chain.append(post(store, ids, (alice, bob)[i % 2], chain[-1]))
    assert all_pages(store, chain[0], 100) == [(bark, depth) for depth, bark in enumerate(chain[1:], 1)]
    resumed = store.thread(chain[0], None, chain[700], 5).descendants
    assert [(d["id"], d["depth"]) for d in resumed] == [(chain[i], i) for i in range(701, 706)]
    leaf = store.thread(chain[-1], None, None, 10)
    # The nearest ancestors, oldest first: the first shown still answers a bark, whose thread goes on up.
    assert [a["id"] for a in leaf.ancestors] == chain[-1 - MAX_THREAD_ANCESTORS:-1]
    assert leaf.ancestors[0]["reply_to"]["id"] == chain[-2 - MAX_THREAD_ANCESTORS]
    middle = store.thread(chain[500], None, None, 3)
    assert [(d["id"], d["depth"]) for d in middle.descendants] == [(chain[501], 1), (chain[502], 2), (chain[503], 3)]
