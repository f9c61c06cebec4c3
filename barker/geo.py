"""Great-circle geometry for "who is near me", exact and free of special cases, and the one rule that
decides how precisely a shared position is kept: snapped to a cell of Uber's H3 grid (see snap()).

Points are kept as unit vectors on the sphere (x, y, z). The straight-line (chord) distance between two
unit vectors grows strictly with the great-circle distance between them, so the k nearest by chord are
the k nearest by great circle, and a cube of half-side r around a point contains every point within chord
r of it. Neither the antimeridian nor the poles are special in 3-D: there is no longitude wrap-around.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import h3

# The mean Earth radius that geopy's great_circle also uses, so distances agree with it.
EARTH_RADIUS_KM = 6371.009


def unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    phi, lam = math.radians(lat), math.radians(lon)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


def chord(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    return math.dist(a, b)


def great_circle_km(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """The angle from atan2(|a x b|, a . b): well-conditioned at every distance, antipodes included
    (asin of the chord loses precision there)."""
    cross = (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])
    return EARTH_RADIUS_KM * math.atan2(math.hypot(*cross), a[0] * b[0] + a[1] * b[1] + a[2] * b[2])


def km_to_chord(km: float) -> float:
    return 2 * math.sin(min(math.pi / 2, km / (2 * EARTH_RADIUS_KM)))


# Distances a hair above a whole number round down to it (floating-point noise, not position).
ROUNDING_SLACK_KM = 1e-9
# How far past a whole km a search must reach to hold every user whose distance rounds to it: a little
# more than the slack above, so no float noise in the chord or the R*Tree's outward rounding loses one.
BUCKET_REACH_KM = 1e-6


def chord_to_km(c: float) -> float:
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, c / 2))


def rounded_km(km: float) -> int:
    """What others see: whole kilometres, rounded up, at least 1. Computed between cell centres (never
    exact points), so neither it nor any filter or ordering on it can tell more than the cells."""
    return max(1, math.ceil(km - ROUNDING_SLACK_KM))


def bucket_reach_km(rounded: int) -> float:
    """A great-circle distance that every user whose rounded distance is at most `rounded` lies within."""
    return rounded + BUCKET_REACH_KM


def complete_buckets(covered_km: float) -> int:
    """The largest rounded distance whose every user lies within `covered_km` (0 if none): a search that
    has seen everyone within covered_km has seen whole buckets up to it. Half the reach is slack enough
    for a radius computed as bucket_reach_km(b) and converted back."""
    return max(0, math.floor(covered_km - BUCKET_REACH_KM / 2))


# -- precision decided at write time ---------------------------------------------------------------
# H3 resolution 7: hexagons with ~1.4 km average edge (~5 km2). Finer cells are refused: the privacy
# promise (docs/location-privacy.md) is "the cell, nothing finer", and 7 is the finest cell we promise.
DEFAULT_RESOLUTION = 7
FINEST_RESOLUTION = 7


@dataclass(frozen=True, slots=True)
class Cell:
    """A shared location as it is stored: an H3 cell and its centre (the only point anyone computes with)."""

    id: str  # the H3 index, 15 hex digits
    lat: float  # the cell's centre, WGS 84 degrees
    lon: float
    resolution: int


@lru_cache(maxsize=4096)
def cell(cell_id: str) -> Cell:
    lat, lon = h3.cell_to_latlng(cell_id)
    return Cell(cell_id, lat, lon, h3.get_resolution(cell_id))


def check_resolution(resolution: int) -> None:
    if not 0 <= resolution <= FINEST_RESOLUTION:
        raise ValueError(f"the location resolution must be 0 to {FINEST_RESOLUTION}, not {resolution}")


def snap(lat: float, lon: float, resolution: int) -> Cell:
    """THE rule: a shared position becomes the H3 cell holding it, at `resolution`; the exact point is
    dropped here, before any store, backup or log can see it."""
    check_position(lat, lon)
    check_resolution(resolution)
    return cell(h3.latlng_to_cell(lat, lon, resolution))


def coarsen(stored: Cell, resolution: int) -> Cell:
    """The stored cell, or, if it is finer than `resolution` (the setting was lowered), the coarser cell
    holding its centre. (H3's parent cell does not always contain a child's area: snapping the centre
    keeps "the cell holds the point it was made from" true, and the exact point is long gone anyway.)"""
    check_resolution(resolution)
    return stored if stored.resolution <= resolution else snap(stored.lat, stored.lon, resolution)


def check_position(lat: float, lon: float) -> None:
    from barker.errors import Invalid

    if not (isinstance(lat, int | float) and isinstance(lon, int | float)) or isinstance(lat, bool) \
            or isinstance(lon, bool):
        raise Invalid("lat and lon must be numbers")
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise Invalid("lat and lon must be finite numbers")
    if not -90 <= lat <= 90:
        raise Invalid("lat must be between -90 and 90")
    if not -180 <= lon <= 180:
        raise Invalid("lon must be between -180 and 180")
