"""Proof of arrival: how far the engineer's shared location was from the site (pure)."""

from __future__ import annotations

import math

EARTH_RADIUS_M = 6_371_008.8  # the mean Earth radius (IUGG), in metres
DEFAULT_RADIUS_M = 500  # farther than this from the site: the managers are told


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle (haversine) distance in metres between two WGS-84 points.

    Good to well under 0.5 % at any range, which is all a "was the engineer there" check
    needs; Telegram locations are WGS-84 degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def valid_point(latitude: float, longitude: float) -> bool:
    """A location Telegram could send (a forged update may carry anything)."""
    ok = all(math.isfinite(v) for v in (latitude, longitude))
    return ok and -90 <= latitude <= 90 and -180 <= longitude <= 180
