"""The ArangoDB store's threads part (Threads.thread): a bark with its ancestors and one page of its
descendants. A base of ArangoStore (barker/store/arango.py); semantics are the SQLite store's
(barker/store/sqlite_threads.py, sqlite_sql/threads.py).

The reply tree is the edge collection `replies` (`barks/<reply>` -> `barks/<parent>`, keyed by the reply,
fields {id, parent}, index replies_parent [parent, id]); an edge outlives its bark while replies hang from
it, and a bark missing beside its edge renders as a tombstone.

Why not one AQL traversal: `OPTIONS {order: "dfs"}` visits siblings in edge-index order, not by id, so a
traversal would have to collect the whole subtree and sort it by a path key (a page of a 10,000-reply
thread would read 10,000 edges); and a traversal whose start vertex is a deleted bark returns nothing.
Instead the walk is SQLite's (one entry per depth, deepest first; see sqlite_sql/threads.py), driven from
here over two index-backed queries that read edges only:
- aql/thread_children.aql: for a batch of [parent, after], the next replies of each (index range each).
  Every round trip asks for each branch the walk is about to continue and, speculatively, for the replies
  of the barks about to be shown next (the siblings queued below the top), so a page of n in a wide thread
  takes two or three round trips; going down a chain of unseen replies takes one per level (a page of n
  in a 1,000-long chain: n round trips, each one index probe). Each answer holds at most n ids per ask.
- aql/reply_path_up.aql: eight steps up per round trip (primary-index look-ups of edges), for the
  ancestors (at most policies.MAX_THREAD_ANCESTORS) and for the path from a cursor up to the bark.
So a page costs in proportion to its size and the depth of `after`, never to the size of the thread.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from barker.errors import Invalid, NotFound
from barker.policies import MAX_THREAD_ANCESTORS
from barker.ports.types import BarkView, ThreadView
from barker.store.arango_base import ArangoBase
from barker.store.arango_support import key

if TYPE_CHECKING:
    from barker.store.arango_safety import HiddenUsers

# fetch(asks, n): for each (parent, after), the ids of up to n replies to parent above after, in id order.
FetchChildren = Callable[[list[tuple[int, int]], int], list[list[int]]]


@dataclass
class Branch:
    """One depth of the walk: the replies to `parent` (at `depth`) still to show, above `after`."""

    parent: int
    depth: int
    after: int
    queued: deque[int] | None = None  # fetched, not yet shown (None: not fetched yet)


@dataclass
class ThreadWalk:
    """Depth-first, each branch oldest first, from a stack of branches (deepest last)."""

    branches: list[Branch]
    prefetched: dict[int, list[int]] = field(default_factory=dict)  # a bark's first replies, asked ahead

    def page(self, limit: int, fetch: FetchChildren) -> list[tuple[int, int]]:
        """The next `limit` (id, depth) in conversation order."""
        out: list[tuple[int, int]] = []
        while self.branches and len(out) < limit:
            top = self.branches[-1]
            if top.queued is None:
                self._fetch(limit - len(out), fetch)
            elif not top.queued:
                self.branches.pop()
            else:
                reply = top.queued.popleft()
                out.append((reply, top.depth))
                top.after = reply
                known = self.prefetched.pop(reply, None)
                self.branches.append(Branch(reply, top.depth + 1, 0, None if known is None else deque(known)))
        return out

    def _fetch(self, n: int, fetch: FetchChildren) -> None:
        """One round trip: every branch not fetched yet, and the first replies of the barks queued just
        below the top (shown next, each then a branch of its own). At most n per ask is enough: taking n
        from one ask fills the page, and n only shrinks."""
        wanted = [b for b in self.branches if b.queued is None]
        below = self.branches[-2].queued if len(self.branches) > 1 else None
        ahead = [r for r in list(below or ())[:n] if r not in self.prefetched]
        found = fetch([(b.parent, b.after) for b in wanted] + [(r, 0) for r in ahead], n)
        for branch, replies in zip(wanted, found, strict=False):
            branch.queued = deque(replies)
        for reply, replies in zip(ahead, found[len(wanted):], strict=False):
            self.prefetched[reply] = replies


def tombstone(bark_id: int) -> BarkView:
    """A deleted bark that replies still hang from: it keeps its place in the thread."""
    return {"id": bark_id, "deleted": True}


def by_any_of(view: BarkView, users: set[int]) -> bool:
    """Whether a rendered bark is by one of `users` or rebarks a bark by one of them."""
    original = view.get("rebark_of")
    return view["author"]["id"] in users or (original is not None and original["author"]["id"] in users)


def resume_branches(bark_id: int, path: Sequence[int]) -> list[Branch]:
    """The walk as it stood when the last of `path` was shown: `path` runs from a direct reply of the bark
    down to the cursor. Each bark on it continues with its next sibling, the cursor with its first reply."""
    parents = [bark_id, *path]
    branches = [Branch(parents[i], i + 1, path[i]) for i in range(len(path))]
    branches.append(Branch(path[-1], len(path) + 1, 0))
    return branches


class ArangoThreads(ArangoBase):
    """Mixed into ArangoStore; see the Threads protocol for the contract."""

    if TYPE_CHECKING:  # ArangoStore's, which this part is mixed into
        def bark_views(self, bark_ids: Sequence[int], viewer: int | None) -> list[BarkView]: ...

        def hidden_users(self, viewer: int | None) -> HiddenUsers: ...

    def thread(self, bark_id: int, viewer: int | None, after: int | None, limit: int) -> ThreadView:
        shown = self.bark_views([bark_id], viewer)
        if not shown:
            raise NotFound("no such bark")
        bark = shown[0]
        if after is None:
            walk = ThreadWalk([Branch(bark_id, 1, 0)])
        else:
            path = self._path_down_to(bark_id, after)
            if path is None:
                raise Invalid("after is not a reply in this thread", code="bad_cursor")
            walk = ThreadWalk(resume_branches(bark_id, path))
        found = walk.page(limit, self._children)
        ancestors = [parent for _, parent in self._walk_up(bark_id, MAX_THREAD_ANCESTORS)][::-1]
        views = {v["id"]: v for v in self.bark_views(list({*ancestors, *(i for i, _ in found)}), viewer)}
        # Around the bark, what is hidden from the viewer shows as a deleted bark does: bark_views leaves out
        # the unseen ones; the muted authors' go here (the bark itself was asked for: a mute does not hide it).
        hidden = set(self.hidden_users(viewer).hidden) if viewer is not None and views else set()
        views = {i: v for i, v in views.items() if not by_any_of(v, hidden)}
        descendants: list[BarkView] = [{**views[i], "depth": d} if i in views else {**tombstone(i), "depth": d}
                                       for i, d in found]
        return ThreadView([views.get(i) or tombstone(i) for i in ancestors], bark, descendants,
                          found[-1][0] if len(found) >= limit else None)

    def _children(self, asks: list[tuple[int, int]], n: int) -> list[list[int]]:
        if not asks:
            return []
        rows = self._aql("thread_children", asks=[[parent, after] for parent, after in asks], n=n)
        return [[int(i) for i in ids] for ids in rows]

    def _walk_up(self, reply: int, steps: int, stop: int | None = None) -> list[tuple[int, int]]:
        """(reply, parent) edges from `reply` upwards, nearest first: at most `steps`, ending early at the
        edge whose parent is `stop` or at the root."""
        edges: list[tuple[int, int]] = []
        node = reply
        while len(edges) < steps:
            found = [(int(r), int(p)) for r, p in self._aql("reply_path_up", key=key(node))]
            for edge in found:
                edges.append(edge)
                if edge[1] == stop or len(edges) >= steps:
                    return edges
            if len(found) < 8:  # the root: nothing above
                return edges
            node = found[-1][1]
        return edges

    def _path_down_to(self, bark_id: int, after: int) -> list[int] | None:
        """The replies from a direct reply of the bark down to `after`, or None if `after` is not below it
        (another thread, the bark itself, an ancestor, no such reply). Walks up to the root at worst."""
        edges = self._walk_up(after, 2**31, stop=bark_id)
        if not edges or edges[-1][1] != bark_id:
            return None
        return [r for r, _ in edges][::-1]
