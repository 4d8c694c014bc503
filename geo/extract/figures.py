"""Figures in a sentence (killed, wounded, abducted, seized) and who claimed them."""
from __future__ import annotations

import re
from dataclasses import dataclass

from geo.extract.actors import find_actors
from geo.extract.dates import MONTH, WEEKDAY
from geo.extract.numbers import HEDGE, NUMBER, Quantity, parse_quantity

KILLED = r"(?:trouvée?s? la mort|perdu la vie|lost their lives|killed|dead|deaths?|died|neutrali[sz](?:ed|ing)|" \
         r"eliminated|lives|slain|massacred|mortes?|morts?|tuée?s?|assassinée?s?|exécutée?s?|" \
         r"neutralisés?|abattus?|décédés?)"
WOUNDED = r"(?:wounded|injured|hurt|blessés?)"
ABDUCTED = r"(?:abducted|kidnapped|taken hostage|seized as hostages|held hostage|enlevée?s?|kidnappée?s?|" \
           r"pris en otage|otages?|capturée?s?|captured|taken prisoner|faits? prisonniers?|taken captive)"
SEIZED = r"(?:seized?|seizing|captured?|capturing|took|taken?|overran|destroyed|burned|pris|détruits?|incendiés?)"
NOUN = r"(?:(?:le nombre de|the number of)\s+)?(?:[\w'’-]+,?\s+){0,4}?"
# a number, but not a bare article ("an army"), though "a dozen" is one
QTY = rf"\b(?!(?:a|an|un|une)\s+(?!dozen|douzaine|dizaine|vingtaine|trentaine|centaine|hundred|thousand)\w)" \
      rf"(?:{HEDGE})?{NUMBER}"
AUX = r"(?:were|have been|had been|was|are|being|got|ont été|a été|sont|ont|had|have)"
VICTIMS = {
    "militia": r"auxiliaries|auxiliaires|VDP|volunteers|volontaires|militiamen|miliciens|dozos?|donzos?|"
               r"koglweogo|supplétifs|self-defen[cs]e",
    "attackers": r"attackers|militants|jihadists?|terrorists?|assailants|insurgents|fighters|enemy|gunmen|"
                 r"d?jihadistes?|terroristes|assaillants|islamists?|islamistes?|combattants",
    "soldiers": r"soldiers?|troops|servicem[ae]n|military personnel|gendarmes?|policem[ae]n|policiers?|militaires?|"
                r"soldats?|army personnel",
    "civilians": r"civilians?|villagers?|people|residents?|workers?|civils?|personnes|habitants?|villageois|"
                 r"children|enfants?|women|femmes?|passengers?|travell?ers?|passagers?|voyageurs?",
}
AGE = r"(?:days?|weeks?|months?|years?|jours|semaines|mois|ans)\b"  # "babies under 30 days old": an age
FIGURE = re.compile(
    rf"(?P<qty>{QTY})(?!\s+{AGE})(?!\s+(?:{MONTH})\b)\s+(?P<noun>{NOUN})(?:{AUX}\s+)?(?P<verb>{KILLED}|{WOUNDED}|{ABDUCTED})\b"
    rf"|\b(?P<verb3>{SEIZED})\s+(?:control\s+of\s+)?(?P<qty3>{QTY})\s+"
    rf"(?P<noun3>(?:military\s+)?(?:barracks|bases?|camps?|posts?|positions?|vehicles|towns?|villages?))"
    rf"|\b(?P<verb2>{KILLED}|{WOUNDED}|{ABDUCTED}|killing|abducting|kidnapping|tuant|blessant|"
    rf"co[uû]t[ée] la vie [àa]|cost the lives of|claimed the lives of|took the lives of|bodies of|"
    rf"la mort d[e'’]|the deaths? of|le décès d[e'’]|(?:la |les )?pertes? de|the loss of|"
    rf"corps(?: sans vie)? d['’]?)(?:\s*[»\"”'])?"
    # "ont tué dimanche dix civils", "killed on Sunday night ten": the day between the verb and its count
    rf"(?:\s+(?:on\s+)?(?:{WEEKDAY})(?:\s+(?:soir|matin|night|morning|evening))?,?)?"
    rf"(?:\s+|(?<=['’]))(?:of\s+)?(?P<qty2>{QTY})\s+(?P<noun2>(?:(?:de|des|d['’]|of)\s*)?{NOUN}\w+)"
    rf"|(?P<qty4>{QTY})\s+(?:lifeless\s+)?(?P<verb4>bodies|corpses|cadavres|corps sans vie)\b"
    rf"|\b(?:perdu|lost)\s+(?P<qty5>{QTY})\s+(?P<noun5>(?:de leurs|of (?:their|its))\s+(?:camarades|comrades|men|"
    rf"hommes|soldiers|soldats|éléments|fighters|combattants))"
    rf"|\b(?:an?|one|un|une)\s+(?P<noun6>soldier|soldat|civilian|civil|villager|villageois|gendarme|militaire|"
    rf"policeman|policier|child|enfant|man|woman|homme|femme)\s+(?:{AUX}\s+)?(?P<verb6>{KILLED}|{WOUNDED})\b",
    re.IGNORECASE)
