"""The records that cross stages: plain frozen dataclasses, no behaviour beyond (de)serialisation."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal


# Types returned as they are, and each record class's field names: an analysis holds ~2,000 values, and
# asking dataclasses about each one cost a tenth of the analysis stage's own Python time (cProfile, GVA).
_PLAIN = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}
# The same as sets, for reading records back (reading 200 analyses asked dataclasses.fields 42,000 times).
_FIELD_SETS: dict[type, frozenset[str]] = {}


def to_dict(record: Any) -> Any:
    """Turn a record (or nested records, tuples, lists) into JSON-ready data."""
    kind = type(record)
    if kind in _PLAIN:
        return record
    names = _FIELDS.get(kind)
    if names is None and dataclasses.is_dataclass(record) and not isinstance(record, type):
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(record))
    if names is not None:
        return {name: to_dict(getattr(record, name)) for name in names}
    if isinstance(record, (list, tuple)):
        return [to_dict(item) for item in record]
    if isinstance(record, dict):
        return {key: to_dict(value) for key, value in record.items()}
    return record


# ---------------------------------------------------------------- ingest

SourceKind = Literal["text", "html", "jsonl", "feed", "warc", "url"]


@dataclass(frozen=True)
class RawDocument:
    """One document as a reader found it, before any cleaning.

    `content` is the original, byte for byte. `declared` holds what the source itself says about
    the document (outlet, url, title, published, external_id, author, site_name, text), each only
    when the source gives it.
    """

    kind: SourceKind
    location: str
    content: bytes
    declared: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReadFailure:
    """An input (or one part of it: a JSONL line, a feed entry, a WARC record) that could not be read."""

    location: str
    reason: str


# ---------------------------------------------------------------- clean

@dataclass(frozen=True)
class Removal:
    """One piece of text the cleaner removed, and why."""

    reason: str  # why it went: navigation, byline, timestamp, duplicate, teaser, dateline, heading, title-repeat, masthead, credits, promo, site-ui, contact, ... (see clean/boilerplate.py)
    text: str
    position: int  # index of the line/paragraph in the original text


@dataclass(frozen=True)
class Article:
    """A cleaned article. Character spans elsewhere point into `text` (paragraphs joined by a blank line)."""

    id: str  # content hash of the cleaned title + text
    title: str
    text: str
    paragraphs: tuple[str, ...]
    outlet: str | None
    outlet_found_by: str | None  # url | site_name | field | flag | text:<signal> ...
    published: str | None  # ISO date YYYY-MM-DD
    published_found_by: str | None  # header | metadata | url | dateline | dateline-inferred-year ...
    language: str | None
    url: str | None = None
    external_id: str | None = None
    author: str | None = None
    dateline: str | None = None
    caption_paragraphs: tuple[int, ...] = ()  # indexes of paragraphs that are photo captions
    removals: tuple[Removal, ...] = ()
    cleaner: str = "clean.v1"
    # A headline with at most a teaser (a feed entry or JSON line without a body): `text` holds the teaser
    # or nothing, so the article can support a fact only through its headline.
    headline_only: bool = False


@dataclass(frozen=True)
class SourceRecord:
    """Where one copy of an article came from (an article may have several)."""

    kind: SourceKind
    location: str
    original_sha256: str
    declared: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- analyse

@dataclass(frozen=True)
class Sentence:
    article_id: str
    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0


@dataclass(frozen=True)
class Mention:
    """A named-entity mention in one article."""

    article_id: str
    text: str
    label: str  # PERSON | ORG | GPE | NORP | LOC | ... (spaCy labels, corrected)
    start: int
    end: int
    sentence: int
    entity_id: str | None = None  # canonical entity, once linked
    kind: str = "name"  # name | descriptor ("Russia's top diplomat", "the junta")
    part: str = "text"  # text | title (spans then point into Article.title)
    # What the text says about the mention, for linking: role, country, org, body, led_by ...
    attrs: dict[str, str] = field(default_factory=dict)
    link_evidence: str | None = None  # why entity_id was chosen, once linked


@dataclass(frozen=True)
class Entity:
    """A canonical entity with every spelling it goes by, and the evidence for each link."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    article_ids: tuple[str, ...] = ()
    mention_count: int = 0


