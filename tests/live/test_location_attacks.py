"""The three attacks an audit used to find anyone's shared position within millimetres, scripted against a
real `barker serve` with the rate limits raised (a well-funded attacker: many accounts, unlimited updates
and queries). With cells, each can learn at most the target's cell:

- filter oracle: binary search on max_km (whole km only; compared with the rounded distance) from three
  positions;
- rounding boundary: walk along lines past the target and record where the shown distance flips;
- ordering rulers: many accounts placed in the target's rounded bucket, to read the target's place among them.

Each target is a victim who shares a point near one corner of an H3 cell, then a point near the opposite
corner of the same cell. The attacker runs the same script against both: every answer must be identical
(two points in one cell are indistinguishable), so whatever the attacker estimates, it is one estimate for
both, and at least one of the two is off by half their distance or more. The estimate here is the best
any attacker can make from the answers: the centroid of every point consistent with all of them.
The measured errors are printed (run with -s) and reported in docs/location-privacy.md.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

import h3
import pytest

from barker.geo import EARTH_RADIUS_KM, great_circle_km, snap, unit_vector
from tests.live.client import User
from tests.servers import Server

Point = tuple[float, float]
RESOLUTION = 7
FUNDED = {"BARKER_LOCATION_UPDATES_PER_HOUR": "1000000", "BARKER_NEARBY_QUERIES_PER_HOUR": "1000000"}
TARGET_CELLS = {"Berlin": (52.52, 13.405), "antimeridian (Fiji)": (-16.6, 179.999), "Svalbard": (78.22, 15.65)}
RULERS = 16


def destination(p: Point, bearing_deg: float, km: float) -> Point:
    """The point `km` from p along the great circle leaving it at `bearing_deg` (works across the
    antimeridian and near the poles)."""
    lat, lon, b, d = math.radians(p[0]), math.radians(p[1]), math.radians(bearing_deg), km / EARTH_RADIUS_KM
    lat2 = math.asin(math.sin(lat) * math.cos(d) + math.cos(lat) * math.sin(d) * math.cos(b))
    lon2 = lon + math.atan2(math.sin(b) * math.sin(d) * math.cos(lat), math.cos(d) - math.sin(lat) * math.sin(lat2))
    return math.degrees(lat2), (math.degrees(lon2) + 540) % 360 - 180


def km_between(a: Point, b: Point) -> float:
    return great_circle_km(unit_vector(*a), unit_vector(*b))


def two_corners_of_one_cell(near: Point) -> tuple[Point, Point]:
    """Two points 85% of the way from the cell's centre to opposite corners: as far apart as one cell allows."""
    cell = snap(*near, RESOLUTION)
    corners = h3.cell_to_boundary(cell.id)
    points = []
    for corner in (corners[0], corners[3]):
        bearing = math.degrees(math.atan2(*_east_north((cell.lat, cell.lon), corner)))
        points.append(destination((cell.lat, cell.lon), bearing, 0.85 * km_between((cell.lat, cell.lon), corner)))
    assert all(snap(*p, RESOLUTION).id == cell.id for p in points)
    return points[0], points[1]


def _east_north(origin: Point, p: Point) -> tuple[float, float]:
    """p's (east, north) offset from origin in km on the local tangent plane (small distances)."""
    dlon = (p[1] - origin[1] + 540) % 360 - 180
    return (math.radians(dlon) * EARTH_RADIUS_KM * math.cos(math.radians(origin[0])),
            math.radians(p[0] - origin[0]) * EARTH_RADIUS_KM)


@dataclass
class Observations:
    """What the attacker saw: (the attacker's stored cell centre, the target's shown distance) pairs, and
    every raw answer (to compare the two targets' runs byte for byte)."""

    distances: list[tuple[Point, int]] = field(default_factory=list)
    answers: list[object] = field(default_factory=list)
    updates: int = 0
    queries: int = 0


