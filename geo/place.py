"""Places and the two primitives every geocoding step uses: name normalisation and distance.

Kept apart from :mod:`geo.gazetteer` (which indexes places and matches names fuzzily
with rapidfuzz) so that areas, layers and deduplication need neither the index nor
rapidfuzz.  :mod:`geo.gazetteer` re-exports all three names.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache


@lru_cache(maxsize=65_536)
def normalise(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form of a name ("Sévaré" -> "sevare").

    Cached: the same names come back in every report and every lookup.
    """
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    # Tamasheq "I-n-Afarak", "Ti-n-Zaouatene" (GeoNames) are written "In-Afarak", "Tin-Zaouatene" in reports
    text = re.sub(r"\b(t?i) n ", r"\1n ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: a point (or an area with a representative point)."""

    name: str
    latitude: float
    longitude: float
    country: str
    admin1: str = ""
    admin2: str = ""
    feature: str = "town"
    population: int = 0
    admin_seat: str = ""
    relevance: int = 0
    source: str = ""
    alternate_names: tuple[str, ...] = ()
    geo_precision: int = 1
    geometry: object | None = field(default=None, compare=False, repr=False)

    def names(self) -> tuple[str, ...]:
        """The primary name followed by the alternates."""
        return (self.name, *self.alternate_names)



def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(a)))
