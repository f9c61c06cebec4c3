"""Store contract: media records, attaching them to barks and avatars, rendering, and the expiry sweep with
reference-counted files (the files themselves are the caller's: barker/media/storage.py)."""

from __future__ import annotations

import itertools

import orjson
import pytest

from barker.errors import Conflict, Invalid, NotFound
from barker.models import Bark, User
from barker.policies import MAX_MEDIA_PER_BARK
from barker.ports.types import MEDIA_DELETE_RETRY_MS, NewMedia, SessionKey

_serial = itertools.count(1)


def fresh_key(ext: str = "jpg") -> str:
    return f"{next(_serial):064x}.{ext}"


def upload(store, ids, owner: int, purpose: str = "post", keys: tuple[str, ...] | None = None,
           created_ms: int = 1_000, description: str | None = None) -> int:
    media_id = ids.next()
    keys = keys or (fresh_key(), fresh_key())
    view = {"id": media_id, "width": 640, "height": 480, "animated": False, "url": f"/media/{keys[0]}",
            "thumbnail_url": f"/media/{keys[-1]}", "original_url": f"/media/{keys[0]}", "description": description}
    store.create_media(NewMedia(media_id, owner, purpose, created_ms, view, keys))  # type: ignore[arg-type]
    return media_id


def post(store, ids, author: int, media: list[int], text: str = "look") -> int:
    return store.post_bark(ids.next(), author, text, None, 10_000, ids.next(), media=media).id


@pytest.fixture
def two(make_user):
    return make_user("alice"), make_user("bob")


def test_an_upload_is_recorded(store, ids, two):
    alice, _ = two
    keys = (fresh_key(), fresh_key("png"))
    media_id = upload(store, ids, alice, keys=keys, created_ms=1234)
    record = store.media(media_id)
    assert (record.id, record.owner, record.purpose, record.state, record.created_ms, record.bark) == (
        media_id, alice, "post", "new", 1234, None)
    assert record.keys == keys and record.view["id"] == media_id and record.view["url"] == f"/media/{keys[0]}"
    assert store.media(424242) is None


def test_attached_media_render_in_order_in_every_bark_view(store, ids, two):
    alice, bob = two
    first, second = upload(store, ids, alice), upload(store, ids, alice)
    bark = post(store, ids, alice, [second, first], text="")
    [view] = store.bark_views([bark], bob)
    Bark.model_validate(view)
    assert [m["id"] for m in view["media"]] == [second, first] and view["text"] == ""
    assert view["media"][0] == store.media(second).view
    assert store.media(first).state == "used" and store.media(first).bark == bark
    # rebarks show the original's media; their own list is empty
    rebark = store.post_bark(ids.next(), bob, None, bark, 10_000, ids.next()).id
    [shared] = store.bark_views([rebark], bob)
    assert shared["media"] == [] and [m["id"] for m in shared["rebark_of"]["media"]] == [second, first]
    # the timeline page (rendered in one query by SQLite) and stream events carry them too
    store.create_token(b"t" * 32, bob, 10**15)
    page = orjson.loads(store.public_page(SessionKey(b"t" * 32, 0), None, 10).body)
    assert [[m["id"] for m in item["media"]] for item in page["items"]] == [[], [second, first]]
    events = store.stream_events(alice, 0, 10).events
    assert [m["id"] for m in events[0]["bark"]["media"]] == [second, first]
    plain = post(store, ids, alice, [])
    assert store.bark_views([plain], None)[0]["media"] == []


@pytest.mark.parametrize(("case", "error", "code"), [
    ("someone else's", NotFound, "media_not_found"),
    ("unknown", NotFound, "media_not_found"),
    ("too many", Invalid, "too_many_media"),
    ("twice", Invalid, "duplicate_media"),
    ("an avatar upload", Invalid, "wrong_media_purpose"),
    ("already attached", Conflict, "media_in_use"),
    ("released", NotFound, "media_not_found"),
])
def test_attaching_is_refused_and_writes_nothing(store, ids, two, case, error, code):
    alice, bob = two
    mine = upload(store, ids, alice)
    wanted = {
        "someone else's": lambda: [mine, upload(store, ids, bob)],
        "unknown": lambda: [mine, 424242],
        "too many": lambda: [upload(store, ids, alice) for _ in range(MAX_MEDIA_PER_BARK + 1)],
        "twice": lambda: [mine, mine],
        "an avatar upload": lambda: [mine, upload(store, ids, alice, "avatar")],
        "already attached": lambda: [mine, _attached(store, ids, alice)],
        "released": lambda: [mine, _released(store, ids, alice)],
    }[case]()
    before = store.user_view(alice, None)["barks_count"]
    states = {m: store.media(m) for m in wanted}
    bark_id = ids.next()
    with pytest.raises(error) as raised:
        store.post_bark(bark_id, alice, "hi", None, 10_000, ids.next(), media=wanted)
    assert raised.value.code == code
    assert store.bark_views([bark_id], None) == [] and store.user_view(alice, None)["barks_count"] == before
    assert {m: store.media(m) for m in wanted} == states
    assert store.media(mine).state == "new"


