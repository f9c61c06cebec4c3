"""Store contract: bookmarks (issue 18): idempotent, a rebark bookmarks its original, newest bookmarked
first, private to their owner, gone with their bark."""

from __future__ import annotations

import pytest

from barker.errors import NotFound


@pytest.fixture
def three(make_user):
    return make_user("alice"), make_user("bob"), make_user("carol")


def post(store, ids, author, text="hello"):
    return store.post_bark(ids.next(), author, text, None, 10_000, ids.next()).id


def bookmarked(store, bark, viewer):
    [found] = store.bark_views([bark], viewer)
    return found["bookmarked"]


def test_bookmarks_are_newest_bookmarked_first_and_page(store, ids, three):
    alice, bob, _ = three
    barks = [post(store, ids, alice, f"bark {i}") for i in range(4)]
    marks = []
    for bark in (barks[2], barks[0], barks[3], barks[1]):  # bookmarked in another order than posted
        assert store.add_bookmark(bob, bark, ids.next()) == bark
        marks.append(bark)
    page = store.bookmark_page(bob, None, 10)
    assert [bark for _, bark in page] == marks[::-1]
    assert [cursor for cursor, _ in page] == sorted((cursor for cursor, _ in page), reverse=True)
    first = store.bookmark_page(bob, None, 3)
    assert [bark for _, bark in first] == marks[:0:-1]
    assert [bark for _, bark in store.bookmark_page(bob, first[-1][0], 3)] == marks[:1]


def test_bookmark_is_idempotent_and_keeps_its_place(store, ids, three):
    alice, bob, _ = three
    one, two = post(store, ids, alice), post(store, ids, alice)
    store.add_bookmark(bob, one, ids.next())
    store.add_bookmark(bob, two, ids.next())
    before = store.bookmark_page(bob, None, 10)
    store.add_bookmark(bob, one, ids.next())  # again: it stays where it was
    assert store.bookmark_page(bob, None, 10) == before
    store.remove_bookmark(bob, one)
    store.remove_bookmark(bob, one)
    assert [bark for _, bark in store.bookmark_page(bob, None, 10)] == [two]


def test_bookmarks_are_private(store, ids, three):
    alice, bob, carol = three
    bark = post(store, ids, alice)
    store.add_bookmark(bob, bark, ids.next())
    assert bookmarked(store, bark, bob) is True
    assert bookmarked(store, bark, alice) is False
    assert bookmarked(store, bark, carol) is False
    assert bookmarked(store, bark, None) is False
    assert store.bookmark_page(carol, None, 10) == []
    assert store.bookmark_page(alice, None, 10) == []


def test_a_rebark_bookmarks_its_original(store, ids, three):
    alice, bob, carol = three
    bark = post(store, ids, alice)
    rebark = store.post_bark(ids.next(), carol, None, bark, 10_000, ids.next()).id
    assert store.add_bookmark(bob, rebark, ids.next()) == bark
    assert [b for _, b in store.bookmark_page(bob, None, 10)] == [bark]
    store.remove_bookmark(bob, rebark)  # through the rebark too
    assert store.bookmark_page(bob, None, 10) == []


def test_unknown_bark_is_not_found_and_writes_nothing(store, ids, three):
    alice, bob, _ = three
    gone = post(store, ids, alice)
    store.delete_bark(gone)
    for bark in (gone, 10**12):
        with pytest.raises(NotFound):
            store.add_bookmark(bob, bark, ids.next())
        store.remove_bookmark(bob, bark)  # idempotent: nothing to remove
    assert store.bookmark_page(bob, None, 10) == []


def test_deleting_a_bark_removes_its_bookmarks(store, ids, three):
    alice, bob, carol = three
    kept, gone = post(store, ids, alice), post(store, ids, alice)
    for user in (bob, carol):
        store.add_bookmark(user, kept, ids.next())
        store.add_bookmark(user, gone, ids.next())
    store.delete_bark(gone)
    for user in (bob, carol):
        assert [b for _, b in store.bookmark_page(user, None, 10)] == [kept]
