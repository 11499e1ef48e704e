"""Find where outlets disagree: one slot (a name, a title, a number, a date, a place, a speaker), different values.

Names and titles are compared per entity across the whole story; numbers, dates, places and
attributions only inside one aligned fact, where the outlets are talking about the same thing.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from newsfuse.fuse.entities import StoryEntities, normalise_name, spelling_variants
from newsfuse.fuse.propositions import Proposition, content_words
from newsfuse.fuse.quotes import same_quotation, same_words
from newsfuse.fuse.speakers import Speakers
from newsfuse.models import Amount, Analysis, Article, Conflict, ConflictValue, Mention, Quote
from newsfuse.text.spans import TEXT_PART
from newsfuse.text.unionfind import UnionFind
from newsfuse.text.words import NUMBER_WORDS

# Head words of titles and roles, written before a name ("Senior General Min Aung Hlaing") or after it
# in apposition ("Rhea Castellan, chief executive of ..."). A closed class: extend it, do not tune it.
TITLE_HEADS = (
    "chief of staff|aide|adviser|advisor|staffer|assistant|counsel|strategist|consultant|congressman|"
    "congresswoman|representative|justice|nominee|candidate|minister|president|vice-president|general|chairman|chairwoman|chairperson|chair|spokeswoman|spokesman|"
    "spokesperson|secretary|governor|director|ambassador|chancellor|premier|senator|judge|inspector|sergeant|"
    "detective|officer|chief|executive|mayor|councillor|councilor|commissioner|king|queen|prince|princess|"
    "leader|head|envoy|deputy|colonel|captain|commander|admiral|marshal|manager|founder|ceo|editor|professor|"
    "speaker|mp|lawmaker|attorney|prosecutor|superintendent|constable|pope|bishop|"
    "cardinal|sheikh|emir|sultan|dictator|correspondent|analyst|economist|spokesman"
)
# Lower-case words that may open a title ("foreign minister", "deputy chief"); any other lower-case
# word before a title is context ("if President Trump"), not part of it.
TITLE_MODIFIERS = "foreign|prime|vice|deputy|chief|senior|former|acting|interim|executive|general|defence|defense|finance|interior|police|army|ministry|state|national|top"
_TITLE_BEFORE = re.compile(
    rf"((?:(?:[A-Z][\w.\-’']*|of|the|for) )*?(?:(?:[A-Z][\w.\-’']*|{TITLE_MODIFIERS})[ ])*(?i:{TITLE_HEADS})) +$"
)
_TITLE_AFTER = re.compile(
    rf"^,\s+(?:the\s+|a\s+|an\s+)?((?:[a-z\-’']+\s+){{0,3}}(?i:{TITLE_HEADS})"
    rf"(?:\s+of\s+(?:the\s+)?(?:[A-Z][\w\-’']*\s?)+|\s+to\s+(?:the\s+)?[\w\-’']+(?:\s+[A-Z][\w\-’']*){{0,2}})?)(?=[,.;])"
)
# What _TITLE_BEFORE needs at the end of its text: a title's head word right before the closing spaces.
# Checked first on the text's last few characters, since searching the whole pattern from every position
# of the 80 characters before each mention was most of the titles' cost (0.8 CPU-s per 1,000 GVA articles).
_HEAD_AT_END = re.compile(rf"(?i:{TITLE_HEADS})\Z")
_LONGEST_HEAD = max(len(head) for head in TITLE_HEADS.split("|"))
# How far before a name a title may start (characters).
TITLE_WINDOW = 80
# Characters before a date whose words say what the date is the date of (about four words).
DATE_CONTEXT = 30
# A place where something is or happens, or where someone goes or comes from, right after one of these.
LOCATIVE = re.compile(r"\b(?:in|at|near|outside|inside|into|to|from)\s+(?:the\s+)?$", re.I)
# An attribution conflict needs each member to be mostly a quote's content (share of its characters).
QUOTED_SHARE = 0.6


def find_conflicts(
    articles: Sequence[Article], analyses: dict[str, Analysis], story: StoryEntities,
    props: Sequence[Proposition], groups: list[list[int]], similarity: Any = None, related_at: float = 1.0,
    speakers: Speakers | None = None,
) -> list[Conflict]:
    """Every conflict of the story: names first, then titles, then in-fact numbers, dates, places, speakers."""
    outlet_of = {a.id: a.outlet or a.id for a in articles}
    text_of = {a.id: a.text for a in articles}
    conflicts = name_conflicts(story)
    conflicts += title_conflicts(story, text_of, outlet_of)
    places = _place_index(story)
    speakers = speakers or Speakers(story, text_of)
    for group in groups:
        # A headline's statements (offsets into the title) carry no analysed amounts, dates or quotes.
        members = [props[k] for k in group if props[k].part == TEXT_PART]
        if len({outlet_of[p.article_id] for p in members}) < 2:
            continue
        conflicts += _fact_conflicts(members, analyses, story, outlet_of, text_of, places, speakers)
    if similarity is not None:
        conflicts += count_conflicts(props, analyses, groups, similarity, outlet_of, related_at, text_of)
    known = {frozenset(v.value for v in c.values) for c in conflicts if c.slot == "attribution"}
    conflicts += [c for c in quotation_conflicts(articles, analyses, story, speakers, outlet_of)
                  if frozenset(v.value for v in c.values) not in known]
    return conflicts


def quotation_conflicts(articles: Sequence[Article], analyses: dict[str, Analysis], story: StoryEntities,
                        speakers: Speakers, outlet_of: dict[str, str]) -> list[Conflict]:
    """One quotation, word for word, that outlets give to different people (or to different organisations),
    found from the quotes themselves, whether or not alignment made their sentences one fact."""
    said = []  # (speaker key, article id, quote) of each direct quote with a named speaker
    for article in articles:
        analysis = analyses.get(article.id)
        for quote in analysis.quotes if analysis else ():
            key, _name = speakers.resolve(quote)
            if quote.direct and key in story.types and _named_by_its_article(quote):
                said.append((key, article.id, quote))
    same = UnionFind(range(len(said)))
    for i, (key, article_id, quote) in enumerate(said):
        for j in range(i + 1, len(said)):
            other_key, other_article, other = said[j]
            if (other_key != key and outlet_of[other_article] != outlet_of[article_id]
                    and (story.types[key] == "PERSON") == (story.types[other_key] == "PERSON")
                    and same_words(quote.content, other.content)):
                same.union(i, j)
    out = []
    for members in same.groups().values():
        values: dict[str, dict[str, str]] = defaultdict(dict)
        for k in members:
            key, article_id, quote = said[k]
            values[article_id].setdefault(key, quote.speaker)
        conflict = _disjoint("attribution", values, outlet_of, said[members[0]][2].content) if len(members) > 1 else None
        if conflict:
            out.append(conflict)
    return out


# How a speaker was found when the article itself does not name it at the quote: a pronoun's antecedent, or the
# quote before. Outlets differ on who said something only where they say so, not where our reading of "he" differs.
INFERRED_SPEAKERS = frozenset({"pronoun", "previous"})
# Cues that name whose account the words are ("according to the Post", "the agency reported"), not who said
# them: one outlet citing a newspaper and another the party it quotes do not disagree on a speaker.
ACCOUNT_CUES = re.compile(r"^(?:according to|(?:\w+ )?report(?:s|ed|ing)?)\b", re.I)


def _named_by_its_article(quote: Quote) -> bool:
    return quote.speaker_via not in INFERRED_SPEAKERS and not ACCOUNT_CUES.match(quote.cue.strip())


# ---------------------------------------------------------------- names

def name_conflicts(story: StoryEntities) -> list[Conflict]:
    """One entity written in several spellings: a spelling variant of one name, not two people."""
    out = []
    for key, mentions in story.mentions.items():
        if story.types.get(key) != "PERSON":
            continue
        by_spelling = _spellings([normalise_name(m.text).replace("’", "'") for m in mentions],
                                 [m.article_id for m in mentions])
        spellings = [s for s in by_spelling if any(spelling_variants(s, o) for o in by_spelling if o != s)]
        if len(spellings) >= 2:
            out.append(Conflict(
                slot="name", about=story.names[key], kind="spelling",
                values=tuple(ConflictValue(s, tuple(dict.fromkeys(by_spelling[s]))) for s in spellings),
            ))
    return out


def _spellings(names: list[str], articles: list[str]) -> dict[str, list[str]]:
    """Each spelling of a name -> the articles that write it, names that differ only in capitals counted as one
    spelling (its most frequent form): "Sean Mcdonald" beside "Sean McDonald", or a name in an all-capitals
    headline, is how the text was set, not a disputed name."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    by_folded: dict[str, list[str]] = defaultdict(list)
    for name, article in zip(names, articles):
        forms[name.casefold()][name] += 1
        by_folded[name.casefold()].append(article)
    return {forms[folded].most_common(1)[0][0]: ids for folded, ids in by_folded.items()}


