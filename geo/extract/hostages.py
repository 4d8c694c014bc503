"""What became of people taken hostage: releases, deaths, escapes, proof of life and ransom demands.

Reports on an abduction often come weeks or months after it, and say what became of the
people taken ("four truck drivers kidnapped in January were released on Sunday").  Each
such sentence gives a :class:`HostageUpdate`: the new status, when it was reported to have
happened, who and how many (count, nationalities, occupation), when and where they were
taken if the sentence says so, and by whom.  A person links an update to an open case on the
review page; nothing here decides which case it belongs to.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from geo.extract.actors import ActorMention
from geo.extract.dates import DateMention
from geo.extract.figures import _people_counts, nationalities
from geo.extract.places import PlaceMention
from geo.extract.text import Sentence

IC = re.IGNORECASE
# who is spoken of: people held, or taken
HELD = re.compile(r"\b(?:hostages?|otages?|captives?|captivity|captivité|kidnapp\w*|abduct\w*|enlevée?s?|"
                  r"enlèvement|ravisseurs|kidnappers|abductors|held (?:captive|hostage)|détenue?s? par)\b", IC)
TAKEN = re.compile(r"\b(?:kidnapped|abducted|taken hostage|seized|enlevée?s?|kidnappée?s?|pris en otage|"
                   r"reported missing|porté(?:e|s|es)? disparu(?:e|s|es)?)\b", IC)
# the new status, most final first: a sentence that tells of a death and a release is about the death; a video
# of the hostages "released" by their captors is a proof of life
STATUSES: list[tuple[str, re.Pattern[str]]] = [
    ("killed", re.compile(
        r"\b(?:hostages?|otages?|captives?)\s+(?:[\w'’-]+\s+){0,4}?(?:was|were|has been|have been|a été|ont été)?"
        r"\s*(?:executed|killed|beheaded|murdered|exécutée?s?|tuée?s?|assassinée?s?|décapitée?s?)\b"
        r"|\b(?:executed|killed|beheaded|murdered|exécuté|tué|assassiné|décapité)\s+(?:the|an?|its|their|"
        r"l['’]|les?|la|un|une|leurs?|son|sa|ses)\s*(?:[\w'’-]+\s+){0,2}?(?:hostages?|otages?|captives?)\b"
        r"|\bdied in captivity\b|\bmort\w* en captivité\b", IC)),
    ("escaped", re.compile(r"\b(?:escaped|managed to flee|s['’]est évadée?|se sont évadée?s|"
                           r"(?:a|ont) (?:pu )?s['’]échapper|(?:a|ont) réussi à s['’]enfuir)\b", IC)),
    ("proof_of_life", re.compile(r"\b(?:proof of life|preuve de vie|(?:video|vidéo)\s+(?:[\w'’-]+\s+){0,3}?"
                                 r"(?:hostages?|otages?|captives?))\b", IC)),
    ("released", re.compile(r"\b(?:released(?!\s+(?:an?|the|its|their)\s+(?:[\w'’-]+\s+)?(?:video|statement|"
                            r"footage|recording|audio|message|communiqué))|freed|set free|let go|"
                            r"regained (?:their|his|her) freedom|"
                            r"libérée?s?|libération|remise?s? en liberté|relâchée?s?|retrouvé la liberté)\b", IC)),
    ("ransom", re.compile(r"\b(?:ransom|rançon)\b", IC)),
]
OCCUPATION = re.compile(r"\b(?:truck drivers|truckers|drivers|engineers|workers|employees|technicians|nuns?|"
                        r"priests?|missionar(?:y|ies)|journalists?|doctors?|aid workers|humanitarian workers|"
                        r"businessm[ae]n|geologists?|miners|tourists|camionneurs|chauffeurs|ingénieurs|ouvriers|"
                        r"employés|travailleurs|techniciens|religieuses?|prêtres?|missionnaires?|journalistes?|"
                        r"médecins?|humanitaires|commerçants?|hommes d['’]affaires|géologues?|touristes)\b", IC)
RELEASED = dict(STATUSES)["released"]
# a release wished for, sought or bargained over has not happened ("la libération des otages est notre priorité")
SOUGHT = re.compile(r"\b(?:priorit\w*|demand\w*|call(?:ed|s|ing)? for|appel\w*|exig\w*|réclam\w*|négoci\w*|"
                    r"negotiat\w*|efforts?|pour obtenir|to secure|obtain|in exchange for|en échange d\w*|seek\w*|"
                    r"cherch\w*|œuvr\w*|work(?:ing|s)? (?:for|towards?)|urg\w*|plaid\w*|hope\w*|espère\w*)\b", IC)
DONE = re.compile(r"\b(?:were|was|have been|has been|had been|ont été|a été|avaient été|avait été|sont|est)\s+"
                  r"(?:[\w'’-]+\s+){0,2}?(?:released|freed|libérée?s?|relâchée?s?)\b|\breleased (?:on|late|early|"
                  r"last|this|in|after)\b", IC)
# a ransom asked or paid, not ransom money in general
RANSOM_DEALT = re.compile(r"\b(?:demand\w*|ask\w*|paid|pay\w*|issu\w*|exig\w*|réclam\w*|pay[ée]e?s?|versée?s?|"
                          r"contre|against|in exchange)\b", IC)
LOCATIVE = re.compile(r"\b(?:in|at|near|à|au|près de|dans)\s+(?:the\s+|la\s+|le\s+)?$", IC)


@dataclass(frozen=True)
class HostageUpdate:
    """A report's news of people held: what became of them, and what it says of their abduction."""

    status: str                      # a key of geo.vocab.STATUS_LABELS
    when: date | None                # when it happened (or was reported, ``precision`` 2); None: unknown
    precision: int                   # ACLED time_precision of ``when``
    count: int | None                # people it is about, when the sentence counts them
    nationalities: tuple[str, ...]   # ISO2 codes, one per person counted by nationality
    occupation: str                  # as written ("truck drivers"), "" when not stated
    taken_when: date | None          # "kidnapped in January"
    taken_precision: int
    taken_where: str                 # the place the sentence says they were taken, as written
    where: str                       # the place of the news (released in X), as written
    by: str                          # the group the sentence names (holding, claiming or releasing)
    evidence: str                    # the sentence
    start: int
    end: int
    notes: list[str] = field(default_factory=list, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status, "date": self.when.isoformat() if self.when else None,
            "time_precision": self.precision, "count": self.count, "nationalities": list(self.nationalities),
            "occupation": self.occupation,
            "taken_date": self.taken_when.isoformat() if self.taken_when else None,
            "taken_time_precision": self.taken_precision, "taken_where": self.taken_where, "where": self.where,
            "by": self.by, "evidence": self.evidence, "start": self.start, "end": self.end, "notes": self.notes,
        }


