"""Territorial-control statements in reports, and the control-zone entries they become."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from shapely.geometry import mapping
from shapely.ops import unary_union

from geo.areas import places_buffer
from geo.extract.actors import ISSP, JNIM, Actor, find_actors
from geo.extract.places import PlaceMention
from geo.extract.text import sentences
from geo.schema import ControlZone, validate_zone

CONTROL = re.compile(r"\b(control(?:s|led|ling)?|contests?|holds?|governs?|quasi-state|blockade|blocus|"
                     r"contrôlent|contrôle)\b", re.IGNORECASE)
SHARE = re.compile(r"\b(two-thirds|two thirds|half|a third|one third|three-quarters|most|much|large parts|"
                   r"deux tiers|la moitié|un tiers|\d{1,3}\s?(?:%|per ?cent|pour ?cent))\b", re.IGNORECASE)
BLOCKADE = re.compile(r"\b(blockade|blocus|besieg\w*|siege)\b", re.IGNORECASE)
DIRECTION = re.compile(r"\b(north(?:ern)?|south(?:ern)?|east(?:ern)?|west(?:ern)?|central|centre|center|"
                       r"nord|sud|est|ouest)\b", re.IGNORECASE)
# Mali's regions by the part of the country reports mean (the 9 regions of the committed admin-1 layer).
MALI_PARTS = {
    "north": ("Timbuktu", "Gao", "Kidal"), "central": ("Mopti", "Ségou"),
    "south": ("Sikasso", "Koulikoro", "Bamako"), "west": ("Kayes",), "east": ("Gao", "Kidal"),
}
DIRECTION_WORDS = {"northern": "north", "nord": "north", "southern": "south", "sud": "south", "eastern": "east",
                   "est": "east", "western": "west", "ouest": "west", "centre": "central", "center": "central"}
TOWN_RADIUS_KM = 35.0


@dataclass(frozen=True)
class ControlStatement:
    """A claim about who controls (or blockades) which area, and who made it."""

    actor: str
    kind: str              # "control" or "blockade"
    parts: tuple[str, ...]  # "north", "central"...
    places: tuple[PlaceMention, ...]
    share: str | None
    claimed_by: str
    report: str
    start: int
    end: int
    text: str = ""

    @property
    def area(self) -> str:
        """A readable name for the area: "northern and central Mali", "Kayes, Nioro du Sahel"."""
        names = list(dict.fromkeys(p.place.name for p in self.places if p.place is not None)) or ["Mali"]
        if self.parts:
            return " and ".join(f"{p}ern" if p in ("north", "south", "east", "west") else p
                                for p in self.parts) + " " + ", ".join(names)
        return ", ".join(names)

    def to_json(self) -> dict:
        """The statement as JSON (as ``python -m geo extract --json`` prints it)."""
        return {"actor": self.actor, "area": self.area, "share": self.share, "status": self.kind,
                "claimed_by": self.claimed_by, "report": self.report, "start": self.start, "end": self.end}


def control_statements(text: str, places: Sequence[PlaceMention], source: str, report: str,
                       group: Actor | None = None) -> list[ControlStatement]:
    """Sentences claiming control, influence or a blockade over an area."""
    out = []
    for sentence in sentences(text):
        if not CONTROL.search(sentence.text):
            continue
        share = SHARE.search(sentence.text)
        kind = "blockade" if BLOCKADE.search(sentence.text) else "control"
        if kind == "control" and not share and not re.search(r"quasi-state|governs|holds", sentence.text, re.I):
            continue
        named = [a.actor for a in find_actors(sentence.text) if a.actor.inter != "State forces"]
        if named:
            actor = named[0].name
        elif group is not None and re.search(r"\b(the group|le groupe)\b", sentence.text, re.IGNORECASE):
            actor = group.name
        else:
            actor = "jihadist groups"
        parts = tuple(dict.fromkeys(DIRECTION_WORDS.get(d.lower(), d.lower())
                                    for d in DIRECTION.findall(sentence.text)))
        inside = tuple(p for p in places if sentence.start <= p.start < sentence.end and p.place is not None)
        match = re.search(r"according to ([\w\s'-]{3,40}?)(?:[,.]|$)", sentence.text, re.IGNORECASE)
        speaker = re.search(r"\b(analysts?|experts?|security sources?|officials?|residents?)\b", sentence.text,
                            re.IGNORECASE)
        claimed_by = match.group(1).strip() if match else (speaker.group(1) if speaker else source)
        statement = ControlStatement(actor, kind, parts, inside, share.group(1) if share else None, claimed_by,
                                     report, sentence.start, sentence.end, sentence.text)
        if not any(_same_claim(statement, earlier) for earlier in out):  # a headline and its lead
            out.append(statement)
    return out


def _named(statement: ControlStatement) -> set[str]:
    return {p.place.name for p in statement.places if p.place is not None and p.place.feature != "country"}


def _same_claim(a: ControlStatement, b: ControlStatement) -> bool:
    return a.kind == b.kind and a.actor == b.actor and bool(_named(a)) and _named(a) == _named(b)


def status_for(statement: ControlStatement) -> str:
    """The control-layer status a statement supports: a blockade, or control."""
    return "blockade" if statement.kind == "blockade" else "control"


def actor_for(statement: ControlStatement) -> str:
    """A short actor name for the zone ("JNIM", "IS Sahel", or as the report put it)."""
    if statement.actor == JNIM.name:
        return "JNIM"
    if statement.actor == ISSP.name:
        return "IS Sahel"
    return statement.actor.split(":")[0]


def _regions(parts: Sequence[str], country: str | None) -> list:  # noqa: ANN401 - shapely geometries
    from geo.io.boundaries import admin1_regions

    if country != "ML":
        return []
    names = {name for part in parts for name in MALI_PARTS.get(part, ())}
    frame = admin1_regions()
    return list(frame[(frame["iso_a2"] == "ML") & frame["name"].isin(names)].geometry)


def to_zone(statement: ControlStatement, published: date, source: str,
            country: str | None = None) -> ControlZone | None:
    """A dated control-zone entry for the statement, or None when its area cannot be drawn.

    ``country`` (the report's, read from its text) places "the west" when the
    sentence itself names no place.
    """
    shapes = []
    for mention in statement.places:
        place = mention.place
        if place is None:
            continue
        if place.feature == "country":
            continue  # the country stands for "where": its parts below say which
        if place.geometry is not None:
            shapes.append(place.geometry)
        else:
            shapes.append(places_buffer([[place.name, place.latitude, place.longitude, TOWN_RADIUS_KM]]))
    if statement.parts:
        country = next((m.place.country for m in statement.places if m.place is not None), country)
        shapes += _regions(statement.parts, country)
    if not shapes:
        return None
    geometry = unary_union(shapes)
    digest = hashlib.sha1(f"{statement.report}|{statement.start}".encode()).hexdigest()[:10].upper()
    share = f" ({statement.share} of the territory, by their account)" if statement.share else ""
    return validate_zone({
        "zone_id": f"X{digest}", "area": statement.area, "status": status_for(statement),
        "actor": actor_for(statement), "valid_from": published, "valid_to": None,
        "geometry": mapping(geometry), "source": source, "claimant": statement.claimed_by,
        "evidence": statement.text, "kind": "report",
        "notes": f"{statement.kind.capitalize()} claim extracted from a report{share}; review before use.",
    })