class Attacker:
    def __init__(self, user: User, seen: Observations) -> None:
        self.user, self.seen, self.at = user, seen, (0.0, 0.0)

    def move(self, p: Point) -> None:
        stored = self.user.call("PUT", "/v1/me/location", json={"lat": p[0], "lon": p[1]})
        assert stored["approximate"] is True and "cell" in stored
        self.at = (stored["lat"], stored["lon"])  # the attacker knows their own stored centre
        self.seen.updates += 1

    def nearby(self, max_km: int | None = None) -> list[dict]:
        query = "?limit=100" + (f"&max_km={max_km}" if max_km is not None else "")
        items = self.user.call("GET", f"/v1/users/nearby{query}")["items"]
        self.seen.queries += 1
        self.seen.answers.append([(i["user"]["handle"], i["distance_km"]) for i in items])
        return items

    def distance_to(self, handle: str) -> int:
        [shown] = [i["distance_km"] for i in self.nearby() if i["user"]["handle"] == handle]
        self.seen.distances.append((self.at, shown))
        return shown


def filter_oracle(attackers: list[Attacker], victim: str, target: Point) -> None:
    """From three positions ~6 km around the (rough) target, binary-search the smallest max_km that includes it."""
    spy = attackers[0]
    for bearing in (0, 120, 240):
        spy.move(destination(target, bearing, 6.0))
        low, high = 1, 64
        while low < high:
            mid = (low + high) // 2
            if any(i["user"]["handle"] == victim for i in spy.nearby(mid)):
                high = mid
            else:
                low = mid + 1
        spy.seen.distances.append((spy.at, low))
        response = spy.user.http.get(f"{spy.user.base}/v1/users/nearby?max_km={low - 0.5}", headers=spy.user.auth)
        assert response.status_code == 422  # a fraction cannot probe inside a whole km


def rounding_boundary(attackers: list[Attacker], victim: str, target: Point) -> None:
    """Three accounts walk 8 km lines past the target in 100 m steps, recording the shown distance."""
    for n, walker in enumerate(attackers[1:4]):
        start = destination(destination(target, 90 + 60 * n, 4.0), 60 * n, 1.0 + n)
        for step in range(81):
            walker.move(destination(start, 270 + 60 * n, step * 0.1))
            walker.distance_to(victim)


def ordering_rulers(attackers: list[Attacker], rulers: list[User], victim: str, target: Point) -> None:
    """Rulers at known points in the target's rounded bucket, seen from the attacker: in the old code the
    target's place among them gave its exact distance. Now a bucket is ordered by user id."""
    spy = attackers[0]
    spy.move(destination(target, 200, 7.0))
    shown = spy.distance_to(victim)
    here = spy.at
    for round_ in range(3):  # rulers spread over the bucket, moved between rounds
        for n, ruler in enumerate(rulers):
            km = shown - 1 + (n + 0.5 + round_ / 3) / len(rulers)
            ruler.call("PUT", "/v1/me/location", json=dict(zip(("lat", "lon"), destination(here, n * 22.5, km),
                                                              strict=True)))
            spy.seen.updates += 1
        items = spy.nearby()
        bucket = [i for i in items if i["distance_km"] == shown]
        assert victim in [i["user"]["handle"] for i in bucket]
        ids = [i["user"]["id"] for i in bucket]
        assert ids == sorted(ids)  # nothing but ids decides the order inside a bucket
        spy.seen.distances.append((here, shown))
    for ruler in rulers:
        ruler.call("DELETE", "/v1/me/location")


def best_estimate(seen: Observations, around: Point, span_km: float = 4.0, step_km: float = 0.05) -> Point:
    """The centroid of the points (on a 50 m grid around the target) that fit everything seen best: each
    answer says the distance lies in (d - 1, d] km; a point is scored by how far outside those ranges it
    falls in total. When the answers pin the target down tighter than the grid (they can pin down the
    cell's centre), the best-fitting points are the grid points next to it."""
    constraints = [(unit_vector(*a), d) for a, d in set(seen.distances)]
    scored = []
    steps = int(span_km / step_km)
    for i in range(-steps, steps + 1):
        column = destination(around, 90, i * step_km)
        for j in range(-steps, steps + 1):
            v = unit_vector(*destination(column, 0, j * step_km))
            miss = 0.0
            for a, d in constraints:
                km = great_circle_km(a, v)
                miss += max(0.0, d - 1 - km, km - d)
            scored.append((miss, i * step_km, j * step_km))
    best = min(miss for miss, _, _ in scored) + 1e-3
    fits = [(east, north) for miss, east, north in scored if miss <= best]
    east, north = statistics.fmean(f[0] for f in fits), statistics.fmean(f[1] for f in fits)
    return destination(destination(around, 90, east), 0, north)


