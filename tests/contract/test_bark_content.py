"""Store contract: what a bark's text refers to (issue 18's foundation): the bark it answers, its mentions,
tags and entities, stored with the bark and rendered into every view of it; and what deleting it undoes."""

from __future__ import annotations

import pytest

from barker.errors import NotFound
from barker.models import Bark
from barker.ports.types import NO_CONTENT, BarkContent


@pytest.fixture
def three(make_user):
    return make_user("alice"), make_user("bob"), make_user("carol")


def post(store, ids, author, text="hello", content=NO_CONTENT):
    return store.post_bark(ids.next(), author, text, None, 10_000, ids.next(), content=content).id


def view(store, bark, viewer=None):
    [found] = store.bark_views([bark], viewer)
    Bark.model_validate(found)
    return found


def test_plain_bark_renders_no_conversation(store, ids, three):
    alice, _, _ = three
    found = view(store, post(store, ids, alice))
    assert (found["reply_to"], found["reply_count"], found["mentions"], found["tags"], found["entities"],
            found["bookmarked"]) == (None, 0, [], [], [], False)


def test_reply_renders_what_it_answers_and_counts(store, ids, three):
    alice, bob, _ = three
    root = post(store, ids, alice, "root")
    reply = post(store, ids, bob, "re", BarkContent(reply_to=root))
    found = view(store, reply, alice)
    assert found["reply_to"]["id"] == root and found["reply_to"]["author"]["handle"] == "alice"
    assert view(store, root)["reply_count"] == 1
    store.delete_bark(reply)
    assert view(store, root)["reply_count"] == 0


def test_reply_to_a_rebark_answers_the_original(store, ids, three):
    alice, bob, carol = three
    root = post(store, ids, alice, "root")
    rebark = store.post_bark(ids.next(), bob, None, root, 10_000, ids.next()).id
    reply = post(store, ids, carol, "re", BarkContent(reply_to=rebark))
    assert view(store, reply)["reply_to"]["id"] == root
    assert view(store, root)["reply_count"] == 1


def test_reply_to_unknown_or_deleted_is_not_found_and_writes_nothing(store, ids, three):
    alice, bob, _ = three
    gone = post(store, ids, alice, "soon gone")
    store.delete_bark(gone)
    for parent in (gone, 10**12):
        with pytest.raises(NotFound) as refused:
            post(store, ids, bob, "re", BarkContent(reply_to=parent))
        assert refused.value.code == "reply_to_not_found"
    assert store.user_view(bob, None)["barks_count"] == 0


def test_deleted_parent_renders_null_author_and_keeps_the_reply(store, ids, three):
    alice, bob, _ = three
    root = post(store, ids, alice, "root")
    reply = post(store, ids, bob, "re", BarkContent(reply_to=root))
    store.delete_bark(root)
    found = view(store, reply)
    assert found["reply_to"] == {"id": root, "author": None}


def test_mentions_tags_and_entities_render_as_stored(store, ids, three):
    alice, bob, carol = three
    entities = ({"type": "mention", "start": 0, "end": 6, "user_id": carol, "handle": "Carol"},
                {"type": "mention", "start": 7, "end": 11, "user_id": bob, "handle": "bob"},
                {"type": "tag", "start": 12, "end": 17, "tag": "café"})
    bark = post(store, ids, alice, "@Carol @bob #Café", BarkContent(
        mentions=(carol, bob), tags=("café",), entities=entities))
    found = view(store, bark, bob)
    assert [m["handle"] for m in found["mentions"]] == ["carol", "bob"]  # first-mentioned first
    assert found["tags"] == ["café"]
    assert found["entities"] == list(entities)


def test_user_ids_by_handles(store, three):
    alice, _, carol = three
    assert store.user_ids_by_handles(["alice", "carol", "nobody"]) == {"alice": alice, "carol": carol}
    assert store.user_ids_by_handles([]) == {}
