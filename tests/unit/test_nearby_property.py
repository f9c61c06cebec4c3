"""Nearby users are exactly the k nearest by great-circle distance: checked against a brute-force ranking
with geopy's great_circle on random points, including the antimeridian, the poles, duplicates (ties) and
k larger than the number of located users."""

from __future__ import annotations

from pathlib import Path

from geopy.distance import great_circle
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from barker.ids import IdGenerator
from barker.store.base import NewUser
from barker.store.sqlite import SqliteStore

TOLERANCE_KM = 1e-6

lat = st.one_of(st.floats(-90, 90), st.sampled_from([90.0, -90.0, 89.9999, -89.9999, 0.0]))
lon = st.one_of(st.floats(-180, 180), st.sampled_from([180.0, -180.0, 179.9999, -179.9999, 0.0]))
point = st.tuples(lat, lon)


def located_store(path: Path, me: tuple[float, float], named: dict[str, tuple[float, float]]
                  ) -> tuple[SqliteStore, int, dict[int, tuple[float, float]]]:
    """A store with "me" and the named users at their points; returns (store, my id, {id: point})."""
    store = SqliteStore(path)
    ids = IdGenerator(4)
    points = {}
    with store.bulk():
        me_id = ids.next()
        store.create_user(NewUser(me_id, "me", "me", "Me", "", "x"))
        store.set_location(me_id, *me, 1)
        for name, p in named.items():
            uid = ids.next()
            store.create_user(NewUser(uid, name, name, name, "", "x"))
            store.set_location(uid, *p, 1)
            points[uid] = p
    return store, me_id, points


def check(found: list[tuple[int, float]], me: tuple[float, float], points: dict[int, tuple[float, float]],
          k: int, max_km: float) -> None:
    truth = sorted((great_circle(me, p).km, uid) for uid, p in points.items())
    truth = [(d, uid) for d, uid in truth if d <= max_km + TOLERANCE_KM]
    assert len(found) == min(k, len(truth)) or (
        # a point within rounding error of max_km may fall either side of it
        abs(len(found) - min(k, len(truth))) <= sum(1 for d, _ in truth if abs(d - max_km) < 1e-6))
    distances = [km for _, km in found]
    assert distances == sorted(distances)
    for uid, km in found:
        assert abs(km - great_circle(me, points[uid]).km) < TOLERANCE_KM
    if found:
        kth = distances[-1]
        must = {uid for d, uid in truth if d < kth - TOLERANCE_KM}
        assert must <= {uid for uid, _ in found}  # nobody strictly nearer was left out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(me=(0.0, 179.9999), others=[(0.0, -179.9999), (0.0, 170.0)], k=1, max_km=20_100.0)  # antimeridian
@example(me=(89.9999, 0.0), others=[(89.9999, 180.0), (80.0, 0.0)], k=1, max_km=20_100.0)  # across the pole
@example(me=(10.0, 10.0), others=[(11.0, 10.0), (11.0, 10.0), (9.0, 10.0)], k=2, max_km=20_100.0)  # ties
@given(me=point, others=st.lists(point, max_size=60), k=st.integers(1, 20),
       max_km=st.one_of(st.just(20_100.0), st.floats(1, 20_100)))
def test_nearest_users_match_brute_force(tmp_path_factory, me, others, k, max_km):
    store, me_id, points = located_store(Path(tmp_path_factory.mktemp("geo")) / "g.db", me,
                                         {f"u{i}": p for i, p in enumerate(others)})
    try:
        check(store.nearest_users(me_id, k, max_km), me, points, k, max_km)
    finally:
        store.close()


def test_clustered_and_sparse_users(tmp_path):
    """Many users in one city and a few far away: the search grows past the cluster when it must."""
    cluster = {f"c{i}": (52.5 + (i % 20) * 0.001, 13.4 + (i // 20) * 0.001) for i in range(500)}  # Berlin
    # me in Sydney, far from the cluster; "far" in Wellington is my nearest
    store, me, points = located_store(tmp_path / "c.db", (-33.0, 151.0), {**cluster, "far": (-41.3, 174.8)})
    far = max(points)
    for k in (1, 5, 600):
        check(store.nearest_users(me, k, 20_100.0), (-33.0, 151.0), points, k, 20_100.0)
    assert store.nearest_users(me, 1, 20_100.0)[0][0] == far
    assert store.nearest_users(me, 10, 100.0) == []
    store.close()


def test_a_nearer_user_just_outside_the_first_search_cube_wins(tmp_path):
    """The search box is a cube; a user in its corner can be farther than one just outside a face. The
    cube's half-side grows 0.00016, 0.00047, ... 0.0381, 0.1144 (chord): in the 0.1144 round, A sits in
    its corner (y = z = 0.11, chord 0.156) and B just beyond a face (y = 0.12, chord 0.120). B is nearer
    and must be the answer."""
    antipodes = {f"f{i}": (-1 + (i % 40) * 0.05, 179 - (i // 40) * 0.05) for i in range(1000)}
    store, me, points = located_store(tmp_path / "cube.db", (0.0, 0.0),
                                      {"a": (6.3153, 6.3540), "b": (0.0, 6.8921), **antipodes})
    [(nearest, _)] = store.nearest_users(me, 1, 20_100.0)
    assert store.user_view(nearest, None)["handle"] == "b"
    check(store.nearest_users(me, 3, 20_100.0), (0.0, 0.0), points, 3, 20_100.0)
    store.close()