# ---------------------------------------------------------------- titles

def titles_of(story: StoryEntities, key: str, text_of: dict[str, str]) -> dict[str, dict[str, None]]:
    """article id -> the titles that article gives a person, in the order they first appear.

    An insertion-ordered dict rather than a set, so reports list titles the same way on every run.
    """
    out: dict[str, dict[str, None]] = defaultdict(dict)
    for mention in story.mentions[key]:
        text = text_of[mention.article_id]
        before = text[max(0, mention.start - TITLE_WINDOW):mention.start]
        for title in _titles_before(before):
            out[mention.article_id][title] = None
        after = _TITLE_AFTER.match(text[mention.end:mention.end + TITLE_WINDOW])
        if after:
            out[mention.article_id][after.group(1).strip()] = None
    return out


def _titles_before(before: str) -> list[str]:
    """The title right before a name, and a second one before it after a comma ("X Chairman, Prime Minister")."""
    titles = []
    while True:
        match = _TITLE_BEFORE.search(before) if _may_end_in_title(before) else None
        if not match:
            return titles
        title = _strip_leading_lower(match.group(1).strip())
        if title:
            titles.append(title)
        before = before[:match.start()]
        if not before.endswith(", "):
            return titles
        before = before[:-2] + " "


def _may_end_in_title(before: str) -> bool:
    """Whether _TITLE_BEFORE can match `before`: it must end in spaces (before a final newline, as `$`
    allows) that follow a title head; each head matches as many characters as it has (the case-insensitive
    match folds one character to one), so the last _LONGEST_HEAD characters tell."""
    text = before[:-1] if before.endswith("\n") else before
    stripped = text.rstrip(" ")
    return len(stripped) < len(text) and _HEAD_AT_END.search(stripped[-_LONGEST_HEAD:]) is not None


def _strip_leading_lower(title: str) -> str:
    """Drop connective words a regex may have picked up before the title ("and State ...")."""
    words = title.split()
    while words and words[0].lower() in ("and", "of", "the", "for", "with", "by", "to", "his", "her", "its", "their"):
        words = words[1:]
    return " ".join(words)


# Heads that describe rather than name an office ("leader", "dictator"): how outlets frame a person, shown
# under framing, never a title conflict. Variants of one office fold to one head. A founder ("co-founder")
# founded something once and may hold any office since ("SeaMicro CEO" and "founder": one man, both).
GENERIC_HEADS = frozenset({"leader", "head", "dictator", "chief", "officer", "analyst", "correspondent", "founder"})
# A legislator's seat and a post held with it are one person's two titles, not a disagreement
# ("Rep. Devin Nunes" / "House Intelligence Committee Chairman"; "Representative" / "former DNC chairwoman").
LEGISLATOR_HEADS = frozenset({"representative", "congressman", "congresswoman", "senator", "lawmaker", "mp"})
HELD_WITH_A_SEAT = frozenset({"chair", "speaker", "leader", "whip", "deputy"})
# A police or military rank and the post its holder serves in are one person's two titles ("Constable" /
# "Vancouver police spokesperson": ECB+ dev read, 2026-12-02); two ranks still disagree ("Sergeant" / "Captain").
RANK_HEADS = frozenset({"sergeant", "constable", "detective", "inspector", "captain", "colonel", "commander",
                        "superintendent", "marshal", "admiral", "general"})
HELD_WITH_A_RANK = frozenset({"spokesperson"})
_HEAD_FOLD = {"chairman": "chair", "chairwoman": "chair", "chairperson": "chair", "spokesman": "spokesperson",
              "spokeswoman": "spokesperson", "councilor": "councillor", "ceo": "executive",
              # "aide" and "adviser" are one loose word for one job ("campaign adviser" / "campaign aide"); a
              # named post against either stays a conflict ("former aide" / "former deputy chief of staff").
              "adviser": "aide", "advisor": "aide",
              # A prosecutor is an attorney of the state ("Prosecutor" / "Chief Deputy City Attorney").
              "prosecutor": "attorney"}


def title_head(title: str) -> str:
    heads = re.findall(rf"\b(?:{TITLE_HEADS})\b", title.lower())
    head = heads[-1] if heads else title.lower()
    return _HEAD_FOLD.get(head, head)


def compatible_titles(a: str, b: str) -> bool:
    """One office named two ways agrees ("CIA Director" / "Central Intelligence Agency Director"); two offices
    do not ("Senior General" / "Prime Minister")."""
    la, lb = a.lower(), b.lower()
    if la in lb or lb in la:
        return True
    ha, hb = title_head(a), title_head(b)
    # A joined title holds each of its offices: "president and chief executive" agrees with "president".
    if ha == hb or ha in GENERIC_HEADS or hb in GENERIC_HEADS or _title_heads(a) & _title_heads(b):
        return True
    return any(x in seats and y in held for seats, held in ((LEGISLATOR_HEADS, HELD_WITH_A_SEAT),
                                                             (RANK_HEADS, HELD_WITH_A_RANK)) for x, y in ((ha, hb), (hb, ha)))


def _title_heads(title: str) -> set[str]:
    return {_HEAD_FOLD.get(h, h) for h in re.findall(rf"\b(?:{TITLE_HEADS})\b", title.lower())}


def title_conflicts(story: StoryEntities, text_of: dict[str, str], outlet_of: dict[str, str]) -> list[Conflict]:
    """A person called by incompatible titles in different outlets."""
    out = []
    for key, kind in story.types.items():
        if kind != "PERSON":
            continue
        by_article = titles_of(story, key, text_of)
        by_outlet: dict[str, set[str]] = defaultdict(set)
        for article_id, titles in by_article.items():
            by_outlet[outlet_of[article_id]] |= set(titles)
        if len(by_outlet) < 2 or not _outlets_disagree(by_outlet):
            continue
        values: dict[str, list[str]] = defaultdict(list)
        for article_id, titles in by_article.items():
            for title in titles:
                # One office written two ways is one value ("chair" / "chairman"), not two sides of the dispute.
                canonical = next((v for v in values if v.lower() == title.lower()
                                  or (" " not in v and " " not in title and title_head(v) == title_head(title))), title)
                values[canonical].append(article_id)
        out.append(Conflict(
            slot="title", about=story.names[key],
            values=tuple(ConflictValue(v, tuple(dict.fromkeys(ids))) for v, ids in values.items()),
        ))
    return out


def _outlets_disagree(by_outlet: dict[str, set[str]]) -> bool:
    """Some pair of outlets has no compatible title in common."""
    outlets = list(by_outlet)
    for i, a in enumerate(outlets):
        for b in outlets[i + 1:]:
            if not any(compatible_titles(x, y) for x in by_outlet[a] for y in by_outlet[b]):
                return True
    return False


# ---------------------------------------------------------------- inside one fact

def count_conflicts(props: Sequence[Proposition], analyses: dict[str, Analysis], groups: list[list[int]],
                    similarity: Any, outlet_of: dict[str, str], related_at: float,
                    text_of: dict[str, str] | None = None) -> list[Conflict]:
    """Counts of one kind of people or things that one fact, or related statements, of different outlets give
    differently. Related: the pair scorer says either statement's sentence states the other at its best-F1
    threshold on SuperPAL dev (`related_at`), looser than the threshold that makes them one fact. With the
    articles' texts (`text_of`), a bound ("at least 70") is no conflict with a value it allows ("100")."""
    group_of = {k: g for g, members in enumerate(groups) for k in members}
    counted = [(p, a) for p in props if p.part == TEXT_PART for a in analyses[p.article_id].amounts
               if p.start <= a.start < p.end and a.counts and a.text and a.unit not in (None, "%", "am", "pm")]
    ranges = {id(a): _range(a, (text_of or {}).get(p.article_id, "")) for p, a in counted}
    sources = {p.article_id: _source_spans(analyses[p.article_id]) for p, _ in counted}
    people = {p.index: _people_in(p, analyses[p.article_id], sources[p.article_id])
              for p in {p.index: p for p, _ in counted}.values()}
    given: dict[int, list[Amount]] = defaultdict(list)  # statement index -> the counts it gives
    for p, a in counted:
        given[p.index].append(a)
    # One disagreement (the same two values of one kind) is one conflict, whichever articles carry each
    # value and however each spells it ("8GB" / "8 GB"): value -> [surface, articles], in order found.
    sides: dict[frozenset, dict[tuple, list]] = {}
    about: dict[frozenset, str] = {}
    paired: set[tuple[int, int]] = set()  # one disagreement per pair of statements
    for i, (p, a) in enumerate(counted):
        for q, b in counted[i + 1:]:
            if (outlet_of[p.article_id] == outlet_of[q.article_id] or _meet(ranges[id(a)], ranges[id(b)])
                    or a.currency != b.currency
                    or not _same_kind(a.counts or "", b.counts or "") or not same_thing_counted(a, b)
                    or _gives(given[q.index], a) or _gives(given[p.index], b)
                    or (people[p.index] and people[q.index] and people[p.index].isdisjoint(people[q.index]))
                    or (group_of.get(p.index) != group_of.get(q.index)  # one fact: no similarity needed
                        and (float(similarity[p.index, q.index]) < related_at or not _said_alike(a, b)))):
                continue
            if (p.index, q.index) in paired:
                continue
            paired.add((p.index, q.index))
            va, vb = (a.value, a.currency, a.unit), (b.value, b.currency, b.unit)
            key = frozenset((va, vb))
            about.setdefault(key, p.text)
            found = sides.setdefault(key, {})
            for v, amount, article in ((va, a, p.article_id), (vb, b, q.article_id)):
                side = found.setdefault(v, [amount.text, []])
                if article not in side[1]:
                    side[1].append(article)
    out = []
    for key, found in sides.items():
        (text_a, in_a), (text_b, in_b) = found.values()
        # An article found on both sides gives both values (in different statements): its value sets meet.
        in_a, in_b = [x for x in in_a if x not in in_b], [x for x in in_b if x not in in_a]
        if in_a and in_b:
            out.append(Conflict(slot="number", about=about[key], values=(
                ConflictValue(text_a, tuple(in_a)), ConflictValue(text_b, tuple(in_b)))))
    return out


