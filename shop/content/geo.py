"""US ZIP codes to places, offline (the `zipcodes` package's centroid table), and great-circle distances."""

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import zipcodes

EARTH_RADIUS_MILES = 3958.8
_ZIP = re.compile(r"^[0-9]{5}$")  # ASCII digits only: the table panics on others


@dataclass(frozen=True)
class Place:
    zip_code: str
    city: str
    state: str
    latitude: float
    longitude: float


@lru_cache(maxsize=4096)
def place_for_zip(text: str) -> Place | None:
    """The centroid of a 5-digit US ZIP code (ZIP+4 is read as its first five digits); None if unknown."""
    code = (text or "").strip()[:10].split("-")[0]
    if not _ZIP.match(code):
        return None
    found = [row for row in zipcodes.matching(code) if row.get("lat") and row.get("long")]
    if not found:
        return None
    row = found[0]
    return Place(code, row.get("city", "").title(), row.get("state", ""), float(row["lat"]), float(row["long"]))


def miles_between(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Haversine distance in miles."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lng: float, miles: float) -> tuple[float, float, float, float]:
    """(min lat, max lat, min lng, max lng) around a point: a cheap first cut before the exact distance."""
    dlat = miles / 69.0
    dlng = miles / max(1.0, 69.0 * math.cos(math.radians(lat)))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng
