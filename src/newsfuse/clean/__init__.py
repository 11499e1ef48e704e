"""Clean: RawDocument -> Article. Boilerplate and repeats out, metadata found, every removal logged."""

from __future__ import annotations

import dataclasses
import hashlib
import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from newsfuse.clean import boilerplate as bp
from newsfuse.clean import metadata as meta
from newsfuse.clean.outlets import OutletRegistry
from newsfuse.errors import InputError
from newsfuse.models import Article, RawDocument, Removal
from newsfuse.text.calendar import iso_day

CLEANER_VERSION = "clean.v14"  # v14: "Originally published <date>" is a stamp; v13: a line that is only a dateline with its date after a comma or dash ("WASHINGTON, DC, April 28, 2009", "WASHINGTON - April 27 -"); a press release's "FOR IMMEDIATE RELEASE <date>" is its stamp; v12: stamps with abbreviating dots ("Sun., Aug. 4"), ordinal days ("April 24th") or a dotted British time ("08.33 BST"); v11: a wire credit run on at the end of a paragraph ("... (Reporting by X; Editing by Y)") is taken off; v10: a gallery caption of any length ("Image 8 of 40 ...") is a caption, a cut copy of the caption before it a teaser; v9: an embedded tweet that is only links, handles and its signature, and "Follow <name> on Twitter"; v2: rules from the real-article audit (bench/clean_audit.py); v3: "X contributed reporting" lines, captions written as sentences; v4: stamps ending in a US Central/Mountain/Pacific, European summer or Asia-Pacific zone; v5: a stamp with a time zone dates the article; v6: a line that is only a web address; v7: a video clip's blurb ending in its "(Published <date>)" stamp is a caption; v8: "In this Monday, Dec. 3, 2012 photo, ..." is a caption (a month's dot before its day)
# Characters that carry no text but break matching: zero-width spaces and joiners, soft hyphens.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Control characters carry no text and a NUL breaks full-text search and PostgreSQL: removed from every
# declared field (tab, newlines kept; a vertical tab or form feed becomes a line break), and logged.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The most text one article may have. The longest article in GVA (6,335 news articles, ../shared/data) has
# 100,000 characters (the corpus's own cut), in ECB+ 16,141: ten times the first is no article but a dump,
# refused before the line-by-line rules run (they were built for lines of news, not megabytes).
MAX_TEXT_CHARS = 1_000_000
# Scraped text and titles keep HTML entities ("Mr. G&#39;s"): unescaped when present.
HTML_ENTITY = re.compile(r"&(#\d{1,6}|#x[0-9a-f]{1,6}|[a-z]{2,8});", re.I)
# Close-button and bullet glyphs a scraper leaves before a title ("× 5 wounded in ...").
TITLE_JUNK = re.compile(r"^[×»›•|]+\s*")
# Text with more capitals than this share of its letters is shouted: classified in lower case
# (GVA audit: an all-caps TV script was classed "ln").
SHOUTED_SHARE = 0.6
# A sentence ends at a stop followed by a capital, a digit or a quote (or the end of the paragraph) ...
SENTENCE_STOP = re.compile(r"([.!?][\"”’']?)(?=\s+[\"“‘'(]?[A-Z0-9]|\s*$)")
# ... unless the stop closes an abbreviation: an initial, a title, a US state ("Two deputy U.S. marshals",
# "KANSAS CITY, Mo. Police said": GVA titles taken from first sentences were cut there).
ABBREVIATION = re.compile(
    r"(\b[A-Z]\.|\b[A-Z]\.[A-Z]\.|\b(Mr|Mrs|Ms|Dr|St|Sgt|Lt|Capt|Det|Gov|Sen|Rep|Gen|Col|Jr|Sr|No|Mt|Ft|Ave|Blvd|Co|"
    r"Inc|Corp|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Kans|Ky|La|"
    r"Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev|Okla|Ore|Pa|Tenn|Tex|Va|Vt|Wash|Wis|Wyo)\.)$"
)
# A page title with the page's timestamps run into it: "Four shot in park Posted: Monday, March 2, 2015 ...".
TITLE_TIMESTAMP_TAIL = re.compile(r"\s+(posted|updated|published|last updated)\s*:.*$", re.I)
# Titles longer than this are a lead sentence standing in for a title: shorten for display.
TITLE_MAX_CHARS = 200
# Sources whose records may be only a headline (a feed entry, an aggregator's JSON line): with a title and
# no body left they are kept as headline-only articles. A web page with nothing but its headline and
# menus is a failed page, not a headline.
HEADLINE_SOURCES = frozenset({"jsonl", "feed"})