def run_attacks(start_server: Callable[..., Server]
                ) -> list[tuple[str, Point, Point, Observations, Observations]]:
    """Each victim shares one corner of a cell, then the other; the same attacker script runs against each.
    The script is laid out around the rough area (the cell's centre), which a real attacker would learn
    from the first distances: it never depends on the true point."""
    server = start_server(**FUNDED)
    results = []
    for n, (place, near) in enumerate(TARGET_CELLS.items()):
        a, b = two_corners_of_one_cell(near)
        rough = snap(*near, RESOLUTION)
        area = (rough.lat, rough.lon)
        victim = User(server.base, f"victim{n}")
        spies = [User(server.base, f"spy{n}_{i}") for i in range(4)]
        rulers = [User(server.base, f"ruler{n}_{i}") for i in range(RULERS)]
        runs = []
        for true_point in (a, b):
            victim.call("PUT", "/v1/me/location", json={"lat": true_point[0], "lon": true_point[1]})
            seen = Observations()
            attackers = [Attacker(u, seen) for u in spies]
            filter_oracle(attackers, victim.handle, area)
            rounding_boundary(attackers, victim.handle, area)
            ordering_rulers(attackers, rulers, victim.handle, area)
            for u in spies:
                u.call("DELETE", "/v1/me/location")
            runs.append(seen)
        victim.call("DELETE", "/v1/me/location")
        results.append((place, a, b, runs[0], runs[1]))
    return results


@pytest.mark.timeout(600)
def test_an_attacker_learns_the_cell_and_nothing_finer(start_server) -> None:
    centre_errors, errors = [], []
    lines = []
    accounts = 4 + RULERS
    for place, a, b, seen_a, seen_b in run_attacks(start_server):
        # The attacker ran the same moves for both targets; every answer was the same.
        assert seen_a.answers == seen_b.answers, f"{place}: two points of one cell were told apart"
        assert seen_a.distances == seen_b.distances
        estimate = best_estimate(seen_a, a)  # centred on a: the grid reaches b too (4 km each way)
        cell = snap(*a, RESOLUTION)
        error_a, error_b = km_between(estimate, a) * 1000, km_between(estimate, b) * 1000
        apart = km_between(a, b) * 1000
        assert max(error_a, error_b) >= apart / 2 - 1  # one estimate for both: it misses one by half or more
        errors += [error_a, error_b]
        centre_errors += [km_between((cell.lat, cell.lon), p) * 1000 for p in (a, b)]
        lines.append(f"  {place}: targets {apart:.0f} m apart in cell {cell.id}; estimate off by "
                     f"{error_a:.0f} m and {error_b:.0f} m (cell centre off by {centre_errors[-2]:.0f} m and "
                     f"{centre_errors[-1]:.0f} m); {seen_a.updates} updates, {seen_a.queries} queries")
    edge = h3.average_hexagon_edge_length(RESOLUTION, "m")
    print(f"\nlocation attacks at H3 resolution {RESOLUTION} (average edge {edge:.0f} m), {accounts} attacker "
          f"accounts:\n" + "\n".join(lines) +
          f"\n  error of the best estimate over {len(errors)} targets: median {statistics.median(errors):.0f} m, "
          f"best case for the attacker {min(errors):.0f} m, worst {max(errors):.0f} m")
    # Nothing finer than the cell: on the median the attacker is off by at least a quarter of an edge.
    assert statistics.median(errors) >= edge / 4
