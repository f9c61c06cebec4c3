"""Nearby users are exactly the first k findable users by (rounded km between cell centres, id): checked
against a brute-force ranking with geopy's great_circle on random points snapped to H3 cells, including the
antimeridian, the poles, duplicates (ties), whole buckets of equal rounded distance, every visibility
setting and k larger than the number of located users."""

from __future__ import annotations

from pathlib import Path

from geopy.distance import great_circle
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from barker.discoverability import Relation, may_find
from barker.geo import rounded_km, snap
from barker.ids import IdGenerator
from barker.ports.store import Store
from barker.ports.types import NewUser
from barker.store.sqlite import SqliteStore

TOLERANCE_KM = 1e-6
EVERYONE = 20_100

lat = st.one_of(st.floats(-90, 90), st.sampled_from([90.0, -90.0, 89.9999, -89.9999, 0.0]))
lon = st.one_of(st.floats(-180, 180), st.sampled_from([180.0, -180.0, 179.9999, -179.9999, 0.0]))
point = st.tuples(lat, lon)
visibility = st.sampled_from(["everyone", "followers", "nobody"])


def centre(p: tuple[float, float]) -> tuple[float, float]:
    cell = snap(*p, 7)
    return cell.lat, cell.lon


def place_users(store: Store, ids: IdGenerator, me: tuple[float, float], named: dict[str, tuple[float, float]],
                visibilities: dict[str, str] | None = None, followed: frozenset[str] = frozenset(),
                me_handle: str = "me", followers: frozenset[str] = frozenset()
                ) -> tuple[int, dict[int, tuple[float, float]], dict[int, bool]]:
    """"me" and the named users at their points (with their visibility; me following `followed`, and
    `followers` following me); returns
    (my id, {id: point}, {id: may I find them})."""
    visibilities = visibilities or {}
    me_id = ids.next()
    store.create_user(NewUser(me_id, me_handle, me_handle, "Me", "", "x"))
    store.set_location(me_id, snap(*me, 7), None, 1)
    points, findable = {}, {}
    for name, p in named.items():
        uid = ids.next()
        store.create_user(NewUser(uid, name, name, name, "", "x"))
        store.set_location(uid, snap(*p, 7), visibilities.get(name), 1)
        if name in followed:
            store.follow(me_id, uid, ids.next(), ids.next())
        if name in followers:
            store.follow(uid, me_id, ids.next(), ids.next())
        points[uid] = p
        findable[uid] = may_find(visibilities.get(name, "everyone"),
                                 Relation(seeker_follows=name in followed, followed_back=name in followers))
    return me_id, points, findable


def located_store(path: Path, me: tuple[float, float], named: dict[str, tuple[float, float]],
                  visibilities: dict[str, str] | None = None, followed: frozenset[str] = frozenset(),
                  followers: frozenset[str] = frozenset()
                  ) -> tuple[SqliteStore, int, dict[int, tuple[float, float]], dict[int, bool]]:
    store = SqliteStore(path)
    with store.bulk():
        me_id, points, findable = place_users(store, IdGenerator(4), me, named, visibilities, followed,
                                              followers=followers)
    return store, me_id, points, findable


def check(found: list[tuple[int, float]], me: tuple[float, float], points: dict[int, tuple[float, float]],
          k: int, max_km: int, findable: dict[int, bool] | None = None) -> None:
    """found must be exactly the first k of the reference order (rounded km between cell centres, id) among
    findable users within max_km (rounded), with each km the distance between the two cell centres."""
    here = centre(me)
    exact = {uid: great_circle(here, centre(p)).km for uid, p in points.items()
             if findable is None or findable[uid]}
    truth = sorted((rounded_km(km), uid) for uid, km in exact.items() if rounded_km(km) <= max_km)
    # a distance within float noise of a whole km may round either way: only those may differ
    shaky = {uid for uid, km in exact.items() if abs(km - round(km)) < TOLERANCE_KM}
    got = [uid for uid, _ in found]
    want = [uid for _, uid in truth[:k]]
    if not shaky:
        assert got == want
    else:
        assert len(set(got) ^ set(want)) <= 2 * len(shaky)
    for uid, km in found:
        assert abs(km - exact[uid]) < TOLERANCE_KM


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(me=(0.0, 179.9999), others=[(0.0, -179.9999), (0.0, 170.0)], k=1, max_km=EVERYONE,
         visibilities=[], followed=[], followers=[])  # antimeridian
@example(me=(89.9999, 0.0), others=[(89.9999, 180.0), (80.0, 0.0)], k=1, max_km=EVERYONE,
         visibilities=[], followed=[], followers=[])  # across the pole
@example(me=(10.0, 10.0), others=[(11.0, 10.0), (11.0, 10.0), (9.0, 10.0)], k=2, max_km=EVERYONE,
         visibilities=[], followed=[], followers=[])  # ties
