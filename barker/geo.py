"""Great-circle geometry for "who is near me", exact and free of special cases.

Points are kept as unit vectors on the sphere (x, y, z). The straight-line (chord) distance between two
unit vectors grows strictly with the great-circle distance between them, so the k nearest by chord are
the k nearest by great circle, and a cube of half-side r around a point contains every point within chord
r of it. Neither the antimeridian nor the poles are special in 3-D: there is no longitude wrap-around.
"""

from __future__ import annotations

import math

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


def rounded_km(km: float) -> int:
    """What others see: whole kilometres, rounded up, at least 1. A precise position can't be read back
    from it, and the rate limits make triangulating one from many queries impractical."""
    return max(1, math.ceil(km - 1e-9))


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