# "killing six in Dinguiri, two in Ménè, and three on the road": the later counts of the same list
LISTED_COUNT = re.compile(rf"(?:,\s*(?:and\s+|et\s+)?|\s+(?:and|et)\s+)(?P<qty>{QTY})\s+(?:in|at|on|near|à|au|dans|"
                          rf"sur)\b", re.IGNORECASE)
CLAIMANTS = [
    ("state", re.compile(r"\b(army|armed forces|military spokesperson|military said|FAMa|"
                         r"(?<!rebel )(?<!rebels' )(?<!group's )(?:spokesperson|spokesman)|"
                         r"government|ministry|minister|gendarmerie|armée|état-major|gouvernement|ministère|ministre|"
                         r"authorities|autorités)\b",
                         re.IGNORECASE)),
    ("armed group", re.compile(r"\b(group's statement|the group|JNIM|GSIM|ISSP|ISGS|terrorists|jihadists|"
                               r"militants|insurgents|propaganda|djihadistes|terroristes|communiqué du groupe|"
                               r"rebels|rebel spokesman|separatists|rebelles|séparatistes)\b",
                               re.IGNORECASE)),
    ("local sources", re.compile(r"\b(local sources?|residents?|eyewitness(?:es)?|witnesses|villagers|"
                                 r"sources? locales?|habitants?|témoins?|residents? said)\b", re.IGNORECASE)),
    ("officials", re.compile(r"\b(officials?|mayor|governor|prefect|élus?(?: locaux| local)?|maire|gouverneur|préfet|"
                             r"autorités locales|local authorities)\b", re.IGNORECASE)),
    ("security sources", re.compile(r"\b(security sources?|sources? sécuritaires?|sources? (?:de )?sécurité|"
                                    r"military sources?|sources? militaires?)\b", re.IGNORECASE)),
    ("analysts", re.compile(r"\b(analysts?|experts?|researchers?)\b", re.IGNORECASE)),
    ("media", re.compile(r"\b(France 24|AFP|Reuters|RFI|AP|Associated Press|media|journalists?|newspapers?|"
                         r"médias|journalistes?)\b", re.IGNORECASE)),
]


@dataclass(frozen=True)
class Figure:
    """A number in a sentence: what it counts, of whom, how hedged, and who said it."""

    metric: str          # "attackers killed", "soldiers killed", "people abducted", "barracks seized"...
    kind: str            # "killed", "wounded", "abducted", "seized"
    quantity: Quantity
    claimant: str
    claimant_type: str
    start: int
    end: int


def _kind(verb: str) -> str:
    verb = verb.lower()
    if re.fullmatch(WOUNDED, verb) or verb == "blessant":
        return "wounded"
    if re.fullmatch(ABDUCTED, verb) or verb in ("abducting", "kidnapping"):
        return "abducted"
    return "killed"


def _victims(noun: str, sentence: str) -> str:
    for name, pattern in VICTIMS.items():
        if re.search(rf"\b({pattern})\b", noun, re.IGNORECASE):
            return name
    return "people"