@dataclass(frozen=True)
class Cleaned:
    """An article plus what the pipeline needs to finish it once the whole batch is seen."""

    article: Article
    partial_date: tuple[int, int] | None = None  # (month, day) of a dateline that gives no year


def normalise(text: str) -> str:
    """NFC, no invisible characters, no-break and odd spaces made plain, trailing spaces gone."""
    if HTML_ENTITY.search(text):
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text).translate(INVISIBLE)
    text = re.sub(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]", " ", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(re.sub(r" {2,}", " ", line).strip() for line in text.split("\n"))


def content_id(title: str, text: str) -> str:
    """The article id: a hash of the cleaned title and text, so exact duplicates share it."""
    return hashlib.sha256(f"{title}\n\n{text}".encode("utf-8")).hexdigest()[:16]


def without_controls(declared: dict) -> tuple[dict, Removal | None]:
    """The declared fields with control characters removed, and a cleaning-log entry saying which (or None)."""
    removed: Counter[str] = Counter()

    def strip(value: object) -> object:
        if not isinstance(value, str) or not CONTROL.search(value):
            return value
        removed.update(CONTROL.findall(value))
        return CONTROL.sub(lambda m: "\n" if m.group() in "\x0b\x0c" else "", value)

    cleaned = {key: strip(value) for key, value in declared.items()}
    if not removed:
        return declared, None
    counts = ", ".join(f"{n} × U+{ord(c):04X}" for c, n in sorted(removed.items()))
    return cleaned, Removal("control-characters", counts, -1)


def clean_document(raw: RawDocument, outlet_flag: str | None = None, registry: OutletRegistry | None = None) -> Cleaned:
    """Clean one document. Raises InputError when nothing that reads like an article is left.

    `outlet_flag` names the outlet of a document whose own data names none; `registry` (default: the shipped
    outlet registry) turns hosts and short names into display names."""
    size = len(raw.declared.get("text") or "")
    if size > MAX_TEXT_CHARS:
        raise InputError(raw.location, f"text is {size:,} characters, over the {MAX_TEXT_CHARS:,}-character limit "
                                       "of one article: split it into articles (e.g. as JSON Lines)")
    declared, controls = without_controls(raw.declared)
    if outlet_flag:
        outlet_flag = CONTROL.sub("", outlet_flag)
    lines, title = _lines_and_title(declared)
    paragraphs = tuple(text for _, text in lines.items if text)
    headline_only = bool(declared.get("headline_only")) or (not paragraphs and raw.kind in HEADLINE_SOURCES)
    if not paragraphs and not (headline_only and title):
        raise InputError(raw.location, "no article text left after cleaning (only navigation or metadata)")
    if not title:
        title = _first_sentence(paragraphs[0])
    text = "\n\n".join(paragraphs)
    captions = tuple(i for i, (pos, _) in enumerate(lines.items) if pos in lines.captions)
    outlet, outlet_found_by = _find_outlet(declared, outlet_flag, paragraphs, lines, registry)
    published, published_found_by, partial = _find_date(declared, lines)
    article = Article(
        id=content_id(title, text),
        title=title,
        text=text,
        paragraphs=paragraphs,
        outlet=outlet,
        outlet_found_by=outlet_found_by,
        published=published,
        published_found_by=published_found_by,
        language=detect_language(text or title),
        url=declared.get("url"),
        external_id=_str_or_none(declared.get("external_id")),
        author=declared.get("author") or (lines.authors[0] if lines.authors else None),
        dateline=lines.dateline,
        caption_paragraphs=captions,
        removals=tuple(sorted([*lines.removals, *([controls] if controls else [])], key=lambda r: r.position)),
        cleaner=CLEANER_VERSION,
        headline_only=headline_only,
    )
    return Cleaned(article, partial)


def _lines_and_title(declared: dict) -> tuple[bp.Lines, str]:
    """The body's lines with the boilerplate removed, and the title (declared, the header, or the first line;
    "" when none is found)."""
    body = normalise(declared.get("text") or "")
    lines = bp.Lines([(i, line) for i, line in enumerate(body.split("\n")) if line])
    header = normalise(declared.get("header") or "").strip()
    declared_title = _usable_title(normalise(declared.get("title") or ""))
    bp.remove_navigation(lines)
    bp.strip_trailing_credits(lines)
    if not declared_title and header:
        if bp.looks_like_title(header) or any(bp.key(t) == bp.key(header) for _, t in lines.items):
            declared_title = header
        else:
            lines.items.insert(0, (-1, header))  # the header is the article's first sentence
    title, suffix_outlet = meta.split_title_suffix(declared_title)
    if suffix_outlet:
        lines.outlet_signals.append((f"title:{suffix_outlet}", suffix_outlet))
    bp.remove_bylines_and_timestamps(lines)
    bp.remove_mastheads(lines)
    if not title:
        title = _title_from_first_line(lines)
    bp.remove_title_repeats(lines, title, declared_title)
    bp.mark_captions(lines)
    bp.remove_duplicates(lines)
    bp.remove_teasers(lines)
    bp.remove_headings(lines)
    bp.strip_dateline(lines)
    bp.remove_duplicates(lines)  # a lead repeated without its dateline matches only once the dateline is off
    return lines, title


