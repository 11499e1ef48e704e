"""Per-article features for story grouping: term counts per field, entity keys, dates, day number."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from newsfuse.models import Analysis, Article
from newsfuse.text.calendar import (
    MONTH_ALTERNATION, MONTH_NUMBERS, WEEKDAY_ALTERNATION, WEEKDAY_NAMES, WEEKDAY_NUMBERS, month_day_occurrence,
    parse_iso_day, weekday_occurrence,
)
from newsfuse.text.words import FUNCTION_WORDS

FEATURES_VERSION = "stories.features.v12"

# Words of the lead: the first paragraphs carry the who/where/when of a news report.
LEAD_WORDS = 80
# Words of the text embedded with the title (MiniLM, once per article): about the first two sentences,
# the who-did-what of a report. Set by cost, not tuned: the ONNX MiniLM reads title + 48 words at ~23
# texts/s per core here, title + 80 words at ~15/s (64 ECB+ documents, 2026-11-30). Shorter, every grouping
# model refitted (bench/stories_train.py --lead-words, four fold draws; BENCHMARKS.md "Grouping's title
# vectors"): 36 / 24 words cost 11.2 / 8.0 CPU-s per 1,000 GVA articles against 14.1, GVA dev pairwise F1
# 0.859 / 0.860 against 0.862 and the other dev streams' mean B-cubed 0.870 / 0.838 against 0.878: 48 stays.
EMBED_LEAD_WORDS = 48
# Tokens shorter than this are noise for matching (initials, "st", "mr").
MIN_TOKEN_LEN = 2
# An entity key made of one token of a longer name ("price" of "Ilanye Price") counts this much
# relative to the whole name, so a surname shared by two people is weaker evidence than the name.
PART_WEIGHT = 0.5
# Weight of a name in the title, and in the tail of the text (after TAIL_START of its length), where
# background and other stories are mentioned, relative to the head of the text. GVA < 2016 (weights
# refitted): uniform 1.0 everywhere B-cubed / pairwise F1 0.920 / 0.756; these 0.925 / 0.769.
TITLE_ENTITY_WEIGHT = 2.0
TAIL_START = 0.5
TAIL_ENTITY_WEIGHT = 0.5
# A "Month Day" without a year later than publication by more than this belongs to the year before.
FUTURE_SLACK_DAYS = 31

# Function words, and the words of page furniture and reporting that say nothing about the event.
STOPWORDS = FUNCTION_WORDS | frozenset("""
advertisement almost although always among around became click copyright either else even ever every
however image least less like many much near neither news often per perhaps photo posted published quite
rather read really report reported reporting reports reserved rights saying see seen several share story
subscribe telling though thus toward updated upon us via video watch whatever whether whose within without yet
""".split())

# Capitalised words that start sentences or name calendar/time, never an event's participants.
NOT_NAMES = frozenset(WEEKDAY_NAMES) | frozenset(MONTH_NUMBERS) | frozenset(
    "mr mrs ms dr st the a an he she it they we i his her their this that these those there in on at "
    "but and or if when after before while as by for from with police officers officer update breaking "
    "photo video read share home".split()
)
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT"})

_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_CAP_WORD = r"(?:[A-Z][a-zA-Z'’\-]*[a-zA-Z]|[A-Z]\.)"
_CAP_PHRASE = re.compile(rf"{_CAP_WORD}(?:\s+(?:(?:of|de|del|la|van|von|al|bin)\s+)?{_CAP_WORD})*")
_MONTH_DAY = re.compile(rf"\b({MONTH_ALTERNATION})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b")
_WEEKDAY = re.compile(rf"\b({WEEKDAY_ALTERNATION})\b")
_RELATIVE = {"yesterday": -1, "today": 0, "tonight": 0, "last night": -1, "this morning": 0}
_TITLE_SEPARATOR = re.compile(r"\s+[-|–—:]{1,2}\s+")
_SITE_WORDS = re.compile(r"\b(news|\.com|weather|sports|tv|radio|channel|\d+ news)\b")
# Ages of the people a report is about ("a 23-year-old man", "aged 23", "John Smith, 23,"): two
# reports of same-type events in one city days apart usually differ in them.
_AGE = re.compile(
    r"\b(\d{1,2})[- ](?:year|yr)s?[- ]old\b|\baged? (\d{1,2})\b|[A-Z][a-z]+, (\d{1,2}),"
)
# Clock times of the incident ("about 11:30 p.m.", "2 a.m."), kept to the half hour.
_CLOCK = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s?m\b\.?", re.IGNORECASE)
_RELATIVE_RE = re.compile(r"\b(yesterday|today|tonight|last night|this morning)\b")
# Where it happened, by street address: "the 1400 block of Elm Street", "at 1432 Elm St.": the number
# (blocks to the hundred) and the street's first word; two shootings in one city rarely share one. On
# GVA < 2016 a clash (both give addresses, none shared) for 2 % of the true stories near in time, 13 %
# of the wrong ones.
_ADDRESS = re.compile(
    r"\b(\d{2,5})\s+block\s+of\s+(?:(?:north|south|east|west|n|s|e|w)\.?\s+)?([A-Za-z0-9]+)"
    r"|\b(\d{3,5})\s+(?:(?:north|south|east|west|n|s|e|w|ne|nw|se|sw)\.?\s+)?([A-Z][a-z]+|\d+(?:st|nd|rd|th))\s+"
    r"(?:street|st|avenue|ave|road|rd|drive|dr|boulevard|blvd|lane|ln|court|ct|place|pl|way|parkway|pkwy|"
    r"highway|hwy|circle|cir|terrace|trail)\b",
    re.IGNORECASE,
)
# Who was hurt, by sex, from the headline and the first words of the text ("man shot" against "woman
# killed"): "m" and/or "f". 40 words is about the first sentence, where a report says who was hurt
# (set by reading, not tuned). As a clash channel (assign.py) it fires for 1 % of the true stories
# within a few days on GVA < 2016 and 9 % of the wrong ones.
GENDER_WORDS = 40
_GENDER = re.compile(
    r"\b(?:(man|men|boy|boys|father|son|brother|husband|grandfather|uncle|nephew|boyfriend)|"
    r"(woman|women|girl|girls|mother|daughter|sister|wife|grandmother|aunt|niece|girlfriend))\b",
    re.IGNORECASE,
)
# People named in a report: two to four capitalised words ("Dana Whitlock", "John A. Smith"), none of
# them a word of places, organisations or streets or one the text also writes in lower case, and not
# introduced by an official's role ("Lt. Lee Horton", "spokesman Tom Ray"); with PERSON_CONTEXT only
# those introduced as a victim or suspect or followed by an age or what befell them (_PERSON_BEFORE,
# _PERSON_AFTER). GVA < 2016, person channels alone, models refitted: any such name B-cubed / pairwise
# F1 0.943 / 0.839 (a clash for 17 % of the true stories near in time, 48 % of the wrong ones); in
# context 0.946 / 0.851 (7 % and 19 %), against 0.944 / 0.845 without the channels.
PERSON_CONTEXT = True
NOT_PERSON_WORDS = frozenset("""
street st avenue ave road rd drive dr boulevard blvd lane ln court ct place pl way parkway pkwy highway
hwy interstate route circle terrace trail square plaza county city town township village park hospital
center centre medical health clinic university college school academy high elementary middle church
ministries department dept police sheriff sheriff's office news press times post tribune journal herald
gazette daily weekly inc llc co company corp corporation bank store market shop bar grill club restaurant
lounge cafe hotel motel inn apartments apartment mall station airport north south east west northeast
northwest southeast southwest heights hills valley beach lake river creek island bay point springs falls
district state states national united american america international association services group team
new san los las santa fort ft saint mount mt port el del fire rescue court's county's city's the of and
reports report update updated breaking live video photos photo gallery facebook twitter instagram
affiliate channel network radio tv weather sports traffic crime local us u.s. department's jail prison
one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen twenty dead
killed shot slain wounded injured witnesses victims victim suspect suspects shooting shootings man woman
correctional corrections bureau agency authority committee council commission party republican
democrat democratic senate house congress federal superior circuit district's attorney's attorney
""".split())
OFFICIAL_ROLES = frozenset("""
officer officers lt lieutenant sgt sergeant capt captain det detective detectives chief inspector cpl
corporal deputy deputies sheriff spokesman spokeswoman spokesperson mayor judge attorney prosecutor
coroner examiner commissioner superintendent commander trooper agent reporter anchor pastor rev
reverend dr gov governor sen senator rep representative president councilman councilwoman alderman
director manager principal superintendent dispatcher sheriff's police
""".split())
_ROLE_BEFORE = re.compile(r"(?:^|[\s(])([A-Za-z']+)\.?,?\s*$")
# A person the report is about is introduced as one ("victim John Smith", "identified as", "a 23-year-old
# man, John Smith") or followed by an age or what happened to them ("John Smith, 23,", "John Smith was
# shot", "John Smith, of Elm Grove,").
_PERSON_BEFORE = re.compile(
    r"\b(?:identified as|named|victims?|suspects?|gunman|shooter|killer|year-old|man|woman|teen|teenager|boy|"
    r"girl|son|daughter|brother|sister|mother|father|wife|husband|boyfriend|girlfriend|cousin|nephew|niece|"
    r"uncle|aunt|grandmother|grandfather|grandson|granddaughter|charged|arrested|booked|killing|death of|"
    r"shooting of|murder of)\s*[,:]?\s*$"
)
_PERSON_AFTER = re.compile(
    r"^(?:\s*,\s*\d{1,2}\b|\s*\(\d{1,2}\)|\s*,\s*(?:who|of|age|aged)\b|\s+(?:was|were|is|has been|had been)\s+"
    r"(?:shot|killed|struck|hit|wounded|injured|charged|arrested|booked|found|taken|pronounced|identified|"
    r"sentenced|convicted|accused|indicted|held|jailed|later|also|fatally|critically|allegedly))"
)
# Quoted passages ("...", “...”, ``...''): outlets that quote the same words report the same event. Their
# word 4-grams (hashed) are matched, so a quote cut differently still agrees; at most QUOTE_SHINGLES per
# article, the first ones (not tuned: a dozen quotes of a few 4-grams each).
_QUOTED = re.compile(r"(?:“|``|\")\s*([^“”\"`]{20,600}?)\s*(?:”|''|\")")
QUOTE_MIN_WORDS = 5
QUOTE_SHINGLE_WORDS = 4
QUOTE_SHINGLES = 48
# A scraped "title" that is only a date or a timestamp ("September 18th, 2013, 05:31 GMT", "Last updated at
# 12:42 GMT", "11 / 28 / 05") says nothing about the event: the story stage reads it as no title.
_TIMESTAMP_WORDS = frozenset(MONTH_NUMBERS) | frozenset(WEEKDAY_NAMES) | frozenset(
    "gmt utc est edt cet bst pst pdt am pm a.m p.m last updated update posted published at on by st nd rd th".split()
)
# Numbers of the head (title and first words): scores, amounts, magnitudes, counts; two reports of
# same-kind events ("Colts beat Chiefs 20-13", "... 31-24"; "5.6-magnitude" against "6.1") usually differ
# in them. Years are kept apart (below); single digits are too common to tell events apart.
NUMBER_WORDS = 40
_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\d])")
# Names of the headline kept per article (who or what the report is about).
TITLE_NAMES = 8
# Years the head names ("the 2008 election"): an undated report still places its event in time.
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_PERSON_WORD = re.compile(r"^(?:[A-Z][a-z]+(?:['’\-][A-Za-z]+)*|Mc[A-Z][a-z]+|[A-Z]\.?)$")


@dataclass(frozen=True)
class ArticleFeatures:
    """What story grouping needs of one article; term and entity counts are raw (weighted later)."""

    article_id: str
    day: int | None  # proleptic ordinal of the publication date
    title: dict[str, float]
    lead: dict[str, float]
    body: dict[str, float]
    entities: dict[str, float]
    dates: tuple[int, ...] = ()  # ordinals of the days the text mentions
    outlet: str | None = None
    headline: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    ages: tuple[int, ...] = ()  # ages of people named in the title and head of the text
    times: tuple[int, ...] = ()  # clock times the title and head name, in half hours since midnight
    persons: tuple[str, ...] = ()  # surnames of the people the head of the text names in full (not officials)
    addresses: tuple[str, ...] = ()  # street addresses of the title and head ("1400 elm")
    genders: tuple[str, ...] = ()  # "m" / "f": the sexes the headline and first words speak of
    quotes: tuple[int, ...] = ()  # hashes of the word 4-grams of its quoted passages (shared quotes)
    headline_only: bool = False  # the article is a headline (and perhaps a teaser), no body
    numbers: tuple[str, ...] = ()  # numbers of the title and first words, not years or single digits
    years: tuple[int, ...] = ()  # years the title and head of the text name
    title_names: tuple[str, ...] = ()  # entity keys of the title (who or what the headline is about)
    # Unit MiniLM vector of title + lead (embedding_text), when the pipeline passes one; numpy float32.
    embedding: Any = field(default=None, compare=False, repr=False)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens without stopwords; hyphenated compounds also yield their parts."""
    out: list[str] = []
    for token in _TOKEN.findall(text.lower()):
        if "-" in token:
            out.extend(p for p in token.split("-") if len(p) >= MIN_TOKEN_LEN and p not in STOPWORDS)
        if len(token) >= MIN_TOKEN_LEN and token not in STOPWORDS:
            out.append(token)
    return out