def _said_alike(a: Amount, b: Amount) -> bool:
    """Two counts of statements that are not one fact conflict only when the same thing is said of both
    ("captured 23 pirates" / "had captured eight pirates") or both count who did something ("1,200 dockworkers
    walked off" / "1,500 workers began a strike"): that two sentences of a story look alike is weak evidence
    that they count the same thing (a sports report's "finished with 20 points" / "scored 23 points")."""
    if not (a.predicate and b.predicate):
        return False
    return _family(a.predicate) == _family(b.predicate) or a.predicate_role == b.predicate_role == "subject"


def _source_spans(analysis: Analysis) -> list[tuple[int, int]]:
    """Where an article's quotes name who says them."""
    return [(q.source_start, q.source_end) for q in analysis.quotes
            if q.source_start is not None and q.source_end is not None]


def _people_in(p: Proposition, analysis: Analysis, sources: list[tuple[int, int]]) -> frozenset[str]:
    """The people a statement is about: its linked person mentions, without those who only say it (`sources`):
    "Hansbrough finished with 20 points" is about Hansbrough; in "..., police chief Ann Roe said" Ann Roe is the
    source. Two statements about different people give different people's counts ("Lawson chipped in 16
    points" / "Hansbrough scored 23 points")."""
    return frozenset(m.entity_id or m.text for m in analysis.mentions
                     if m.label == "PERSON" and m.part == TEXT_PART and p.start <= m.start < p.end
                     and not any(start <= m.start < end for start, end in sources))


# Words before a count that make it a bound, not a value: "at least 70 people" allows 100, "up to 40" allows 12.
_LOWER_BOUND = re.compile(r"\b(?:at least|more than|over|upwards of|in excess of|no fewer than|no less than)\s+\Z", re.I)
_UPPER_BOUND = re.compile(r"\b(?:at most|up to|fewer than|less than|under|no more than)\s+\Z", re.I)


# A count given as two values: "three or four robbers", "20 to 30 people", "20-30 people".
_NUMBER = rf"(?:\d[\d,.]*|{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})"
_ALTERNATIVES = re.compile(rf"^(?P<low>{_NUMBER})\s*(?:\s(?:or|to)\s|[-–])\s*(?P<high>{_NUMBER})\s", re.I)
_ALTERNATIVE_BEFORE = re.compile(rf"\b(?P<low>{_NUMBER})\s*(?:\s(?:or|to)\s|[-–])\s*\Z", re.I)


def _range(amount: Amount, text: str) -> tuple[float, float, frozenset[str]]:
    """The values a count allows: itself, everything above (below) it when the words before make it a bound,
    or both ends of two values; and the words its values are written in ("three", "four")."""
    before = text[max(0, amount.start - 20):amount.start]
    words = frozenset([amount.text.split(" ", 1)[0].lower()])
    if _LOWER_BOUND.search(before):
        return amount.value, float("inf"), words
    if _UPPER_BOUND.search(before):
        return float("-inf"), amount.value, words
    two = _ALTERNATIVES.match(amount.text)
    if two:
        other = two.group("high")
    else:  # "20 to 30 people": the parse may count from the second value
        two = _ALTERNATIVE_BEFORE.search(before)
        other = two.group("low") if two else ""
    if two:
        digits = other.replace(",", "")
        end = float(digits) if digits.replace(".", "", 1).isdigit() else amount.value
        return min(amount.value, end), max(amount.value, end), words | {other.lower()}
    return amount.value, amount.value, words