SPEECH = re.compile(r"\b(said|says|say|reported|reports|claimed(?! the lives?)|claims?(?! the lives?)|confirmed|"
                    r"stated|announced|asserted|"
                    r"insisted|according to|told|acknowledged|admitted|selon|revendiqu\w*|"
                    # French, in the past of one speaker or several ("ont indiqué des sources locales") and the present
                    r"(?:a|ont) (?:indiqué|affirmé|annoncé|reconnu|admis|déclaré|rapporté|précisé|confirmé|"
                    r"expliqué|raconté|assuré|signalé|témoigné)|"
                    r"indiquent|indique|affirment|affirme|déclarent|déclare|rapportent|confirment|confirme|"
                    r"racontent|raconte|expliquent|assurent|reconnaissent|reconnaît|font état|fait état|"
                    # the press's "a-t-on appris auprès d'élus locaux", "a appris l'AFP de sources sécuritaires"
                    r"a-t-on appris|apprend-on|a appris|auprès d(?:e|es|u|['’]))\b",
                    re.IGNORECASE)


UNNAMED_STATE = "State forces"
UNNAMED_GROUP = "Unnamed armed group"


MEDIA_RELAYS = 1000  # added to a news outlet's distance from the speech verb: any other source quoted comes first


def claimant_for(sentence: str, default: str, group: str = UNNAMED_GROUP) -> tuple[str, str]:
    """(claimant, claimant type) for a figure in ``sentence``.

    The claimant is the source word nearest a speech verb ("the army said",
    "according to local sources", "JNIM claimed"); ``default`` (the report's
    source) when nobody is quoted, ``group`` for an unnamed armed group.  An army
    the sentence does not name by country is :data:`UNNAMED_STATE`, for the
    pipeline to name after the event's country.
    """
    verbs = [m.start() for m in SPEECH.finditer(sentence)]
    if not verbs:
        return default, "media"
    best: tuple[float, str, str] | None = None
    for kind, pattern in CLAIMANTS:
        for match in pattern.finditer(sentence):
            # a news outlet relays whoever else the sentence quotes ("a appris l'AFP de sources sécuritaires")
            distance = min(abs(match.start() - v) for v in verbs) + (MEDIA_RELAYS if kind == "media" else 0)
            if best is None or distance < best[0]:
                best = (distance, kind, match.group(0))
    actors = find_actors(sentence)
    named = None  # an actor named by its alias ("the CSP-DPA said") is the claimant when nearest the verb
    for mention in actors:
        if mention.generic:
            continue
        # the speaker is the verb's subject ("the CSP-DPA said"), or follows "according to" / "selon"
        before = [v - mention.end for v in verbs if 0 <= v - mention.end <= 60]
        after = [mention.start - v for v in verbs if 0 <= mention.start - v <= 40
                 and re.search(r"(?:according to|selon|said|a déclaré|told)\s*$", sentence[:v + 20][:mention.start],
                               re.IGNORECASE)]
        if not before and not after:
            continue
        distance = min(before + after)
        if best is None or distance < best[0]:
            kind = "state" if mention.actor.inter == "State forces" else "armed group"
            best, named = (distance, kind, mention.alias), mention.actor.name
    if best is None:
        return default, "media"
    if best[1] == "media":
        return best[2], "media"
    kind = best[1]
    if named is not None:
        return named, kind
    if kind == "state":
        state = [a.actor.name for a in actors if a.actor.inter == "State forces" and not a.generic]
        return (state[0] if state else UNNAMED_STATE), kind
    if kind == "armed group":
        groups = [a.actor.name for a in actors if a.actor.inter == "Rebel group"]
        return (groups[0] if groups else group), kind
    return kind.capitalize(), kind


# what may stand between a count and its verb without being a word of the noun: a short parenthesis ("12 soldats
# (FAMa) ont été tués") and the long form of a force's name ("volontaires pour la défense de la patrie")
ASIDE = re.compile(r"\s*\([^()]{1,20}\)|(?<=volontaires) pour la défense de la patrie|"
                   r"(?<=volunteers) for the defen[cs]e of the homeland", re.IGNORECASE)
# the year of a date is never a count: "Niamey, 22 avril 2025 - Un soldat a été tué" is one soldier, not 2,025
DATE_YEAR = re.compile(rf"\b(?:{MONTH})\.?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?(?P<year>(?:19|20)\d\d)\b",
                       re.IGNORECASE)


