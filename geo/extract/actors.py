"""Actor names in reports, normalised to ACLED's actor names and types with an alias table."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from geo.gazetteer import normalise


@dataclass(frozen=True)
class Actor:
    """An ACLED actor: its name and its actor type (``inter``)."""

    name: str
    inter: str


JNIM = Actor("JNIM: Group for Support of Islam and Muslims", "Rebel group")
ISSP = Actor("Islamic State (Sahel)", "Rebel group")
FAMA = Actor("Military Forces of Mali (2021-)", "State forces")
WAGNER = Actor("Wagner Group", "External/Other forces")
AFRICA_CORPS = Actor("Africa Corps", "External/Other forces")
FLA = Actor("FLA: Azawad Liberation Front", "Rebel group")
BF_ARMY = Actor("Military Forces of Burkina Faso (2022-)", "State forces")
NE_ARMY = Actor("Military Forces of Niger (2023-)", "State forces")
VDP = Actor("VDP: Volunteers for the Defense of the Homeland", "Political militia")
DOZO = Actor("Dozo Communal Militia (Mali)", "Identity militia")
UNIDENTIFIED = Actor("Unidentified Armed Group (Mali)", "Political militia")

ALIASES: dict[Actor, tuple[str, ...]] = {
    JNIM: ("JNIM", "GSIM", "Jama'at Nusrat al-Islam wal-Muslimin", "Jama'at Nasr al-Islam wal-Muslimin",
           "Jama'at Nusrat al-Islam wal Muslimin", "Jamaat Nusrat al-Islam wal-Muslimin",
           "Support Group for Islam and Muslims", "Group for the Support of Islam and Muslims",
           "Group to Support Islam and Muslims", "Groupe de soutien à l'islam et aux musulmans",
           "al-Qaeda affiliate", "al-Qaeda-affiliated group", "al-Qaeda affiliated", "Katiba Macina"),
    ISSP: ("IS Sahel", "ISGS", "ISSP", "Islamic State Sahel", "Islamic State in the Greater Sahara",
           "Islamic State Sahel Province", "Etat islamique au Sahel", "État islamique au Sahel", "EIGS",
           "Islamic State's Sahel Province", "EI Sahel"),
    FAMA: ("FAMa", "Malian army", "Mali's army", "Malian armed forces", "Mali's armed forces",
           "Malian military", "Mali's military", "Malian soldiers", "armée malienne", "forces armées maliennes",
           "Forces Armées Maliennes", "army", "the military", "soldiers", "troops", "l'armée", "militaires"),
    WAGNER: ("Wagner", "Wagner Group", "Russian mercenaries", "Wagner mercenaries", "groupe Wagner"),
    AFRICA_CORPS: ("Africa Corps", "Russian Africa Corps", "Africa Corps russe"),
    FLA: ("FLA", "Azawad Liberation Front", "Front de libération de l'Azawad", "CSP-DPA", "Tuareg rebels",
          "rebelles touareg"),
    BF_ARMY: ("Burkinabe army", "Burkina Faso army", "Burkinabè army", "armée burkinabè"),
    NE_ARMY: ("Nigerien army", "Niger's army", "armée nigérienne", "FAN"),
    VDP: ("VDP", "Volunteers for the Defense of the Homeland", "Volontaires pour la défense de la patrie"),
    DOZO: ("Dozo", "Dozos", "dozo hunters", "chasseurs dozos"),
}
# Aliases that name an actor only in the right country context; generic words rank below names.
GENERIC = {"army", "the military", "soldiers", "troops", "l'armée", "militaires"}
JIHADIST_WORDS = re.compile(r"\b(jihadist|jihadists|islamist|militants?|terrorists?|djihadistes?|terroristes?|"
                            r"assailants|attackers|gunmen|hommes armés)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ActorMention:
    """An actor named in text, with the alias used and its character span."""

    actor: Actor
    alias: str
    start: int
    end: int

    @property
    def generic(self) -> bool:
        """True for common words ("the army") rather than names ("FAMa")."""
        return self.alias.lower() in GENERIC


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, Actor]]:
    by_alias: dict[str, Actor] = {}
    for actor, aliases in ALIASES.items():
        for alias in aliases:
            by_alias[normalise(alias)] = actor
    names = sorted({a for aliases in ALIASES.values() for a in aliases}, key=len, reverse=True)
    parts = [re.escape(n).replace(r"\ ", r"[\s-]+").replace("'", "['’]?").replace(r"\-", r"[\s-]?")
             for n in names]
    return re.compile(r"(?<![\w])(" + "|".join(parts) + r")(?![\w])", re.IGNORECASE), by_alias


def find_actors(text: str) -> list[ActorMention]:
    """Every actor alias in ``text``, longest match first, in text order."""
    pattern, by_alias = _pattern()
    out = []
    for match in pattern.finditer(text):
        actor = by_alias.get(normalise(match.group(1)))
        if actor is not None:
            out.append(ActorMention(actor, match.group(1), match.start(), match.end()))
    return out


def normalise_actor(name: str) -> Actor | None:
    """The ACLED actor an alias names ("GSIM" -> JNIM), or None."""
    return _pattern()[1].get(normalise(name))