def _meet(a: tuple[float, float, frozenset[str]], b: tuple[float, float, frozenset[str]]) -> bool:
    """Whether two counts' values can both hold: their ranges overlap, or they share a value's word
    ("three or four" and "four")."""
    return (a[0] <= b[1] and b[0] <= a[1]) or bool(a[2] & b[2])


def _gives(amounts: list[Amount], other: Amount) -> bool:
    """Whether a statement also gives `other`'s count of the same kind: "10 km deep, 55 km from the town"
    against "55 km from the town, 10 km deep" is two counts both give, not 10 against 55 (value sets that
    meet are no disagreement, as in _disjoint)."""
    return any(a.value == other.value and a.currency == other.currency and _same_kind(a.counts or "", other.counts or "")
               and same_thing_counted(a, other) for a in amounts)


# What news counts, in families of the words that say it: a death toll and an injury toll of one event are two
# counts, not two values of one ("24 killed" / "300 injured"), while "killed" and "dead" count the same. Small and
# general on purpose (a closed class: extend it, do not tune it); any other word is its own family (its lemma).
COUNT_FAMILIES = {
    "death": "kill dead die death fatality murder slay perish body",
    "injury": "injure injured wound wounded hurt injury",
    "shooting": "shoot fire",
    "arrest": "arrest arrested detain detained apprehend",
    "charge": "charge charged indict accuse",
    "missing": "missing miss",
    "evacuation": "evacuate evacuee flee displace displaced",
    "rescue": "rescue rescued save",
    "depth": "deep depth beneath below underground",
}
FAMILY_OF = {word: family for family, words in COUNT_FAMILIES.items() for word in words.split()}


def same_thing_counted(a: Amount, b: Amount) -> bool:
    """Whether two counts of one noun count the same thing, as far as the analysis saw what each counts: not
    when they measure different things ("8 GB of memory" / "256 GB of storage", "55 km from Aceh" / "10 km
    deep") or say different things of what they count ("24 killed" / "300 injured", "5 dead" / "300 slept
    outdoors", "fired 70 rounds" / "bought 1,300 rounds"). A rising toll ("5 killed" / "7 dead") counts one
    thing. No evidence (a count with no predicate; two verbs their nouns merely do, "1,200 dockworkers walked
    off" / "1,500 workers began a strike") leaves them one thing, except for spans of time, which need the same
    word said of both: a story holds many spans of different things ("eight days ago", "four days of riots",
    "30 years" out of prison), and an elapsed time depends on the day each outlet wrote."""
    if a.unit in TIME_SPANS or b.unit in TIME_SPANS:
        return bool(a.predicate and b.predicate and _family(a.predicate) == _family(b.predicate)
                    and a.measures == b.measures)
    ma, mb = _family(a.measures), _family(b.measures)
    if (ma and mb and ma != mb) or _rate(ma) != _rate(mb):
        return False  # different things measured, or a rate ("220 pixels per inch") against a count
    if _different_agents(a.agent, b.agent):
        return False  # "the Indian Navy captured 23 pirates" / "the British Royal Navy had captured eight"
    if not a.predicate or not b.predicate:
        return True
    fa, fb = _family(a.predicate), _family(b.predicate)
    if fa == fb:
        return True
    if fa in COUNT_FAMILIES or fb in COUNT_FAMILIES:
        return False  # a toll of a known kind against anything else said of the counted
    # Two other verbs tell what is counted only when both are done to the counted things: a verb its subject
    # does says what the counted do, not which ones are counted.
    return not (a.predicate_role in _DONE_TO and b.predicate_role in _DONE_TO)


_DONE_TO = frozenset(["object", "modifier", "complement"])
TIME_SPANS = frozenset("second minute hour day night week month year decade century".split())


def _different_agents(a: str | None, b: str | None) -> bool:
    """Two doers named by names neither of which holds the other's ("indian" / "british royal navy"; not
    "indian" / "indian navy"): different doers, so different things done."""
    if not a or not b:
        return False
    wa, wb = set(a.split()), set(b.split())
    return not (wa <= wb or wb <= wa)