def _masked(sentence: str) -> str:
    """``sentence`` with its :data:`ASIDE` parts and the years of its dates blanked (same length, so offsets hold)."""
    sentence = ASIDE.sub(lambda m: " " * len(m.group()), sentence)
    return DATE_YEAR.sub(lambda m: m.group()[:m.start("year") - m.start()] + " " * 4, sentence)


def find_figures(sentence: str, offset: int = 0, default_claimant: str = "the report") -> list[Figure]:
    """Every figure in ``sentence`` (offsets shifted by ``offset``)."""
    out = []
    # who each clause quotes ("the army admitted 10 dead, while JNIM claims 40"), worked out once per clause
    clauses = [0] + [m.end() for m in CONTRAST.finditer(sentence)]
    quoted: dict[int, tuple[str, str]] = {}

    def said_at(at: int) -> tuple[str, str]:
        first = max(c for c in clauses if c <= at)
        if first not in quoted:
            following = [c for c in clauses if c > first]
            clause = sentence[first:following[0]] if following else sentence[first:]
            quoted[first] = claimant_for(clause if len(clauses) > 1 else sentence, default_claimant)
            if len(clauses) > 1 and quoted[first][1] == "media" and quoted[first][0] == default_claimant:
                quoted[first] = claimant_for(sentence, default_claimant)  # nobody quoted in the clause
        return quoted[first]

    masked = _masked(sentence)
    for match in FIGURE.finditer(masked):
        if match.group("qty3"):
            quantity = parse_quantity(match.group("qty3"))
            noun = re.sub(r"^military\s+", "", match.group("noun3").lower())
            metric, kind = f"{noun} seized", "seized"
        else:
            qty_text = match.group("qty") or match.group("qty2") or match.group("qty4") or match.group("qty5")
            noun = match.group("noun") or match.group("noun2") or match.group("noun5") or match.group("noun6") or ""
            verb = match.group("verb") or match.group("verb2") or match.group("verb6") or "dead"
            quantity = parse_quantity(qty_text) if qty_text else Quantity(1)  # "un soldat a été tué"
            kind = _kind(verb)
            # "lost 22 of their comrades": a group of its own, added to the other groups' tolls
            victims = "comrades" if match.group("noun5") else _victims(noun, sentence)
            if LOSS.match(verb) and victims == "people":
                continue  # "la perte de trois véhicules": equipment, not lives
            metric = f"{victims} {kind}" if kind != "abducted" else "people abducted"
        if quantity is None or quantity.value == 0:
            continue
        if kind == "abducted":
            quantity = max([quantity, *_people_counts(masked[:match.end()])], key=lambda q: q.value)
        head = HEAD_COUNT.search(masked[:match.start()]) if match.group("qty") else None
        if head:
            # "136 civilians, including 50 women and 21 children, killed": the head count, not the last part
            quantity = parse_quantity(head.group("qty")) or quantity
        claimant, claimant_type = said_at(match.start())
        out.append(Figure(metric, kind, quantity, claimant, claimant_type,
                          offset + match.start(), offset + match.end()))
        if match.group("qty2") and kind == "killed":
            rest = sentence[match.end():]
            clause = rest[:re.search(r"[.;:]|$", rest).start()]
            for listed in LISTED_COUNT.finditer(clause):
                value = parse_quantity(listed.group("qty"))
                if value is not None and value.value:
                    at = match.end() + listed.start("qty")
                    out.append(Figure(metric, kind, value, claimant, claimant_type, offset + at,
                                      offset + match.end() + listed.end("qty")))
        before = COORDINATED.search(sentence[:match.start()]) if kind != "seized" and match.group("qty") else None
        if before and not head:
            # "six soldiers and at least 34 auxiliaries were killed": each group counts
            other = parse_quantity(before.group("qty"))
            if other is not None and other.value:
                victims = _victims(before.group("noun"), sentence)
                out.append(Figure(f"{victims} {kind}" if kind != "abducted" else "people abducted", kind, other,
                                  claimant, claimant_type, offset + before.start(), offset + before.end()))
    for match in BARE_KILLS.finditer(sentence):
        # "le JNIM affirme en avoir tué plus de 40": a count whose victims the sentence named before
        if any(f.start <= offset + match.start("qty") < f.end for f in out):
            continue
        quantity = parse_quantity(match.group("qty"))
        if quantity is not None and quantity.value:
            said = said_at(match.start())
            out.append(Figure("people killed", "killed", quantity, said[0], said[1], offset + match.start(),
                              offset + match.end()))
    return out