def capitalised_entities(text: str, title: str = "") -> Counter[str]:
    """Names found as runs of capitalised words; a lone word must never appear lower-cased in the text.

    Reports put their subject first (inverted pyramid), so a name counts more in the title and less
    in the second half of the text, where background and other stories are mentioned.
    """
    lower_words = set(re.findall(r"\b[a-z][a-z'\-]+\b", f"{title}\n{text}"))
    found: Counter[str] = Counter()
    for match in _CAP_PHRASE.finditer(text):
        name = _name(match.group(0), lower_words)
        if name:
            _add_name(found, name, _position_weight(len(text))(match.start()))
    for match in _CAP_PHRASE.finditer(title):
        for run in _title_runs(match.group(0), lower_words):
            name = _name(run, lower_words)
            if name:
                _add_name(found, name, TITLE_ENTITY_WEIGHT)
    return found


def _title_runs(phrase: str, lower_words: set[str]) -> list[str]:
    """A capitalised run of a headline cut at the words the text writes in lower case or that are function
    words: a title-case headline ("Colts Beat Chiefs In Kansas City") capitalises every word, names or not."""
    runs: list[list[str]] = [[]]
    for word in phrase.split():
        low = word.lower().strip(".'’")
        if low in lower_words or low in STOPWORDS:
            runs.append([])
        else:
            runs[-1].append(word)
    return [" ".join(r) for r in runs if r]


def _name(phrase: str, lower_words: set[str]) -> str | None:
    words = [w.strip(".'’") for w in phrase.split()]
    while words and words[0].lower() in NOT_NAMES:
        words.pop(0)
    if not words or (len(words) == 1 and (words[0].lower() in lower_words or len(words[0]) < 3)):
        return None
    return " ".join(words)


def _position_weight(length: int):  # type: ignore[no-untyped-def]
    def weight(position: int) -> float:
        return 1.0 if position < length * TAIL_START else TAIL_ENTITY_WEIGHT

    return weight


def _add_name(found: Counter[str], name: str, weight: float = 1.0) -> None:
    key = name.lower().replace("’", "'")
    found[key] += weight
    parts = key.split()
    if len(parts) > 1:
        for part in parts:
            if len(part) >= 3 and part not in STOPWORDS and part not in NOT_NAMES:
                found[part] += PART_WEIGHT * weight


def analysis_entities(analysis: Analysis, text: str, title: str) -> Counter[str]:
    """Entity keys from the analysis stage's named mentions (and canonical ids when linked), weighted by
    position as in capitalised_entities; the title by capitalisation when the analysis skipped it."""
    names = [m for m in analysis.mentions if m.label in ENTITY_LABELS and getattr(m, "kind", "name") == "name"]
    in_title = any(getattr(m, "part", "text") == "title" for m in names)
    found = Counter() if in_title else capitalised_entities("", title)
    weight_at = _position_weight(len(text))
    for mention in names:
        title_part = getattr(mention, "part", "text") == "title"
        weight = TITLE_ENTITY_WEIGHT if title_part else weight_at(mention.start)
        if mention.entity_id:
            found[f"@{mention.entity_id}"] += weight
        words = mention.text.split()
        while words and words[0].lower() in NOT_NAMES:
            words.pop(0)
        if words:
            _add_name(found, " ".join(words), weight)
    return found


def outlet_core(outlet: str | None) -> str:
    """The outlet's own name, lower-cased, without www. and the domain suffix ("kmov" of "www.kmov.com")."""
    if not outlet:
        return ""
    core = outlet.lower().strip()
    core = re.sub(r"^(www\d?|m|amp)\.", "", core)
    core = re.sub(r"\.(com|net|org|co\.uk|co|tv|us|info|news)$", "", core)
    return core.replace("-", " ").replace(".", " ")


def strip_site_suffix(title: str, outlet: str | None) -> str:
    """A headline without a trailing " - Site Name, City News, Weather" part (the page's site label)."""
    core = outlet_core(outlet)
    parts = _TITLE_SEPARATOR.split(title)
    while len(parts) > 1:
        tail = parts[-1].lower()
        if (core and core in tail.replace("-", " ")) or _SITE_WORDS.search(tail):
            parts.pop()
        else:
            break
    return " - ".join(p.strip() for p in parts)


def drop_outlet_names(entities: Counter[str], outlet: str | None) -> Counter[str]:
    """Entity keys that name the outlet itself ("KMOV", "Harbor Daily") are not about the event."""
    core = outlet_core(outlet)
    if len(core) < 3:
        return entities
    return Counter({k: v for k, v in entities.items() if core not in k and k not in core})


