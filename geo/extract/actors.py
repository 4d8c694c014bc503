"""Actor names in reports, normalised to ACLED's actor names and types with an alias table.

Only names the text uses become actors.  State forces are named by the country
an adjective gives ("Burkinabe army", "armée nigérienne"); a bare "the army" is
the army of the country where the event happened, which the pipeline decides
(:data:`STATE`).  An unnamed perpetrator is ACLED's "Unidentified Armed Group
(Country)" (:func:`unidentified`).
"""
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
ISWAP = Actor("Islamic State West Africa Province", "Rebel group")
BOKO_HARAM = Actor("Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad", "Rebel group")
ANSAROUL = Actor("Ansaroul Islam", "Rebel group")
KATIBA_MACINA = Actor("Katiba Macina", "Rebel group")  # a JNIM component: named as the text names it
WAGNER = Actor("Wagner Group", "External/Other forces")
AFRICA_CORPS = Actor("Africa Corps", "External/Other forces")
FRANCE = Actor("French Armed Forces (Barkhane)", "External/Other forces")
FLA = Actor("FLA: Azawad Liberation Front", "Rebel group")
VDP = Actor("VDP: Volunteers for the Defense of the Homeland", "Political militia")
DOZO = Actor("Dozo Communal Militia", "Identity militia")
DAN_NA = Actor("Dan Na Ambassagou", "Identity militia")
KOGLWEOGO = Actor("Koglweogo Militia", "Identity militia")
# "The army", "soldiers": the state forces of the country where the event happened (resolved later).
STATE = Actor("State forces", "State forces")

# ISO2 -> (ACLED name, English adjectives, French adjectives, acronyms)
STATE_FORCES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "ML": ("Military Forces of Mali (2021-)", ("Malian", "Mali's", "Mali"), ("malienne", "maliennes", "maliens"),
           ("FAMa", "FAMA")),
    "BF": ("Military Forces of Burkina Faso (2022-)", ("Burkinabe", "Burkinabè", "Burkinabé", "Burkina Faso",
                                                      "Burkina's", "Burkina"),
           ("burkinabè", "burkinabé", "burkinabe", "burkinabès"), ("FDS",)),
    "NE": ("Military Forces of Niger (2023-)", ("Nigerien", "Niger's", "Niger"),
           ("nigérienne", "nigériennes", "nigériens", "nigerienne"), ("FAN",)),
    "TD": ("Military Forces of Chad (2021-)", ("Chadian", "Chad's"), ("tchadienne", "tchadiennes", "tchadiens"), ()),
    "BJ": ("Military Forces of Benin (2016-)", ("Beninese", "Benin's", "Benin"),
           ("béninoise", "béninoises", "béninois"), ("FAB",)),
    "TG": ("Military Forces of Togo (2005-)", ("Togolese", "Togo's"), ("togolaise", "togolaises", "togolais"), ()),
    "NG": ("Military Forces of Nigeria (2023-)", ("Nigerian", "Nigeria's"), ("nigériane", "nigérianes"), ()),
    "MR": ("Military Forces of Mauritania (2019-)", ("Mauritanian", "Mauritania's"),
           ("mauritanienne", "mauritaniennes"), ()),
    "SN": ("Military Forces of Senegal (2024-)", ("Senegalese", "Senegal's"), ("sénégalaise", "sénégalaises"), ()),
    "CI": ("Military Forces of Ivory Coast (2011-)", ("Ivorian",), ("ivoirienne", "ivoiriennes"), ()),
    "DZ": ("Military Forces of Algeria (1999-)", ("Algerian",), ("algérienne", "algériennes"), ()),
    "GN": ("Military Forces of Guinea (2021-)", ("Guinean",), ("guinéenne", "guinéennes"), ()),
}
STATE_ACTORS = {cc: Actor(row[0], "State forces") for cc, row in STATE_FORCES.items()}
FAMA = STATE_ACTORS["ML"]
BF_ARMY = STATE_ACTORS["BF"]
NE_ARMY = STATE_ACTORS["NE"]
FORCE_WORDS_EN = r"(?:army|armed forces|military|soldiers|troops|forces|defen[cs]e forces|security forces|" \
                 r"defen[cs]e and security forces|air force|gendarmes|gendarmerie|junta|general staff)"