def _attached(store, ids, owner: int) -> int:
    media_id = upload(store, ids, owner)
    post(store, ids, owner, [media_id])
    return media_id


def _released(store, ids, owner: int) -> int:
    media_id = upload(store, ids, owner)
    store.delete_bark(post(store, ids, owner, [media_id]))
    return media_id


def descriptions(store, bark: int, viewer: int | None = None) -> list[str | None]:
    return [m["description"] for m in store.bark_views([bark], viewer)[0]["media"]]


def test_a_description_is_set_and_changed_before_and_after_attaching(store, ids, two):
    alice, bob = two
    first = upload(store, ids, alice, description="A dog on a beach")
    second, third = upload(store, ids, alice), upload(store, ids, alice)
    assert store.media(first).view["description"] == "A dog on a beach"
    view = store.describe_media(alice, second, "Two cats\nasleep")  # before attaching
    assert view == {**store.media(second).view, "description": "Two cats\nasleep"}
    Bark.model_validate(store.bark_views([post(store, ids, alice, [third])], None)[0])  # none: null
    bark = post(store, ids, alice, [first, second])
    assert descriptions(store, bark, bob) == ["A dog on a beach", "Two cats\nasleep"]
    # after attaching: the bark shows the new one (and keeps its order), wherever it is rendered
    assert store.describe_media(alice, first, "A black dog")["description"] == "A black dog"
    assert store.describe_media(alice, second, None)["description"] is None
    assert descriptions(store, bark, bob) == ["A black dog", None]
    assert [m["id"] for m in store.bark_views([bark], None)[0]["media"]] == [first, second]
    rebark = store.post_bark(ids.next(), bob, None, bark, 10_000, ids.next()).id
    assert [m["description"] for m in store.bark_views([rebark], bob)[0]["rebark_of"]["media"]] == ["A black dog", None]
    store.create_token(b"d" * 32, bob, 10**15)
    page = orjson.loads(store.public_page(SessionKey(b"d" * 32, 0), None, 10).body)
    shown = {item["id"]: [m["description"] for m in item["media"]] for item in page["items"]}
    assert shown[bark] == ["A black dog", None]
    events = [e for e in store.stream_events(alice, 0, 10).events if e["type"] == "bark" and e["bark"]["id"] == bark]
    assert [m["description"] for m in events[0]["bark"]["media"]] == ["A black dog", None]
    assert store.media(first).view["description"] == "A black dog"


@pytest.mark.parametrize("case", ["someone else's", "unknown", "released"])
def test_describing_what_is_not_yours_is_refused_and_changes_nothing(store, ids, two, case):
    alice, bob = two
    theirs = upload(store, ids, bob, description="Bob's")
    bark = post(store, ids, bob, [theirs])
    media_id = {"someone else's": theirs, "unknown": 424242, "released": _released(store, ids, alice)}[case]
    before = store.media(media_id)
    with pytest.raises(NotFound) as raised:
        store.describe_media(alice, media_id, "mine now")
    assert raised.value.code == "media_not_found"
    assert store.media(media_id) == before and descriptions(store, bark) == ["Bob's"]


def test_four_is_the_most(store, ids, two):
    alice, _ = two
    four = [upload(store, ids, alice) for _ in range(MAX_MEDIA_PER_BARK)]
    assert len(store.bark_views([post(store, ids, alice, four)], None)[0]["media"]) == 4