@dataclass(frozen=True)
class Quote:
    """Who said what: speaker, cue and content spans in one article."""

    article_id: str
    speaker: str  # the speaker phrase as written, or the resolved name for pronouns (see speaker_name)
    speaker_start: int | None
    speaker_end: int | None
    cue: str
    cue_start: int | None
    cue_end: int | None
    content: str
    content_start: int
    content_end: int
    direct: bool
    sentence: int
    speaker_entity: str | None = None  # canonical entity id of the speaker across the corpus, once linked
    kind: str = "speech"  # speech (said, wrote, told ...) | attitude (wants, plans, called for, cited ...)
    # The whole source phrase, asides included ("Keron Blair, executive director of AROS,"); the speaker
    # span above is its name part. Equal to the speaker span when there is no aside.
    source_start: int | None = None
    source_end: int | None = None
    # Who the speaker is in the article (analyse/speakers.py): the name the speaker phrase, pronoun, role
    # ("the four-term congressman"), possessive ("his office") or acronym refers to, as the article writes it
    # in full ("Paul Ryan", "Federal Bureau of Investigation"); "" when the article does not make it clear.
    speaker_name: str = ""
    # PERSON | ORG | GPE | NORP for a named (or resolved) speaker; SOURCE for a document, poll or the media
    # ("Previous reports", "multiple news outlets"), kept but no one who speaks; "" unresolved.
    speaker_type: str = ""
    speaker_via: str = ""  # how: name | acronym | pronoun | role | previous (continues the quote before) | source | ""
    # The article's mention of that name (into Article.text): linking gives its entity as speaker_entity.
    speaker_ref_start: int | None = None
    speaker_ref_end: int | None = None
    # A quotation split by its cue ("“Not the end,” he said, “but the beginning.”") or running over paragraphs
    # is one quote: its pieces (into Article.text). Split by its cue, `content` is the pieces joined by
    # QUOTE_PART_JOINER; over paragraphs, `content` is the text as written. Empty for a single span.
    content_parts: tuple[tuple[int, int], ...] = ()


# Joins the pieces of a quotation split by its cue in Quote.content: the words left out between them.
QUOTE_PART_JOINER = " … "


@dataclass(frozen=True)
class DateMention:
    article_id: str
    text: str
    start: int
    end: int
    value: str  # ISO: YYYY-MM-DD, YYYY-MM, YYYY
    precision: Literal["day", "month", "year", "mid-year", "season", "week"]
    sentence: int


@dataclass(frozen=True)
class Amount:
    article_id: str
    text: str
    start: int
    end: int
    value: float
    unit: str | None  # "%", "people", "USD", "km"...
    currency: str | None
    sentence: int
    counts: str | None = None  # the thing counted ("political prisoners")
    # What the count says of what it counts, where the parse shows it (amounts.v2): the lemma of the verb or
    # adjective it attaches to ("kill" in "killed 5 people", "injure" in "40 people injured", "dead" in
    # "left 5 people dead") and how the counted noun stands to it ("object": the verb's object or passive
    # subject; "subject"; "modifier": a participle after the noun, or the noun of "the bodies of 5 people";
    # "complement": "5 people are dead").
    predicate: str | None = None
    predicate_role: str | None = None
    # What a measure or count is of or from: "memory" ("8 GB of memory"), "aceh" ("55 km from Aceh"), "per inch".
    measures: str | None = None
    # Who did to the counted what the predicate says, by the proper names of the verb's subject or by-phrase
    # ("british royal navy" in "the British Royal Navy had captured eight pirates"; amounts.v3); None where none.
    agent: str | None = None


@dataclass(frozen=True)
class Analysis:
    """Everything the analysis stage found in one article."""

    article_id: str
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    quotes: tuple[Quote, ...]
    dates: tuple[DateMention, ...]
    amounts: tuple[Amount, ...]
    components: dict[str, str] = field(default_factory=dict)  # name -> version, e.g. quotes -> quotes.v1


def _known_fields(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """Only the fields the record has (a newer writer may have added some), tuples for lists."""
    names = _FIELD_SETS.get(cls)
    if names is None:
        names = _FIELD_SETS[cls] = frozenset(f.name for f in dataclasses.fields(cls))
    return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in names}


def article_from_dict(data: dict[str, Any]) -> Article:
    """The inverse of to_dict(article)."""
    fields = _known_fields(Article, data)
    fields["removals"] = tuple(Removal(**_known_fields(Removal, r)) for r in data.get("removals", []))
    return Article(**fields)


def analysis_from_dict(data: dict[str, Any]) -> Analysis:
    """The inverse of to_dict(analysis): read a stored analysis back into records."""
    def rows(cls: type, key: str) -> tuple[Any, ...]:
        return tuple(cls(**_known_fields(cls, row)) for row in data.get(key, []))

    return Analysis(
        article_id=data["article_id"],
        sentences=rows(Sentence, "sentences"),
        mentions=rows(Mention, "mentions"),
        quotes=rows(Quote, "quotes"),
        dates=rows(DateMention, "dates"),
        amounts=rows(Amount, "amounts"),
        components=dict(data.get("components", {})),
    )