def parse_day(published: str | None) -> int | None:
    """The publication day as a day number (proleptic ordinal), or None."""
    day = parse_iso_day(published)
    return day.toordinal() if day else None


def mentioned_days(text: str, day: int | None) -> tuple[int, ...]:
    """Days the text names, resolved against the publication day: weekdays, 'Month D', 'yesterday'."""
    if day is None:
        return ()
    low = text.lower()
    today = dt.date.fromordinal(day)
    days: set[int] = set()
    for name in _WEEKDAY.findall(low):
        days.add(weekday_occurrence(today, WEEKDAY_NUMBERS[name], "past").toordinal())
    for month, number in _MONTH_DAY.findall(low):
        resolved = month_day_occurrence(today, MONTH_NUMBERS[month], int(number), "past", FUTURE_SLACK_DAYS)
        if resolved is not None:
            days.add(resolved.toordinal())
    for phrase in _RELATIVE_RE.findall(low):
        days.add(day + _RELATIVE[phrase])
    return tuple(sorted(days))


def mentioned_ages(text: str) -> tuple[int, ...]:
    """Ages the text gives its people ("a 23-year-old", "aged 23", "Smith, 23,"); 1-99, sorted, distinct."""
    ages = {int(next(g for g in match.groups() if g)) for match in _AGE.finditer(text)}
    return tuple(sorted(a for a in ages if 0 < a < 100))