def _rate(measures: str | None) -> bool:
    return bool(measures and measures.startswith("per "))


def _family(word: str | None) -> str | None:
    if word and word.startswith("fatally "):
        return "death"  # "fatally shot", "shot to death" (amounts._outcome)
    return FAMILY_OF.get(word, word) if word else None


def _same_kind(a: str, b: str) -> bool:
    """"dockworkers" and "workers" count the same kind; "sides" and "countries", "women" and "men" do not;
    nor "Yemeni pirates" and "arrested pirates", "assault rifles" and "other rifles": each word before the noun
    narrows what is counted, so two of them are one kind only with the same words."""
    wa, wb = a.lower().split(), b.lower().split()
    if not wa or len(wa) != len(wb) or wa[:-1] != wb[:-1]:
        return False  # "missiles" vs "intercontinental ballistic missiles": a sub-kind, not the same count
    return _ends_in(wa[-1], wb[-1]) or _ends_in(wb[-1], wa[-1])


def _ends_in(word: str, head: str) -> bool:
    """"dockworkers" ends in the word "workers" (a compound's head); "women" does not end in the word "men",
    nor "brothers" in "others": what comes before must be a word of its own (three letters or more)."""
    return word == head or (word.endswith(head) and len(word) - len(head) >= 3)


def _fact_conflicts(
    members: list[Proposition], analyses: dict[str, Analysis], story: StoryEntities, outlet_of: dict[str, str],
    text_of: dict[str, str], places: PlaceIndex, speakers: Speakers,
) -> list[Conflict]:
    about = members[0].text
    out = []
    for slot, values in (
        ("number", _amounts(members, analyses)),
        ("date", _dates(members, analyses, text_of)),
        ("place", _places(members, story, text_of, places)),
        ("attribution", _speakers(members, analyses, story, speakers)),
    ):
        if slot in ("place", "attribution") and not _single_unrelated(values):
            continue
        conflict = _disjoint(slot, values, outlet_of, about)
        if conflict:
            out.append(conflict)
    return out


def _single_unrelated(values: dict[str, dict[str, str]]) -> bool:
    """Each article gives exactly one value, and no value's name contains another's ("Trump" / "Donald
    Trump", "New York" / "New York City"): only then is a different place or speaker a disagreement."""
    if not values or any(len(v) != 1 for v in values.values()):
        return False
    names = {next(iter(v.values())).lower() for v in values.values()}
    return len(names) > 1 and not any(a != b and (a in b or b in a) for a in names for b in names)


def _disjoint(slot: str, values: dict[str, dict[str, str]], outlet_of: dict[str, str], about: str) -> Conflict | None:
    """values: article id -> {normalised value: surface}. A conflict when outlets' value sets never meet."""
    by_outlet: dict[str, set[str]] = defaultdict(set)
    for article_id, found in values.items():
        by_outlet[outlet_of[article_id]] |= set(found)
    if len(by_outlet) < 2:
        return None
    sets = list(by_outlet.values())
    if any(sets[i] & sets[j] for i in range(len(sets)) for j in range(i + 1, len(sets))):
        return None
    grouped: dict[str, list[str]] = defaultdict(list)
    surface: dict[str, str] = {}
    for article_id, found in values.items():
        for norm, text in found.items():
            grouped[norm].append(article_id)
            surface.setdefault(norm, text)
    return Conflict(slot=slot, about=about, values=tuple(
        ConflictValue(surface[n], tuple(dict.fromkeys(ids))) for n, ids in grouped.items()))