CONTRAST = re.compile(r"[;,]\s*(?:tandis que|alors que|while|whereas|but|mais|quand|when)\b|;", re.IGNORECASE)
LOSS = re.compile(r"(?:la |les )?pertes? de|the loss of", re.IGNORECASE)
BARE_KILLS = re.compile(rf"\b(?:en\s+)?(?:avoir|avait|avaient|a|ont|have|has|had)\s+(?:killed|tué|abattu|neutralisé)\s+"
                        rf"(?P<qty>{QTY})\s*(?=[.,;)]|$)", re.IGNORECASE)


HEAD_COUNT = re.compile(rf"(?P<qty>{QTY})\s+(?:[\w'’-]+\s+){{0,2}}?[\w'’-]+,?\s+(?:including|dont|among them|"
                        rf"parmi (?:eux|elles|lesquels)|y compris)\b[^.;:]*$", re.IGNORECASE)
COORDINATED = re.compile(rf"(?P<qty>{QTY})\s+(?P<noun>(?:[\w'’-]+\s+){{0,2}}?[\w'’-]+)(?:\s*[»\"”’'])?,?\s+"
                         rf"(?:and|et)\s+$", re.IGNORECASE)


PEOPLE = re.compile(rf"(?P<qty>{QTY})\s+(?:[\w'’-]+\s+){{0,2}}?(?:nationals|foreigners|workers|people|civilians|"
                    rf"hostages|citizens|persons|employees|engineers|ressortissants|personnes|travailleurs|"
                    rf"otages|civils|ouvriers)\b", re.IGNORECASE)


def _people_counts(text: str) -> list[Quantity]:
    """Head counts of people in ``text`` ("four foreign nationals")."""
    return [q for m in PEOPLE.finditer(text) if (q := parse_quantity(m.group("qty"))) is not None]


DEMONYMS = {
    "indian": "IN", "chinese": "CN", "french": "FR", "egyptian": "EG", "moroccan": "MA", "russian": "RU",
    "turkish": "TR", "austrian": "AT", "swiss": "CH", "american": "US", "emirati": "AE", "iranian": "IR",
    "german": "DE", "italian": "IT", "spanish": "ES", "belgian": "BE", "malian": "ML", "burkinabe": "BF",
    "nigerien": "NE", "senegalese": "SN", "mauritanian": "MR", "togolese": "TG", "beninese": "BJ",
    "ghanaian": "GH", "nigerian": "NG", "algerian": "DZ", "romanian": "RO", "south african": "ZA",
    "indiens": "IN", "indien": "IN", "chinois": "CN", "français": "FR", "égyptiens": "EG", "marocains": "MA",
    "russes": "RU", "turcs": "TR", "autrichien": "AT", "suisse": "CH", "américain": "US", "iraniens": "IR",
    "italiens": "IT", "allemand": "DE", "maliens": "ML", "burkinabè": "BF", "nigériens": "NE",
}
DEMONYM = "|".join(sorted(DEMONYMS, key=len, reverse=True))
NATIONALS = re.compile(
    rf"\b(?P<qty>{NUMBER})\s+(?P<dem>{DEMONYM})s?\b|\b(?P<dem2>{DEMONYM})\s+(?:citizens?|nationals?|workers?|"
    rf"engineers?|employees?|hostages?)\b|\b(?P<qty3>{NUMBER})\s+(?:ressortissants?|travailleurs?|ouvriers?)\s+"
    rf"(?P<dem3>{DEMONYM})s?\b", re.IGNORECASE)


def nationalities(sentence: str) -> list[str]:
    """ISO2 codes of the nationalities counted in ``sentence`` ("three Indian citizens and one Chinese")."""
    codes: list[str] = []
    for match in NATIONALS.finditer(sentence):
        dem = (match.group("dem") or match.group("dem2") or match.group("dem3")).lower()
        qty_text = match.group("qty") or match.group("qty3")
        quantity = parse_quantity(qty_text) if qty_text else None
        codes += [DEMONYMS[dem]] * (quantity.value if quantity and quantity.value < 1000 else 1)
    return codes
