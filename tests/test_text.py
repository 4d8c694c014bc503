"""The report's own publication date: Published lines, datelines, date lines, HTML metadata."""
from __future__ import annotations

from datetime import date

import pytest

from geo.extract.text import (
    ReportError,
    decode_report,
    parse_date_value,
    published_in_text,
    read_report,
)

BODY_EN = "Armed men on motorbikes set fire to a school and a health post, residents said."
BODY_FR = "Des hommes armés à moto ont incendié une école et un centre de santé, selon des habitants."


@pytest.mark.parametrize(("text", "expected"), [
    # labelled lines, at the top or at the bottom
    (f"Fuel convoy burned on the northern road\nPublished 14 February 2024\n\n{BODY_EN}", date(2024, 2, 14)),
    (f"Fuel convoy burned\n\nPublished on: 2024-02-14\n\n{BODY_EN}", date(2024, 2, 14)),
    (f"Une école incendiée\n\nPublié le mercredi 14 février 2024\n\n{BODY_FR}", date(2024, 2, 14)),
    (f"Une école incendiée\n\n{BODY_FR}\n\nMis à jour le 09/02/2024", date(2024, 2, 9)),
    (f"Une école incendiée\nPar la rédaction | Publié le 1er mars 2024 à 08h10\n\n{BODY_FR}", date(2024, 3, 1)),
    (f"School burned\nUpdated: 27-11-2025 18:05 GMT\n\n{BODY_EN}", date(2025, 11, 27)),
    (f"School burned\nBy a staff reporter, posted on Tuesday, 2 December 2025\n\n{BODY_EN}", date(2025, 12, 2)),
    (f"School burned\n\n{BODY_EN}\n\nFirst published Dec. 2, 2025", date(2025, 12, 2)),
    (f"Une école incendiée\nDate de publication : 5 oct. 2023\n\n{BODY_FR}", date(2023, 10, 5)),
    # datelines at the start of the body
    (f"School burned\n\nGAO, Nov. 18 (Reuters) - {BODY_EN}\n\n© 2025 Reuters", date(2025, 11, 18)),
    (f"Une école incendiée\n\nDori, 4 avril 2024 (AFP) - {BODY_FR}", date(2024, 4, 4)),
    (f"Une école incendiée\n\nDori, le 4 avril 2024 - {BODY_FR}", date(2024, 4, 4)),
    (f"School burned\n\nDori (AFP) April 4, 2024 - {BODY_EN}", date(2024, 4, 4)),
    (f"School burned\n\nDori (AFP) April 4, 2024\n\n{BODY_EN}", date(2024, 4, 4)),
    (f"School burned\n\nNIAMEY, Friday, 9 May 2025 — {BODY_EN}", date(2025, 5, 9)),
    (f"School burned\n\nMénaka, 30 January 2024. {BODY_EN}", date(2024, 1, 30)),
    (f"School burned\n\n30 January 2024. {BODY_EN}", date(2024, 1, 30)),
    # a date standing alone near the top, maybe with a time
    (f"School burned\n\nMay 9, 2025 - 07:41\n\n{BODY_EN}", date(2025, 5, 9)),
    (f"Une école incendiée\n\n9 mai 2025 à 7h41 par AFP\n\n{BODY_FR}", date(2025, 5, 9)),
    (f"School burned\nSaturday, 10 May 2025\n{BODY_EN}", date(2025, 5, 10)),
    (f"School burned\n2025-05-10T09:30:00Z\n{BODY_EN}", date(2025, 5, 10)),
    # a publication line beats a dateline, and a dateline beats an update line
    (f"School burned\nPublished 10 May 2025\n\nGAO, 9 May 2025 - {BODY_EN}", date(2025, 5, 10)),
    (f"School burned\nUpdated 12 May 2025\n\nGAO, 9 May 2025 - {BODY_EN}", date(2025, 5, 9)),
])
def test_the_publication_date_the_report_states(text: str, expected: date) -> None:
    assert published_in_text(text) == expected


@pytest.mark.parametrize("text", [
    BODY_EN,
    f"School burned\n\nOn 9 May 2025, {BODY_EN[0].lower()}{BODY_EN[1:]}",  # an event date, not the publication
    f"School burned\n\nOn Friday 9 May, gunmen burned a school near Gao.\n\n{BODY_EN}",
    f"Une école incendiée\n\nLe 9 mai 2025, des hommes armés ont incendié une école près de Gao.\n{BODY_FR}",
    f"School burned\n\nGunmen burned a school near Gao on 9 May 2025 - {BODY_EN}",
    f"School burned\n\nGAO, Nov. 18 (Reuters) - {BODY_EN}",  # no year anywhere: not a date
    f"School burned\nPublished 18 November\n\n{BODY_EN}",  # no year
    f"School burned\nUpdated: 03/04/2025\n\n{BODY_EN}",  # 3 April or March 4? not guessed in English
    f"School burned\nPublished 31 June 2025\n\n{BODY_EN}",  # no such day
    (f"School burned\n\n{BODY_EN} The attack was published on 9 May 2025 in a long statement read on radio, "
     "which said nothing else about the number of people hurt or the buildings that were destroyed."),
    "",
])
def test_no_clear_publication_date_is_none(text: str) -> None:
    assert published_in_text(text) is None