def _amounts(members: list[Proposition], analyses: dict[str, Analysis]) -> dict[str, dict[str, str]]:
    """Per article, the measured amounts (money, distances; counts go to count_conflicts) of one unit that several members give."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    kinds: dict[str, set[str]] = defaultdict(set)
    for p in members:
        for amount in analyses[p.article_id].amounts:
            if p.start <= amount.start < p.end and amount.unit not in (None, "%") and not amount.counts:
                kind = f"{amount.unit}|{amount.currency}"
                kinds[kind].add(p.article_id)
                found[p.article_id][f"{kind}|{amount.value:g}"] = amount.text
    shared = {k for k, ids in kinds.items() if len(ids) >= 2}
    return {a: {n: t for n, t in v.items() if n.rsplit("|", 1)[0] in shared} for a, v in found.items()
            if any(n.rsplit("|", 1)[0] in shared for n in v)}


def _dates(members: list[Proposition], analyses: dict[str, Analysis], texts: dict[str, str]) -> dict[str, dict[str, str]]:
    """Day dates of the members, kept only when every dated member dates the same action: the words
    next to each date share a content word ("walked out on Wednesday" / "walked out on Thursday"), so
    "announced Tuesday" and "met ... on Wednesday" are not a conflict."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    contexts: list[set[str]] = []
    for p in members:
        for date in analyses[p.article_id].dates:
            if p.start <= date.start < p.end and date.precision == "day":
                found[p.article_id][date.value] = date.text
                text = texts[p.article_id]
                contexts.append(set(content_words(text[max(p.start, date.start - DATE_CONTEXT):date.start])))
    if len(contexts) < 2 or not set.intersection(*contexts):
        return {}
    if len({text.lower() for dated in found.values() for text in dated.values()}) < 2:
        return {}  # the same words ("on Saturday") resolved differently are a resolution problem, not a conflict
    return found


def _places(members: list[Proposition], story: StoryEntities, text_of: dict[str, str],
            places: PlaceIndex) -> dict[str, dict[str, str]]:
    """Places of the members where something is or happens ("in", "at", "near", "to", "from" before them: not
    "President Moon of South Korea", not "posted on Twitter"), kept only when each stands in the same role
    (the words just before them share a content word: "arrived in Tavrosk" / "arrived in Brenholm") and no
    article names, anywhere, a place another outlet gives here: "in London" against "in the U.K.", "on the
    Korean Peninsula" against "in South Korea" are one place at two scales, which an article naming both
    shows (without a gazetteer, that is the evidence there is)."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    contexts: list[set[str]] = []
    for p in members:
        for mention in _place_mentions(p, places):
            before = text_of[p.article_id][max(p.start, mention.start - DATE_CONTEXT):mention.start]
            if not LOCATIVE.search(before):
                continue
            found[p.article_id][story.key_at[(p.article_id, mention.start)]] = mention.text
            contexts.append(set(content_words(before)))
    if len(contexts) < 2 or not set.intersection(*contexts) or _names_anothers_place(found, story, places):
        return {}
    return found


def _names_anothers_place(found: dict[str, dict[str, str]], story: StoryEntities, places: PlaceIndex) -> bool:
    """Some article names somewhere a place that another article gives for this fact."""
    for article_id in found:
        named = {story.key_at.get((article_id, m.start)) for m in places.get(article_id, ())}
        if any(named & set(others) for other, others in found.items() if other != article_id):
            return True
    return False


PlaceIndex = dict[str, list[Mention]]  # article id -> its place mentions, in story key order


def _place_index(story: StoryEntities) -> PlaceIndex:
    """Place mentions by article, built once per story (scanning every mention per fact was quadratic)."""
    out: PlaceIndex = defaultdict(list)
    for key, mentions in story.mentions.items():
        if story.types.get(key) in ("GPE", "LOC", "FAC") and not story.names[key].isupper():  # not a dateline
            for m in mentions:
                out[m.article_id].append(m)
    return out


def _place_mentions(p: Proposition, places: PlaceIndex) -> list[Mention]:
    return [m for m in places.get(p.article_id, ()) if p.start <= m.start < p.end]


def _speakers(members: list[Proposition], analyses: dict[str, Analysis], story: StoryEntities,
              speakers: Speakers) -> dict[str, dict[str, str]]:
    """Who each member's article says said it, when every member is mostly a quote, the quotes are one
    quotation (as "who said what" groups them: fuse/quotes.same_quotation) and the speakers are all people
    or all organisations (a body speaking through its head, "the White House" / "Trump", is no dispute)."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    said: list[str] = []
    for p in members:
        for quote in analyses[p.article_id].quotes:
            overlap = min(p.end, quote.content_end) - max(p.start, quote.content_start)
            if overlap >= QUOTED_SHARE * (p.end - p.start) and _named_by_its_article(quote):
                key, _name = speakers.resolve(quote)
                if key in story.types:  # a named person or organisation, not "the statement"
                    found[p.article_id][key] = quote.speaker  # as written
                    said.append(quote.content)
    if any(p.article_id not in found for p in members):
        return {}  # a member nobody is said to have said cannot disagree on who said it
    kinds = {story.types[key] == "PERSON" for keys in found.values() for key in keys}
    if len(kinds) > 1 or not all(same_quotation(said[0], other) for other in said[1:]):
        return {}
    return found