@example(me=(52.5, 13.4), others=[(52.5 + i * 0.002, 13.4 + i * 0.003) for i in range(30)], k=3, max_km=EVERYONE,
         visibilities=["everyone", "followers", "nobody"] * 10, followed=list(range(0, 30, 4)),
         followers=list(range(0, 30, 3)))  # one bucket
@given(me=point, others=st.lists(point, max_size=60), k=st.integers(1, 20),
       max_km=st.one_of(st.just(EVERYONE), st.integers(1, 20_100)),
       visibilities=st.lists(visibility, max_size=60), followed=st.lists(st.integers(0, 59), max_size=20),
       followers=st.lists(st.integers(0, 59), max_size=20))
def test_nearest_users_match_brute_force(tmp_path_factory, me, others, k, max_km, visibilities, followed,
                                         followers):
    names = {f"u{i}": p for i, p in enumerate(others)}
    store, me_id, points, findable = located_store(
        Path(tmp_path_factory.mktemp("geo")) / "g.db", me, names,
        {f"u{i}": v for i, v in enumerate(visibilities) if i < len(others)},
        frozenset(f"u{i}" for i in followed if i < len(others)),
        frozenset(f"u{i}" for i in followers if i < len(others)))
    try:
        check(store.nearest_users(me_id, k, max_km), me, points, k, max_km, findable)
    finally:
        store.close()


def test_clustered_and_sparse_users(tmp_path):
    """Many users in one city and a few far away: the search grows past the cluster when it must."""
    cluster = {f"c{i}": (52.5 + (i % 20) * 0.001, 13.4 + (i // 20) * 0.001) for i in range(500)}  # Berlin
    # me in Sydney, far from the cluster; "far" in Wellington is my nearest
    store, me, points, _ = located_store(tmp_path / "c.db", (-33.0, 151.0), {**cluster, "far": (-41.3, 174.8)})
    far = max(points)
    for k in (1, 5, 600):
        check(store.nearest_users(me, k, EVERYONE), (-33.0, 151.0), points, k, EVERYONE)
    assert store.nearest_users(me, 1, EVERYONE)[0][0] == far
    assert store.nearest_users(me, 10, 100) == []
    store.close()


def test_a_nearer_user_just_outside_the_first_search_cube_wins(tmp_path):
    """The search box is a cube; a user in its corner can be farther than one just outside a face. The
    cube's half-side grows 0.00016, 0.00047, ... 0.0381, 0.1144 (chord): in the 0.1144 round, A sits in
    its corner (y = z = 0.11, chord 0.156) and B just beyond a face (y = 0.12, chord 0.120). B is nearer
    and must be the answer."""
    antipodes = {f"f{i}": (-1 + (i % 40) * 0.05, 179 - (i // 40) * 0.05) for i in range(1000)}
    store, me, points, _ = located_store(tmp_path / "cube.db", (0.0, 0.0),
                                         {"a": (6.3153, 6.3540), "b": (0.0, 6.8921), **antipodes})
    [(nearest, _)] = store.nearest_users(me, 1, EVERYONE)
    assert store.user_view(nearest, None)["handle"] == "b"
    check(store.nearest_users(me, 3, EVERYONE), (0.0, 0.0), points, 3, EVERYONE)
    store.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(st.tuples(st.integers(0, 5), st.one_of(st.none(), st.sampled_from(
    [(52.5, 13.4), (52.5001, 13.4001), (52.6, 13.5), (-33.9, 151.2), (0.0, 180.0)]))), max_size=30))
def test_the_cell_index_follows_every_move(tmp_path_factory, moves):
    """SQLite keeps one row and one R*Tree entry per occupied cell, with its count of users: after any
    sequence of shares, moves (within a cell or across) and clears, they match the users' locations."""
    store = SqliteStore(Path(tmp_path_factory.mktemp("cells")) / "c.db")
    try:
        for uid in range(6):
            store.create_user(NewUser(uid + 1, f"u{uid}", f"u{uid}", "U", "", "x"))
        for who, where in moves:
            if where is None:
                store.clear_location(who + 1)
            else:
                store.set_location(who + 1, snap(*where, 7), None, 1)
        cells = store._json("SELECT json_group_array(json_array(cell, users)) FROM location_cells") or []
        truth = store._json("SELECT json_group_array(json_array(cell, n)) FROM "
                            "(SELECT cell, count(*) AS n FROM locations GROUP BY cell)") or []
        assert sorted(map(tuple, cells)) == sorted(map(tuple, truth))
        assert store._one("SELECT count(*) FROM location_cells_rtree")[0] == len(truth)
        assert store._one("SELECT count(*) FROM location_cells_rtree r LEFT JOIN location_cells c "
                          "ON c.id = r.id WHERE c.id IS NULL")[0] == 0
    finally:
        store.close()