def hostage_updates(sentences: Sequence[Sentence], places: Sequence[PlaceMention],
                    dates: Sequence[DateMention], actors: Sequence[ActorMention],
                    published: date | None) -> list[HostageUpdate]:
    """The hostage updates of a report, one per sentence that tells one."""
    out = []
    for sentence in sentences:
        text = sentence.text
        if not HELD.search(text):
            continue
        found = next(((name, m) for name, pattern in STATUSES if (m := pattern.search(text))), None)
        if found is None:
            continue
        status, match = found
        if status == "released" and SOUGHT.search(text) and not DONE.search(text):
            continue
        if status == "ransom" and not RANSOM_DEALT.search(text):
            continue
        own = [d for d in dates if sentence.start <= d.start and d.end <= sentence.end]
        taken_dates, news_dates = [], []
        for mention in own:
            before = text[max(0, mention.start - sentence.start - 40):mention.start - sentence.start]
            (taken_dates if TAKEN.search(before) and not RELEASED.search(before) else news_dates).append(mention)
        notes = []
        if news_dates:
            best = min(news_dates, key=lambda d: (d.precision, abs(d.start - (sentence.start + match.start()))))
            when, precision = best.value, best.precision
        elif published is not None:
            when, precision = published, 2
            notes.append("dated by the report: the sentence gives no day")
        else:
            when, precision = None, 3
            notes.append("date unknown")
        taken = min(taken_dates, key=lambda d: d.precision) if taken_dates else None
        codes = tuple(nationalities(text))
        counts = _people_counts(text)
        count = max((q.value for q in counts), default=None) or (len(codes) or None)
        occupation = OCCUPATION.search(text)
        inside = [m for m in places if sentence.start <= m.start < sentence.end and m.place is not None
                  and m.place.feature != "country"]
        taken_where = next((m.text for m in inside if TAKEN.search(
            text[max(0, m.start - sentence.start - 40):m.start - sentence.start])), "")
        where = next((m.text for m in inside if m.text != taken_where
                      and LOCATIVE.search(text[max(0, m.start - sentence.start - 12):m.start - sentence.start])), "")
        groups = [a.actor.name for a in actors if sentence.start <= a.start < sentence.end
                  and a.actor.inter != "State forces" and not a.generic]
        out.append(HostageUpdate(status, when, precision, count, codes, occupation.group(0) if occupation else "",
                                 taken.value if taken else None, taken.precision if taken else 3, taken_where,
                                 where, groups[0] if groups else "", text.strip(), sentence.start, sentence.end,
                                 notes))
    return _one_per_status(out)


def _one_per_status(updates: list[HostageUpdate]) -> list[HostageUpdate]:
    """A headline and the lead that tell the same news are one update: the one that says most."""
    kept: list[HostageUpdate] = []
    for update in updates:
        same = next((k for k in kept if k.status == update.status and (
            k.when == update.when or k.precision > 1 or update.precision > 1)), None)
        if same is None:
            kept.append(update)
        elif _detail(update) > _detail(same):
            kept[kept.index(same)] = update
    return kept


def _detail(update: HostageUpdate) -> int:
    return sum(bool(x) for x in (update.count, update.nationalities, update.occupation, update.taken_when,
                                 update.where, update.by)) + (update.precision == 1)
