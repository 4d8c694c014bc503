"""Report text: HTML to plain text, and sentences with their character offsets."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

MAX_REPORT_BYTES = 2_000_000
BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "header",
              "footer", "blockquote", "title"}
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head"}


class ReportError(ValueError):
    """A report cannot be read as text (empty, binary, too big); the message says which and why."""


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001 - HTMLParser signature
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    """True when the text is an HTML document or fragment."""
    return bool(re.search(r"<(html|body|p|div|article|br|h[1-6])\b", text[:5000], re.IGNORECASE))


def html_to_text(html: str) -> str:
    """Visible text of an HTML document, one block per line; scripts and styles dropped."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = unescape("".join(parser.parts))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def decode_report(data: bytes, name: str = "report") -> str:
    """Bytes of a ``.txt`` or ``.html`` report as plain text; raises :class:`ReportError` if unusable."""
    if not data.strip():
        raise ReportError(f"{name}: the file is empty")
    if len(data) > MAX_REPORT_BYTES:
        raise ReportError(f"{name}: {len(data):,} bytes is over the {MAX_REPORT_BYTES:,}-byte limit for one report")
    if b"\x00" in data[:8192]:
        raise ReportError(f"{name}: looks binary (NUL bytes), not a text or HTML report")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1252 leaves few bytes undefined; latin-1 takes anything
        text = data.decode("latin-1")
    control = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\n\r\t")
    if control > 0.05 * min(len(text), 8192):
        raise ReportError(f"{name}: looks binary (control characters), not a text or HTML report")
    if name.lower().endswith((".html", ".htm")) or looks_like_html(text):
        text = html_to_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReportError(f"{name}: no text in the report")
    return text


@dataclass(frozen=True)
class Sentence:
    """A sentence of the report and its span in the text."""

    text: str
    start: int
    end: int


SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z0-9À-Ý\"'“‘(])|\n+")
ABBREVIATIONS = re.compile(r"\b(Col|Gen|Lt|Capt|Maj|Sgt|Mr|Mrs|Ms|Dr|St|No|U\.S|U\.N|approx|etc|vs)\.$")


def sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences (and lines), keeping offsets into ``text``."""
    out: list[Sentence] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        chunk = text[start:match.start()]
        if ABBREVIATIONS.search(chunk) and "\n" not in match.group(0):
            continue
        _append(out, text, start, match.start())
        start = match.end()
    _append(out, text, start, len(text))
    return out


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        offset = start + chunk.index(stripped)
        out.append(Sentence(stripped, offset, offset + len(stripped)))