def test_avatars(store, ids, two):
    alice, bob = two
    first, second = upload(store, ids, alice, "avatar"), upload(store, ids, alice, "avatar")
    store.set_avatar(alice, first)
    store.set_avatar(alice, first)  # idempotent
    me = store.user_view(alice, bob)
    User.model_validate(me)
    view = store.media(first).view
    assert (me["avatar_url"], me["avatar_thumbnail_url"]) == (view["url"], view["thumbnail_url"])
    bark = post(store, ids, alice, [])
    assert store.bark_views([bark], bob)[0]["author"]["avatar_url"] == view["url"]
    store.set_avatar(alice, second)  # the first is released
    assert store.media(first).state == "released" and store.media(second).state == "used"
    assert store.user_view(alice, None)["avatar_url"] == store.media(second).view["url"]
    with pytest.raises(NotFound):
        store.set_avatar(alice, first)
    with pytest.raises(NotFound):  # not hers
        store.set_avatar(bob, second)
    with pytest.raises(Invalid) as raised:
        store.set_avatar(alice, upload(store, ids, alice, "post"))
    assert raised.value.code == "wrong_media_purpose"
    assert store.clear_avatar(alice) and not store.clear_avatar(alice)
    assert store.media(second).state == "released"
    cleared = store.user_view(alice, None)
    assert (cleared["avatar_url"], cleared["avatar_thumbnail_url"]) == (None, None)


def test_reaction_events_show_the_reactor_avatar(store, ids, two):
    alice, bob = two
    store.set_avatar(bob, upload(store, ids, bob, "avatar"))
    bark = post(store, ids, alice, [])
    store.add_reaction(bark, bob, "🐶", ids.next())
    [event] = [e for e in store.stream_events(alice, 0, 10).events if e["type"] == "reaction"]
    assert event["user"]["avatar_url"] == store.user_view(bob, None)["avatar_url"] is not None


def test_the_sweep_removes_released_and_old_unattached_media(store, ids, two):
    alice, _ = two
    old = upload(store, ids, alice, created_ms=1_000)
    young = upload(store, ids, alice, created_ms=5_000)
    used = upload(store, ids, alice, created_ms=1_000)
    bark = post(store, ids, alice, [used])
    old_keys = list(store.media(old).keys)
    sweep = store.expire_media(unattached_before_ms=2_000, now_ms=9_000, limit=100)
    assert sweep.removed == 1 and sweep.keys == sorted(old_keys)
    assert store.media(old) is None and store.media(young).state == "new" and store.media(used).state == "used"
    store.media_files_deleted(sweep.keys)
    store.delete_bark(bark)
    used_keys = list(store.media(used).keys)
    sweep = store.expire_media(2_000, 9_000, 100)
    assert sweep.removed == 1 and sweep.keys == sorted(used_keys) and store.media(used) is None
    store.media_files_deleted(sweep.keys)
    assert store.expire_media(2_000, 9_000, 100).removed == 0


def test_a_file_shared_by_identical_uploads_goes_only_with_the_last(store, ids, two):
    alice, bob = two
    shared, own_a, own_b = fresh_key(), fresh_key(), fresh_key()
    a = upload(store, ids, alice, keys=(shared, own_a))
    b = upload(store, ids, bob, keys=(shared, own_b))
    store.set_avatar(bob, upload(store, ids, bob, "avatar", keys=(shared,), created_ms=1_000))
    sweep = store.expire_media(2_000, 9_000, limit=1)  # one record at a time
    assert sweep.removed == 1
    first_gone = a if store.media(a) is None else b
    assert sweep.keys == [own_a if first_gone == a else own_b]
    sweep = store.expire_media(2_000, 9_000, limit=10)
    assert sweep.removed == 1 and sweep.keys == [own_b if first_gone == a else own_a]  # shared: the avatar has it
    store.clear_avatar(bob)
    assert store.expire_media(2_000, 9_000, 10).keys == [shared]


def test_an_upload_waits_while_its_file_is_being_deleted(store, ids, two):
    alice, _ = two
    key = fresh_key()
    upload(store, ids, alice, keys=(key,), created_ms=1_000)
    assert store.expire_media(2_000, 9_000, 10).keys == [key]
    with pytest.raises(Conflict) as raised:  # announced, not confirmed yet: the file may vanish any moment
        upload(store, ids, alice, keys=(key, fresh_key()))
    assert raised.value.code == "media_busy"
    # never confirmed (the deleting process died): announced again once the retry time has passed
    assert store.expire_media(2_000, 9_000 + 1, 10).keys == []
    assert store.expire_media(2_000, 9_000 + MEDIA_DELETE_RETRY_MS + 1, 10).keys == [key]
    store.media_files_deleted([key])
    again = upload(store, ids, alice, keys=(key,), created_ms=50_000)  # a new upload of the same bytes
    assert store.media(again).keys == (key,)
    assert store.expire_media(2_000, 60_000, 10).keys == []  # referenced again: kept