def mentioned_times(text: str) -> tuple[int, ...]:
    """Clock times the text names ("11:30 p.m.", "2 a.m."), as half hours since midnight, sorted, distinct."""
    found = set()
    for hour, minute, half in _CLOCK.findall(text):
        h, m = int(hour), int(minute or 0)
        if not 1 <= h <= 12 or m > 59:
            continue
        h = h % 12 + (12 if half.lower() == "p" else 0)
        found.add((h * 60 + m) // 30)
    return tuple(sorted(found))


def mentioned_genders(text: str) -> tuple[str, ...]:
    """"m" when the text speaks of a man, boy, son..., "f" of a woman, girl, daughter...; sorted."""
    found = set()
    for male, female in _GENDER.findall(text):
        found.add("m" if male else "f")
    return tuple(sorted(found))


def mentioned_addresses(text: str) -> tuple[str, ...]:
    """Street addresses the text gives ("1400 block of Elm Street" and "1432 Elm St." both read "1400 elm"):
    the number to the hundred and the street's first word; sorted, distinct."""
    found = set()
    for block, street, number, street2 in _ADDRESS.findall(text):
        value = int(block or number) // 100 * 100
        found.add(f"{value} {(street or street2).lower()}")
    return tuple(sorted(found))


def quote_shingles(text: str) -> tuple[int, ...]:
    """Hashes of the word 4-grams of the text's quoted passages of QUOTE_MIN_WORDS words or more; sorted, distinct."""
    found: set[int] = set()
    for match in _QUOTED.finditer(text):
        words = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", match.group(1).lower())
        if len(words) < QUOTE_MIN_WORDS:
            continue
        for i in range(len(words) - QUOTE_SHINGLE_WORDS + 1):
            found.add(zlib.crc32(" ".join(words[i : i + QUOTE_SHINGLE_WORDS]).encode()))
            if len(found) >= QUOTE_SHINGLES:
                return tuple(sorted(found))
    return tuple(sorted(found))


def headline(article: Article) -> str:
    """The article's headline as the story stage reads it: without the site label, "" for a bare timestamp."""
    title = strip_site_suffix(article.title, article.outlet)
    words = re.findall(r"[a-z]+", title.lower())
    return "" if all(w in _TIMESTAMP_WORDS for w in words) else title


def mentioned_numbers(text: str) -> tuple[str, ...]:
    """Numbers the text gives ("20-13", "5.6", "1,200"), commas dropped; not years, not single digits."""
    found = set()
    for match in _NUMBER.finditer(text):
        value = match.group(1).replace(",", "")
        if len(value) < 2 or value[0] == "0" or _YEAR.fullmatch(value):
            continue
        found.add(value)
    return tuple(sorted(found))


def _title_names(entities: Counter[str], title: str) -> tuple[str, ...]:
    """The article's entity keys its headline names (at most TITLE_NAMES, the heaviest)."""
    low = " ".join(tokens_with_stops(title))
    named = [k for k in entities if k[0] != "@" and f" {k} " in f" {low} "]
    named.sort(key=lambda k: (-entities[k], k))
    return tuple(sorted(named[:TITLE_NAMES]))


def tokens_with_stops(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:['’.-][a-z0-9]+)*", text.lower().replace("’", "'"))


def mentioned_years(text: str) -> tuple[int, ...]:
    return tuple(sorted({int(y) for y in _YEAR.findall(text)}))


def embedding_text(article: Article) -> str:
    """What the story stage embeds of an article: its headline (without the site label) and first words."""
    title = headline(article)
    lead = " ".join((article.text or "").split()[:EMBED_LEAD_WORDS])
    return f"{title}\n{lead}" if lead else title


def mentioned_persons(text: str) -> tuple[str, ...]:
    """Surnames of the people a text names with a full name, not officials (see NOT_PERSON_WORDS); sorted,
    distinct, lower-cased."""
    found: set[str] = set()
    lower_words = set(re.findall(r"\b[a-z][a-z'\-]+\b", text))
    for match in _CAP_PHRASE.finditer(text):
        words = [w.strip(".'’") if not re.fullmatch(r"[A-Z]\.", w) else w for w in match.group(0).split()]
        if words and words[-1].lower() in ("jr", "sr", "ii", "iii", "iv"):
            words.pop()
        while words and words[-1].endswith(("'s", "’s")):
            words[-1] = words[-1][:-2]
        lowered = [w.lower().rstrip(".") for w in words]
        if any(w in OFFICIAL_ROLES for w in lowered):
            continue
        while lowered and lowered[0] in NOT_NAMES:
            lowered.pop(0)
            words.pop(0)
        if not 2 <= len(words) <= 4 or any(w in NOT_PERSON_WORDS or w in NOT_NAMES or w in lower_words for w in lowered):
            continue
        if not all(_PERSON_WORD.match(w) for w in words) or len(words[-1]) < 3 or len(words[0]) < 2:
            continue
        before = _ROLE_BEFORE.search(text, max(0, match.start() - 30), match.start())
        if before and before.group(1).lower() in OFFICIAL_ROLES:
            continue
        if PERSON_CONTEXT and not (
            _PERSON_BEFORE.search(text[max(0, match.start() - 40) : match.start()].lower())
            or _PERSON_AFTER.match(text[match.end() : match.end() + 40])
        ):
            continue
        found.add(lowered[-1].replace("’", "'"))
    return tuple(sorted(found))


def article_features(article: Article, analysis: Analysis | None = None, embedding: Any = None) -> ArticleFeatures:
    """Features of one article; with an Analysis its entity mentions replace the capitalisation heuristic;
    `embedding` is the unit MiniLM vector of embedding_text(article), when the caller has one."""
    text = article.text or ""
    words = text.split()
    lead_text = " ".join(words[:LEAD_WORDS])
    day = parse_day(article.published)
    title = headline(article)
    entities = analysis_entities(analysis, text, title) if analysis and analysis.mentions else Counter()
    if not entities:
        entities = capitalised_entities(text, title)
    entities = drop_outlet_names(entities, article.outlet)
    head = f"{title}\n{text[: int(len(text) * TAIL_START)]}"
    return ArticleFeatures(
        article_id=article.id,
        day=day,
        title=dict(Counter(tokens(title))),
        lead=dict(Counter(tokens(lead_text))),
        body=dict(Counter(tokens(text))),
        entities=dict(entities),
        dates=mentioned_days(f"{title}\n{lead_text}", day),
        ages=mentioned_ages(head),
        times=mentioned_times(head),
        persons=mentioned_persons(text[: int(len(text) * TAIL_START)]),
        addresses=mentioned_addresses(head),
        genders=mentioned_genders(f"{title}\n{' '.join(words[:GENDER_WORDS])}"),
        quotes=quote_shingles(f"{title}\n{text}"),
        numbers=mentioned_numbers(f"{title}\n{' '.join(words[:NUMBER_WORDS])}"),
        years=mentioned_years(head),
        title_names=_title_names(entities, title),
        headline_only=getattr(article, "headline_only", False),
        embedding=embedding,
        outlet=article.outlet,
        headline=article.title,
    )