def test_day_first_numeric_dates() -> None:
    assert published_in_text(f"Une école incendiée\nPublié le 03/04/2025\n\n{BODY_FR}") == date(2025, 4, 3)
    assert published_in_text(f"School burned\nPublished 28.04.2025\n\n{BODY_EN}") == date(2025, 4, 28)
    assert published_in_text(f"School burned\nPublished 04/28/2025\n\n{BODY_EN}") == date(2025, 4, 28)


def test_a_date_deep_in_a_long_report_is_not_read() -> None:
    middle = "\n".join(f"Paragraph {n}: {BODY_EN}" for n in range(30))
    text = f"School burned\n\n{middle}\n\nPublished 10 May 2025\n\n{middle}"
    assert published_in_text(text) is None


HTML = "<html><head>{head}</head><body><article>{body}<p>{text}</p></article></body></html>"


@pytest.mark.parametrize(("head", "body", "expected", "source"), [
    ('<meta property="article:published_time" content="2025-05-10T09:30:00+01:00">', "", date(2025, 5, 10),
     "HTML meta"),
    ('<meta name="pubdate" content="20250510">', "", date(2025, 5, 10), "HTML meta"),
    ('<meta name="DC.date.issued" content="2025-05-10">', "", date(2025, 5, 10), "HTML meta"),
    ('<meta name="publish-date" content="Sat, 10 May 2025 09:30:00 GMT">', "", date(2025, 5, 10), "HTML meta"),
    ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2025-05-10"}</script>', "",
     date(2025, 5, 10), "HTML meta"),
    ("", '<p><span itemprop="datePublished" content="2025-05-10"></span></p>', date(2025, 5, 10), "HTML meta"),
    ("", '<p><time datetime="2025-05-10T09:30">10 May</time></p>', date(2025, 5, 10), "<time>"),
    # the article's own date beats a later <time> and a vague meta value
    ('<meta name="date" content="recently"><meta property="article:published_time" content="2025-05-10">',
     '<time datetime="2025-06-01">June</time>', date(2025, 5, 10), "HTML meta"),
    ('<meta name="date" content="recently">', "<p>GAO, 9 May 2025 - Gunmen burned a school.</p>",
     date(2025, 5, 9), "dateline"),
    ("", "", None, ""),
])
def test_html_reports(head: str, body: str, expected: date | None, source: str) -> None:
    report = read_report(HTML.format(head=head, body=body, text=BODY_EN).encode(), "page.html")
    assert (report.published, report.published_source) == (expected, source)
    assert BODY_EN in report.text and "<" not in report.text and "datePublished" not in report.text


def test_text_reports() -> None:
    report = read_report(f"School burned\r\n\r\nGAO, 9 May 2025 - {BODY_EN}".encode("cp1252"), "a.txt")
    assert report.published == date(2025, 5, 9) and report.published_source == "dateline"
    assert "\r" not in report.text and report.text == decode_report(
        f"School burned\r\n\r\nGAO, 9 May 2025 - {BODY_EN}".encode("cp1252"), "a.txt")
    undated = read_report(BODY_EN.encode(), "b.txt")
    assert (undated.published, undated.published_source) == (None, "")


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"), (b"\x00\x01" * 50, "binary"), (b"<html><body><script>x</script></body></html>", "no text"),
])
def test_read_report_keeps_decode_errors(data: bytes, message: str) -> None:
    with pytest.raises(ReportError, match=message):
        read_report(data, "bad.html")


@pytest.mark.parametrize(("value", "expected"), [
    ("2025-05-10T09:30:00Z", date(2025, 5, 10)), ("2025-05-10", date(2025, 5, 10)),
    ("20250510", date(2025, 5, 10)), ("Sat, 10 May 2025 09:30:00 +0000", date(2025, 5, 10)),
    ("May 10, 2025", date(2025, 5, 10)), ("2025-13-40", None), ("soon", None), ("", None),
])
def test_machine_dates(value: str, expected: date | None) -> None:
    assert parse_date_value(value) == expected