FORCE_WORDS_FR = r"(?:armée|forces armées|forces de défense et de sécurité|forces de défense|soldats|militaires|" \
                 r"troupes|gendarmerie|gendarmes|état-major|armée de l'air)"

ALIASES: dict[Actor, tuple[str, ...]] = {
    JNIM: ("JNIM", "GSIM", "Jama'at Nusrat al-Islam wal-Muslimin", "Jama'at Nasr al-Islam wal-Muslimin",
           "Jama'at Nusrat al-Islam wal Muslimin", "Jamaat Nusrat al-Islam wal-Muslimin",
           "Jama'at Nusrat al-Islam", "Jamaat Nusrat al-Islam",
           "Support Group for Islam and Muslims", "Group for the Support of Islam and Muslims",
           "Group to Support Islam and Muslims", "Groupe de soutien à l'islam et aux musulmans",
           "Groupe de soutien à l'islam et aux musulmans", "al-Qaeda affiliate", "al-Qaeda-affiliated group",
           "al-Qaeda affiliated", "al-Qaeda-linked", "al-Qaeda linked", "al-Qaida", "al-Qaeda", "Al Qaeda",
           "Al-Qaïda"),
    KATIBA_MACINA: ("Katiba Macina", "katiba du Macina", "Macina Liberation Front", "Front de libération du Macina",
                    "FLM"),
    ISSP: ("IS Sahel", "ISGS", "ISSP", "Islamic State Sahel", "Islamic State in the Greater Sahara",
           "Islamic State Sahel Province", "Etat islamique au Sahel", "État islamique au Sahel", "EIGS",
           "Islamic State's Sahel Province", "EI Sahel", "Islamic State", "État islamique", "Etat islamique",
           "Daesh", "Daech", "ISIS", "ISIL", "Etat islamique au Grand Sahara", "État islamique au Grand Sahara"),
    ISWAP: ("ISWAP", "Islamic State West Africa Province", "Islamic State West Africa", "Iswap",
            "État islamique en Afrique de l'Ouest", "Etat islamique en Afrique de l'Ouest"),
    BOKO_HARAM: ("Boko Haram", "Jama'atu Ahlis Sunna Lidda'awati wal-Jihad"),
    ANSAROUL: ("Ansaroul Islam", "Ansarul Islam", "Ansar ul Islam"),
    WAGNER: ("Wagner", "Wagner Group", "Russian mercenaries", "Wagner mercenaries", "groupe Wagner",
             "mercenaires russes"),
    AFRICA_CORPS: ("Africa Corps", "Russian Africa Corps", "Africa Corps russe"),
    FRANCE: ("French army", "French forces", "French military", "French troops", "French soldiers",
             "Barkhane", "armée française", "forces françaises", "soldats français", "militaires français"),
    FLA: ("FLA", "Azawad Liberation Front", "Front de libération de l'Azawad", "CSP-DPA", "CSP", "Tuareg rebels",
          "rebelles touareg", "CMA", "Coordination of Azawad Movements", "Coordination des mouvements de l'Azawad"),
    VDP: ("VDP", "Volunteers for the Defense of the Homeland", "Volunteers for the Defence of the Homeland",
          "Volontaires pour la défense de la patrie"),
    DOZO: ("Dozo", "Dozos", "Donzo", "Donzos", "dozo hunters", "chasseurs dozos", "chasseurs traditionnels"),
    DAN_NA: ("Dan Na Ambassagou", "Da Na Ambassagou"),
    KOGLWEOGO: ("Koglweogo",),
    STATE: ("army", "the military", "soldiers", "troops", "l'armée", "militaires", "soldats", "armed forces",
            "forces armées", "security forces", "forces de sécurité", "forces de défense et de sécurité",
            "defence and security forces", "defense and security forces", "gendarmes", "gendarmerie",
            "junta", "junte", "military government", "government forces"),
}
# All-caps aliases match only as written: "IS" or "FAN" in capitals, never the word "is" or "fan".
CASE_SENSITIVE = {"IS", "EI", "FAN", "FAB", "FDS", "CSP", "CMA", "FLA", "VDP", "FAMA", "FLM"}
ALIASES[ISSP] = (*ALIASES[ISSP], "IS", "EI")
UNNAMED_WORDS = re.compile(r"\b(jihadists?|islamists?|militants?|terrorists?|djihadistes?|jihadistes?|"
                           r"terroristes?|assailants|attackers|gunmen|armed men|armed individuals|"
                           r"unidentified (?:individuals|men|gunmen|assailants)|hommes armés|individus armés|"
                           r"assaillants|insurgents|bandits|fighters|combattants)\b", re.IGNORECASE)


