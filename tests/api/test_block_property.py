"""Property: a block hides each party from every list the other can read. On random small networks (four
people sharing locations, following, barking with tags, words, mentions and replies, reacting, rebarking), one
blocks another, everyone goes on acting (what the block forbids is refused), and then each party reads every
list the API offers them: timelines (home, public, a tag, the third parties' profiles), bark search, every
thread, suggestions, nearby, people search, followers and following lists, the stream and notifications.
No user object of the other party may appear anywhere in those answers, and the other's own barks and
profile timeline are unavailable. (Only the text of a third person's bark may still name them: an @mention
written before the block, as on Mastodon.)

The API is driven over HTTP (FastAPI's test client) on the real SQLite store, so every layer's share of the
rule is covered: the store's reads, the services' 403/404 answers, and the rendering."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.app import create_app
from tests.api.conftest import Http, User
from tests.conftest import make_settings

PEOPLE = ("pann", "pbob", "pcyd", "pdee")  # the first two are the pair; the others are third parties
PLACES = ((52.52, 13.405), (52.53, 13.41), (52.51, 13.39), (52.50, 13.42))  # a few km apart: all nearby
NOT_SHOWN = {"mentions", "entities"}  # what a bark's text says (an @mention made before the block)

person = st.integers(0, len(PEOPLE) - 1)
act = st.one_of(
    st.tuples(st.just("follow"), person, person),
    st.tuples(st.just("bark"), person, st.integers(0, 7)),  # bits: tag, word, mention the next person
    st.tuples(st.just("reply"), person, st.integers(0, 40)),
    st.tuples(st.just("react"), person, st.integers(0, 40)),
    st.tuples(st.just("rebark"), person, st.integers(0, 40)),
)
acts = st.lists(act, max_size=25)


def run(http: Http, users: list[User], barks: list[int], step: tuple[str, int, int]) -> None:
    """One act, as the API answers it: refused (403) across the block, else done."""
    kind, who, arg = step
    user = users[who]
    if kind == "follow":
        if arg != who:
            http.client.put(f"/v1/me/following/{PEOPLE[arg]}", headers=user.headers)
    elif kind == "bark":
        words = ["hello", "#topic" if arg & 1 else "", "zebra" if arg & 2 else "",
                 f"@{PEOPLE[(who + 1) % len(PEOPLE)]}" if arg & 4 else ""]
        resp = http.client.post("/v1/barks", headers=user.headers, json={"text": " ".join(w for w in words if w)})
        barks.append(resp.json()["id"])
    elif barks:
        bark = barks[arg % len(barks)]
        if kind == "reply":
            resp = http.client.post("/v1/barks", headers=user.headers, json={"text": "re zebra #topic",
                                                                             "reply_to": bark})
            if resp.status_code == 201:
                barks.append(resp.json()["id"])
        elif kind == "react":
            http.client.post(f"/v1/barks/{bark}/reactions", headers=user.headers, json={"emoji": "🐶"})
        else:
            http.client.put(f"/v1/barks/{bark}/rebark", headers=user.headers)


def user_objects(value: Any, key: str = "") -> Iterator[dict[str, Any]]:
    """Every user object (anything with an id and a handle) in an answer, outside the text's entities."""
    if key in NOT_SHOWN:
        return
    if isinstance(value, dict):
        if "id" in value and "handle" in value:
            yield value
        for k, v in value.items():
            yield from user_objects(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from user_objects(item, key)


def readable(http: Http, viewer: User, everyone: list[User]) -> dict[str, Any]:
    """Every list `viewer` can read, by name."""
    get = http.get
    lists: dict[str, Any] = {
        "home": get("/v1/timelines/home?limit=100", viewer),
        "public": get("/v1/timelines/public?limit=100", viewer),
        "tag": get("/v1/tags/topic/barks?limit=100", viewer),
        "search": get("/v1/barks/search?q=zebra&limit=100", viewer),
        "people search": get("/v1/users/search?q=p&limit=100", viewer),
        "suggestions": get("/v1/suggestions", viewer),
        "nearby": get("/v1/users/nearby", viewer),
        "stream": get("/v1/stream/events?after=0&limit=100", viewer),
        "notifications": get("/v1/notifications?limit=100", viewer),
    }
    for user in everyone:
        lists[f"followers of {user.handle}"] = get(f"/v1/users/{user.handle}/followers?limit=100", viewer)
        lists[f"following of {user.handle}"] = get(f"/v1/users/{user.handle}/following?limit=100", viewer)
    for bark in lists["public"]["items"]:
        lists[f"thread of {bark['id']}"] = get(f"/v1/barks/{bark['id']}/thread?limit=100", viewer)
    return lists


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=acts, after=acts, blocker=st.integers(0, 1))
def test_a_block_hides_each_party_from_every_list_the_other_reads(tmp_path_factory: Any, before: list, after: list,
                                                                   blocker: int) -> None:
    directory: Path = tmp_path_factory.mktemp("block")
    with TestClient(create_app(make_settings(directory))) as client:
        http = Http(client)
        users = [http.sign_up(handle) for handle in PEOPLE]
        for user, (lat, lon) in zip(users, PLACES, strict=True):
            http.put("/v1/me/location", user, json={"lat": lat, "lon": lon})
        barks: list[int] = []
        for step in before:
            run(http, users, barks, step)
        third = http.bark(users[2], "a third party's zebra #topic")  # something every reader must see
        http.put(f"/v1/me/blocks/{PEOPLE[1 - blocker]}", users[blocker])
        for step in after:
            run(http, users, barks, step)
        for viewer, other in ((users[0], users[1]), (users[1], users[0])):
            lists = readable(http, viewer, users)
            assert third["id"] in [b["id"] for b in lists["public"]["items"]]  # the reads are not simply empty
            for name, answer in lists.items():
                leaked = [u for u in user_objects(answer) if u["id"] == other.id]
                if name == "suggestions":  # "followed by A, B": handles
                    leaked += [s for s in answer["items"] if other.handle in s["followed_by"]]
                assert not leaked, f"{viewer.handle} sees {other.handle} in {name}: {answer}"
            profile = http.get(f"/v1/users/{other.handle}", viewer)
            assert (profile["blocking"], profile["blocked_by"]) == (viewer is users[blocker],
                                                                   viewer is not users[blocker])
            code = "blocking" if viewer is users[blocker] else "unavailable"
            status = 403 if viewer is users[blocker] else 404
            http.get(f"/v1/users/{other.handle}/barks", viewer, status=status, code=code)
            for bark in http.get(f"/v1/users/{other.handle}/barks", users[2])["items"]:
                if bark["rebark_of"] is None:
                    http.get(f"/v1/barks/{bark['id']}", viewer, status=404)
