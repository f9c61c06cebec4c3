"""Nearby: share or clear my location (typed coordinates or a city), and the nearest users with rounded
distances for the radar. The API never gives others' bearings, only distances: the radar draws each user
at their distance from the centre (on a log scale: neighbours 2 km away and friends on another continent fit
one picture) and at a fixed angle derived from their handle (formatting.radar_angle)."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Property, Signal, Slot

from client_qt.api import Api, ApiError
from client_qt.formatting import radar_ceiling
from client_qt.models import nearby_row
from client_qt.people import PeopleList, Social

CITIES = [("Berlin", 52.52, 13.40), ("Paris", 48.86, 2.35), ("London", 51.51, -0.13), ("New York", 40.71, -74.01),
          ("Tokyo", 35.68, 139.69), ("Sydney", -33.87, 151.21), ("San Francisco", 37.77, -122.42),
          ("Stockholm", 59.33, 18.07), ("São Paulo", -23.55, -46.63), ("Nairobi", -1.29, 36.82),
          ("Mumbai", 19.08, 72.88), ("Toronto", 43.65, -79.38)]
LIMIT = 20


def parse_coordinates(lat: str, lon: str) -> tuple[float, float] | str:
    """(lat, lon), or what is wrong with them, in words."""
    try:
        values = float(lat.strip().replace(",", ".")), float(lon.strip().replace(",", "."))
    except ValueError:
        return "Latitude and longitude must be numbers, like 52.52 and 13.40."
    if not all(math.isfinite(v) for v in values):
        return "Latitude and longitude must be finite numbers."
    if not -90 <= values[0] <= 90:
        return "Latitude must be between -90 and 90."
    if not -180 <= values[1] <= 180:
        return "Longitude must be between -180 and 180."
    return values


class Nearby(PeopleList):
    viewChanged = Signal()

    def __init__(self, api: Api, social: Social) -> None:
        super().__init__(api, social)
        self._location: dict[str, Any] | None = None

    def _get_sharing(self) -> bool:
        return self._location is not None

    def _get_location_text(self) -> str:
        if not self._location:
            return ""
        # The server keeps only the cell the position fell in; this is its centre, not what was typed.
        return f"about {self._location['lat']:.4f}, {self._location['lon']:.4f} (the centre of your cell)"

    def _get_radius(self) -> int:
        """The radar's outer ring in km."""
        return radar_ceiling(max((r["distanceKm"] for r in self._model.rows), default=1))

    sharing = Property(bool, _get_sharing, notify=viewChanged)
    locationText = Property(str, _get_location_text, notify=viewChanged)
    radiusKm = Property(int, _get_radius, notify=viewChanged)
    cities = Property("QVariantList", lambda self: [c[0] for c in CITIES], constant=True)

    def clear(self) -> None:
        self._location = None
        super().clear()

    @Slot()
    def refresh(self) -> None:
        generation = self.fresh()
        self.set_state(loading=True, error="")
        self.api.get("/v1/me/location", lambda loc: self._located(generation, loc),
                     lambda e: self._not_located(generation, e))

    @Slot(str, str)
    def share(self, lat: str, lon: str) -> None:
        parsed = parse_coordinates(lat, lon)
        if isinstance(parsed, str):
            self.set_state(error=parsed)
            return
        self._put(*parsed)

    @Slot(int)
    def shareCity(self, index: int) -> None:
        if 0 <= index < len(CITIES):
            self._put(CITIES[index][1], CITIES[index][2])

    @Slot()
    def stopSharing(self) -> None:
        generation = self.fresh()
        self.set_state(loading=True, error="")
        self.api.call("DELETE", "/v1/me/location", ok=lambda _: self._located(generation, None),
                      err=self.failed(generation))

    def _put(self, lat: float, lon: float) -> None:
        generation = self.fresh()
        self.set_state(loading=True, error="")
        self.api.call("PUT", "/v1/me/location", {"lat": lat, "lon": lon}, ok=lambda loc: self._located(generation, loc),
                      err=self.failed(generation))

    def _located(self, generation: int, location: dict[str, Any] | None) -> None:
        if not self.current(generation):
            return
        self._location = location
        if location is None:
            self._model.reset([])
            self.set_state(loading=False, message="You are not sharing your location: nobody can find you "
                                                  "nearby, and you see nobody.")
            return
        self.api.get("/v1/users/nearby", lambda page: self._page(generation, page),
                     self.failed(generation, self.refresh), limit=LIMIT)

    def _not_located(self, generation: int, error: ApiError) -> None:
        if error.status == 404:
            self._located(generation, None)
        elif self.current(generation):
            self.fail(error, self.refresh)

    def _page(self, generation: int, page: dict[str, Any]) -> None:
        if self.current(generation):
            self._model.reset([nearby_row(item) for item in page["items"]])
            self.set_state(loading=False, message="" if page["items"] else "Nobody near you shares a location yet.")