# ---------------------------------------------------------------- stories

@dataclass(frozen=True)
class Story:
    id: str
    article_ids: tuple[str, ...]
    title: str
    keywords: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    first_seen: str | None = None
    last_seen: str | None = None
    copies: tuple[tuple[str, ...], ...] = ()  # groups of article ids that are copies of one report


# ---------------------------------------------------------------- fuse

Status = Literal["all", "some", "one"]


@dataclass(frozen=True)
class SourceSpan:
    article: str
    sentence: int
    start: int
    end: int
    # "text": start/end point into Article.text; "title": into Article.title (a headline-only article states
    # facts only through its headline; `sentence` is then -1, the title being no analysis sentence).
    part: str = "text"


@dataclass(frozen=True)
class Fact:
    id: str
    text: str
    status: Status
    sources: tuple[SourceSpan, ...]
    outlets: tuple[str, ...] = ()
    independent_sources: int = 0  # copies of one wire report count once
    copies: tuple[tuple[str, ...], ...] = ()  # article ids among the sources that copy one report
    disputed: tuple[str, ...] = ()  # article ids among the sources that give a value another source disputes
    conflicts: tuple[int, ...] = ()  # indexes into the story's conflicts of those that dispute this fact
    # Who the fact's words are quoted from, when the source they are taken from lies inside a direct quotation
    # whose cue is elsewhere ("" when not, or when no one is named): such a sentence does not say who speaks.
    speaker: str = ""


@dataclass(frozen=True)
class ConflictValue:
    value: str
    articles: tuple[str, ...]


@dataclass(frozen=True)
class Conflict:
    slot: str  # number | date | name | title | place | attribution
    values: tuple[ConflictValue, ...]
    about: str = ""
    kind: str = ""  # "spelling" when the values are spellings of one name
    facts: tuple[str, ...] = ()  # ids of the facts whose sources state competing values of it


@dataclass(frozen=True)
class StoryQuote:
    speaker: str
    text: str
    direct: bool
    articles: tuple[str, ...]
    verbatim: tuple[str, ...] = ()  # articles carrying these exact words
    paraphrased: tuple[str, ...] = ()  # articles carrying them in other words
    sources: tuple[SourceSpan, ...] = ()
    variants: tuple[str, ...] = ()  # the other wordings, as written
    # "SOURCE" when the words are a document's, a poll's or the media's ("the lawsuit", "a statement"), no
    # one who speaks being named: the analysis stage's Quote.speaker_type; "" for a person or a body.
    speaker_type: str = ""
    # The verb that frames the words in the carrier the text comes from, as written ("said", "denied"):
    # reported speech under "denied" says the opposite of the same words under "said".
    cue: str = ""


@dataclass(frozen=True)
class StoryEntity:
    name: str
    type: str
    aliases: tuple[str, ...]
    articles: tuple[str, ...]


@dataclass(frozen=True)
class Framing:
    actor: str
    by_outlet: dict[str, tuple[str, ...]]
    mentions: tuple[FramingMention, ...] = ()
    loaded: dict[str, tuple[str, ...]] = field(default_factory=dict)  # outlet -> loaded words it uses


@dataclass(frozen=True)
class FramingMention:
    phrase: str
    outlet: str
    article: str
    start: int
    end: int
    loaded: tuple[str, ...] = ()


@dataclass(frozen=True)
class TimelineEntry:
    date: str
    text: str
    articles: tuple[str, ...]
    sources: tuple[SourceSpan, ...] = ()
    precision: str = "day"


@dataclass(frozen=True)
class SummarySentence:
    text: str
    articles: tuple[str, ...]
    kind: str = ""  # consensus | single | conflict | generated
    sources: tuple[SourceSpan, ...] = ()


@dataclass(frozen=True)
class FusedStory:
    """One sourced account of a story: the JSON contract of README.md."""

    id: str
    title: str
    articles: tuple[dict[str, Any], ...]
    facts: tuple[Fact, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    quotes: tuple[StoryQuote, ...] = ()
    entities: tuple[StoryEntity, ...] = ()
    framing: tuple[Framing, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    summary: tuple[SummarySentence, ...] = ()
    fuser: str = "fuse.v1"
    check: dict[str, Any] = field(default_factory=dict)  # faithfulness: counts checked/passed, dropped sentences
