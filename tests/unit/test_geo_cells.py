"""The one snapping rule (barker.geo.snap), its bounds, and the one "who may find whom" rule
(barker.discoverability.may_find)."""

from __future__ import annotations

import math

import h3
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from barker.discoverability import Relation, may_find
from barker.errors import Invalid
from barker.geo import FINEST_RESOLUTION, coarsen, complete_buckets, rounded_km, snap
from barker.settings import Settings


@given(lat=st.floats(-90, 90), lon=st.floats(-180, 180), resolution=st.integers(0, FINEST_RESOLUTION))
def test_a_point_becomes_its_cell_and_the_cell_is_stable(lat, lon, resolution):
    cell = snap(lat, lon, resolution)
    assert cell.id == h3.latlng_to_cell(lat, lon, resolution) and cell.resolution == resolution
    assert (cell.lat, cell.lon) == h3.cell_to_latlng(cell.id)
    assert snap(cell.lat, cell.lon, resolution) == cell  # snapping the stored centre changes nothing
    assert coarsen(cell, 0) == snap(cell.lat, cell.lon, 0) and coarsen(cell, resolution) == cell


@pytest.mark.parametrize(("lat", "lon"), [(91, 0), (0, 181), (math.nan, 0), (0, math.inf), (True, 0),
                                          ("52", 13)])
def test_bad_positions_are_refused_before_anything_is_snapped(lat, lon):
    with pytest.raises(Invalid):
        snap(lat, lon, 7)


def test_nothing_finer_than_resolution_7(tmp_path):
    with pytest.raises(ValueError):
        snap(52.5, 13.4, 8)
    for bad in (8, 15, -1):
        with pytest.raises(ValidationError):
            Settings(data_dir=tmp_path, location_resolution=bad)
    assert Settings(data_dir=tmp_path).location_resolution == 7


def test_rounded_buckets():
    assert [rounded_km(km) for km in (0, 0.4, 1, 1 + 1e-12, 1.0001, 19.99, 20)] == [1, 1, 1, 1, 2, 20, 20]
    assert [complete_buckets(km) for km in (0.5, 1.0, 1.000001, 7.9, 8.0000005)] == [0, 0, 1, 7, 8]


@pytest.mark.parametrize(("visibility", "follows", "followed_back", "found"), [
    ("everyone", False, False, True), ("everyone", True, True, True),
    # followers: mutual follows only. Following alone (one click, no approval) does not admit a stranger,
    # and being followed by the located user alone is not enough either.
    ("followers", False, False, False), ("followers", True, False, False), ("followers", False, True, False),
    ("followers", True, True, True),
    ("nobody", False, False, False), ("nobody", True, True, False), ("something new", True, True, False)])
def test_who_may_find_whom(visibility, follows, followed_back, found):
    assert may_find(visibility, Relation(seeker_follows=follows, followed_back=followed_back)) is found
    assert may_find(visibility, None) is (visibility == "everyone")  # no relation looked up: strangers