def complete_date(cleaned: Cleaned, batch_dates: list[str]) -> Article:
    """Give a dateline without a year its year, inferred from the batch or the text, marked as such."""
    article = cleaned.article
    if cleaned.partial_date is None or article.published:
        return article
    month, day = cleaned.partial_date
    inferred = meta.infer_year(month, day, batch_dates, article.text)
    if inferred is None:
        return article
    year, how = inferred
    published = iso_day(year, month, day)
    return dataclasses.replace(article, published=published, published_found_by=how) if published else article


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (py3langid), or None for text too short to tell."""
    if len(text) < 20:
        return None
    import py3langid

    sample = text[:5000]
    letters = [ch for ch in sample if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) / len(letters) > SHOUTED_SHARE:
        sample = sample.lower()  # the language model reads shouted text (a TV script in capitals) as another language
    language, _ = py3langid.classify(sample)
    return language


def _usable_title(title: str) -> str:
    """A declared title without scraper glyphs; "" when it is only a dateline ("WASHINGTON —")."""
    title = TITLE_TIMESTAMP_TAIL.sub("", TITLE_JUNK.sub("", " ".join(title.split())))  # a title is one line
    return "" if bp.is_dateline_only(title) else title


def _title_from_first_line(lines: bp.Lines) -> str:
    """Use the first line as the title when it reads like one and more text follows it."""
    if len(lines.items) < 2:
        return ""
    pos, first = lines.items[0]
    if bp.looks_like_title(first) and not bp.is_caption(first) and not bp.is_dateline_only(first):
        lines.removals.append(bp.Removal("title", first, pos))
        del lines.items[0]
        return _usable_title(TITLE_TIMESTAMP_TAIL.sub("", first))
    return ""


def _first_sentence(paragraph: str) -> str:
    sentence = paragraph
    for match in SENTENCE_STOP.finditer(paragraph):
        if not ABBREVIATION.search(paragraph[: match.end(1)]):
            sentence = paragraph[: match.end(1)]
            break
    sentence = TITLE_JUNK.sub("", sentence)
    if len(sentence) > TITLE_MAX_CHARS:
        sentence = sentence[:TITLE_MAX_CHARS].rsplit(" ", 1)[0] + " …"
    return sentence


def _find_outlet(declared: dict, flag: str | None, paragraphs: tuple[str, ...], lines: bp.Lines,
                 registry: OutletRegistry | None) -> tuple[str | None, str | None]:
    """An outlet given explicitly (the document's own field, then the --outlet flag) wins over anything inferred."""
    if declared.get("outlet") and str(declared["outlet"]).strip():
        return meta.outlet_name(str(declared["outlet"]), registry), "field"
    if flag and flag.strip():
        return meta.outlet_name(flag, registry), "flag"
    from_url = meta.outlet_from_url(declared.get("url"), registry)
    if from_url and (from_url != meta.bare_host(declared.get("url")) or not declared.get("site_name")):
        return from_url, "url"
    if declared.get("site_name"):  # an unknown host's own site name reads better than its domain
        return meta.outlet_name(str(declared["site_name"]), registry), "site_name"
    found = meta.outlet_from_text(paragraphs, lines.outlet_signals, registry)
    if found:
        return found
    return None, None


def _find_date(declared: dict, lines: bp.Lines) -> tuple[str | None, str | None, tuple[int, int] | None]:
    if declared.get("published"):
        value = meta.iso_date(declared["published"])
        if value:
            return value, ("header" if declared.get("header") is not None else "metadata"), None
    from_url = meta.date_from_url(declared.get("url"))
    if from_url:
        return from_url, "url", None
    if lines.dateline_date:
        md = meta.month_day(lines.dateline_date)
        if md and lines.dateline_year:
            value = iso_day(int(lines.dateline_year), *md)
            if value:
                return value, "dateline", None
        if md:
            from_stamps = meta.date_from_timestamps(lines.timestamps)
            if from_stamps:
                return from_stamps, "byline-timestamp", None
            return None, None, md
    from_stamps = meta.date_from_timestamps(lines.timestamps)
    if from_stamps:
        return from_stamps, "byline-timestamp", None
    return None, None, None


def _str_or_none(value: object) -> str | None:
    return None if value is None else str(value)