def unidentified(country: str) -> Actor:
    """ACLED's code for a perpetrator the text does not name, in ``country`` (an ACLED country name)."""
    return Actor(f"Unidentified Armed Group ({country})", "Political militia")


def state_forces(code: str | None) -> Actor | None:
    """The state forces of the country ``code`` (ISO2), or None for a country without an entry."""
    return STATE_ACTORS.get((code or "").upper())


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
        return self.actor == STATE


def _alias_regex(alias: str) -> str:
    return re.escape(alias).replace(r"\ ", r"[\s-]+").replace("'", "['’]?").replace(r"\-", r"[\s-]{0,2}")


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], dict[str, Actor]]:
    by_alias: dict[str, Actor] = {}
    for actor, aliases in ALIASES.items():
        for alias in aliases:
            by_alias[normalise(alias)] = actor
    names = sorted({a for aliases in ALIASES.values() for a in aliases}, key=len, reverse=True)
    loose = [_alias_regex(n) for n in names if n not in CASE_SENSITIVE]
    exact = [_alias_regex(n) for n in names if n in CASE_SENSITIVE]
    state_parts = []
    for cc, (_name, en, fr, acronyms) in STATE_FORCES.items():
        en_alt = "|".join(_alias_regex(a) for a in sorted(en, key=len, reverse=True))
        fr_alt = "|".join(_alias_regex(a) for a in sorted(fr, key=len, reverse=True))
        state_parts.append(rf"(?P<{cc}>(?:{en_alt})\s+{FORCE_WORDS_EN}|{FORCE_WORDS_FR}\s+(?:{fr_alt})"
                           + "".join(rf"|\b{re.escape(a)}\b" for a in acronyms if a != "FDS") + ")")
    states = re.compile(r"(?<![\w])(?:" + "|".join(state_parts) + r")(?![\w])", re.IGNORECASE)
    return (re.compile(r"(?<![\w])(" + "|".join(loose) + r")(?![\w])", re.IGNORECASE),
            re.compile(r"(?<![\w])(" + "|".join(exact) + r")(?![\w])"), states, by_alias)


def find_actors(text: str) -> list[ActorMention]:
    """Every actor alias in ``text``, longest match first, in text order.

    National forces named with their country ("Nigerien soldiers") come first;
    other aliases inside them are not counted again.
    """
    loose, exact, states, by_alias = _pattern()
    out: list[ActorMention] = []
    taken = bytearray(len(text))  # characters already inside a mention (a mask: linear however many mentions)
    for match in states.finditer(text):
        code = next(k for k, v in match.groupdict().items() if v)
        out.append(ActorMention(STATE_ACTORS[code], match.group(0), match.start(), match.end()))
        taken[match.start():match.end()] = b"\x01" * (match.end() - match.start())
    for pattern in (loose, exact):
        for match in pattern.finditer(text):
            if any(taken[match.start():match.end()]):
                continue
            actor = by_alias.get(normalise(match.group(1)))
            if actor is not None:
                out.append(ActorMention(actor, match.group(1), match.start(), match.end()))
                taken[match.start():match.end()] = b"\x01" * (match.end() - match.start())
    return sorted(out, key=lambda m: m.start)


def normalise_actor(name: str) -> Actor | None:
    """The ACLED actor an alias names ("GSIM" -> JNIM), or None."""
    found = find_actors(name)
    if found and found[0].start == 0 and found[0].end == len(name.strip()):
        return found[0].actor
    return _pattern()[3].get(normalise(name))
