"""One speaker per person or organisation across a story's outlets, whatever form each outlet writes.

The analysis stage links names to entities (`Quote.speaker_entity`, and, where it resolves a pronoun,
role or acronym, the article's full name for the speaker). What is left open is resolved here inside
the story: a surname, an honorific or title before a name ("Mr.", "Rep.", "Foreign Minister"), an
outlet's possessive ("Meridian Post's Sofia Brandt"), an acronym ("UN" / "United Nations"), an
organisation written two ways ("Russia's foreign ministry" / "Russian Foreign Ministry"), and a role
("the four-term congressman") that exactly one person of the story holds.
"""

from __future__ import annotations

import re
from collections import defaultdict

from newsfuse.fuse.entities import StoryEntities, normalise_name
from newsfuse.models import Quote
from newsfuse.text.unionfind import UnionFind
from newsfuse.text.words import stem

# Honorifics and short titles written before a name, and the role words each stands for (so that "the
# congressman" finds "Rep. Jane Doe"). A closed class of English usage, extended by reading, not tuned.
HONORIFICS: dict[str, tuple[str, ...]] = {
    "mr": (), "mrs": (), "ms": (), "miss": (), "dr": ("doctor",), "prof": ("professor",),
    "rep": ("representative", "congressman", "congresswoman", "lawmaker"),
    "sen": ("senator", "lawmaker"), "gov": ("governor",), "gen": ("general",), "lt": ("lieutenant",),
    "col": ("colonel",), "capt": ("captain",), "sgt": ("sergeant",), "adm": ("admiral",), "amb": ("ambassador",),
    "sir": (), "dame": (), "lord": (), "rev": ("reverend",), "fr": ("father",), "hon": (),
}
# Title words that may stand before a name and are dropped to find the name ("Foreign Minister Yevgeny
# Karsavin"); the same words make a role ("the minister"). A closed class, as conflicts.TITLE_HEADS.
TITLE_WORDS = frozenset(
    """president vice prime minister foreign defence defense finance interior secretary chancellor premier
    senator congressman congresswoman representative lawmaker governor mayor judge justice general
    spokesman spokeswoman spokesperson chairman chairwoman chair chief executive director ambassador envoy
    king queen prince princess pope bishop cardinal sheikh emir sultan speaker leader deputy acting former
    state senior commander officer inspector detective sergeant captain colonel admiral attorney prosecutor
    professor editor correspondent analyst economist aide adviser advisor counsel founder ceo head
    superintendent commissioner councillor councilor constable president-elect agent""".split()
)
# Key prefix of a quote whose speaker the analysis labelled SOURCE (a document, a poll, the media).
SOURCE_KEY = "source:"
_ORG_TYPES = frozenset({"ORG", "GPE", "NORP", "FAC"})
_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC", "NORP"})
_INITIAL = re.compile(r"[A-Z]\.")
_CONNECTIVES = frozenset({"of", "the", "for", "and", "on", "in", "de", "&"})


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", text.replace("’", "'")) if w]


def strip_titles(name: str, person: bool = True) -> str:
    """A person's name without an outlet's possessive, honorifics and titles before it ("Rep. John Smith" ->
    "John Smith", "Meridian Post's Sofia Brandt" -> "Sofia Brandt"); any other name as written. Title words
    ("State", "Foreign") are stripped only from a `person`'s name or after an honorific."""
    name = normalise_name(name)
    possessive = re.match(r"^(?:[A-Z][\w.&-]*\s+)*[A-Z][\w.&-]*['’]s\s+(?=[A-Z])", name)
    rest = name[possessive.end():] if possessive else name
    words = rest.split()
    while len(words) > 1 and (words[0].lower().rstrip(".") in HONORIFICS or (person and words[0].lower() in TITLE_WORDS)):
        person = True  # an honorific says a person is named
        words = words[1:]
    if person:
        words = _without_title_phrase(words)
    stripped = " ".join(words)
    return stripped if stripped != name and _person_like(stripped) and (len(words) > 1 or not possessive) else name


def _without_title_phrase(words: list[str]) -> list[str]:
    """A capitalised phrase ending in a title word dropped from before a full name ("Minority Leader Nancy
    Pelosi", "Border Patrol Agent Rodney Scott"), when a name of two words or more is left."""
    for cut in range(len(words) - 2, 0, -1):
        if words[cut - 1].lower().rstrip(".") in TITLE_WORDS and _person_like(" ".join(words[cut:])) \
                and len(words[cut:]) >= 2 and all(w[:1].isupper() for w in words[:cut]):
            return words[cut:]
    return words


def initials(name: str) -> str:
    """"United Nations" -> "UN"; "Federal Bureau of Investigation" -> "FBI" (connectives skipped)."""
    return "".join(w[0].upper() for w in _words(name) if w.lower() not in _CONNECTIVES and w[:1].isalpha())


def is_acronym(text: str) -> bool:
    bare = text.replace(".", "")
    return 2 <= len(bare) <= 6 and bare.isupper() and bare.isalpha()


def _org_form(name: str) -> tuple[str, ...]:
    """An organisation's words, stemmed and sorted, possessives and "the" dropped; a demonym folds to its
    country by prefix in _same_org ("russian" / "russia")."""
    name = re.sub(r"['’]s\b", "", normalise_name(name).lower())
    return tuple(sorted(stem(w) for w in _words(name) if w not in _CONNECTIVES))


def _same_org(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) != len(b) or not a:
        return False
    return all(x == y or (min(len(x), len(y)) >= 4 and (x.startswith(y) or y.startswith(x))) for x, y in zip(a, b))


class Speakers:
    """Resolves each quote's speaker to one key per person or organisation of the story.

    The story's entity keys that name one speaker are joined first (the analysis stage may have linked
    "UN" and "United Nations", or "Brandt" and "Meridian Post's Sofia Brandt", to different entities):
    the same name once titles and possessives are stripped, a surname that ends exactly one full name,
    an acronym that spells exactly one organisation, one organisation written two ways."""

    def __init__(self, story: StoryEntities, texts: dict[str, str]) -> None:
        self.story = story
        self.forms: dict[str, set[str]] = {}  # key -> its names, titles and possessives stripped
        self.roles: dict[str, set[str]] = defaultdict(set)  # person key -> role words written about them
        for key, mentions in story.mentions.items():
            names = {normalise_name(m.text) for m in mentions} | {story.names[key]}
            person = story.types.get(key) == "PERSON"
            self.forms[key] = {f for f in (strip_titles(n, person) for n in names) if f}
            for mention in mentions:
                text = texts.get(mention.article_id, "")
                # A place is no one's role holder ("a church in Wasilla, the minister said" is the minister's).
                if story.types.get(key) == "PERSON" or (story.types.get(key) not in _PLACE_TYPES
                                                        and _person_like(strip_titles(mention.text))):
                    self.roles[key] |= _roles_before(text, mention.start) | _roles_after(text, mention.end)
        self.by_last_word: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key, forms in self.forms.items():
            for form in forms:
                if form.split():
                    self.by_last_word[form.split()[-1].lower()].append((key, form))
        self.groups = UnionFind(self.forms)
        self._join()
        self._index()
        self.display = self._displays()

    def _join(self) -> None:
        by_form: dict[str, list[str]] = defaultdict(list)
        full_names: dict[str, set[str]] = defaultdict(set)  # surname -> keys with a full name ending in it
        by_initials: dict[str, set[str]] = defaultdict(set)
        org_forms: list[tuple[tuple[str, ...], str]] = []
        for key, forms in self.forms.items():
            for form in forms:
                by_form[form.lower()].append(key)
                if _person_like(form) and len(form.split()) >= 2:
                    full_names[form.split()[-1].lower()].add(key)
                if not is_acronym(form) and len(_words(form)) >= 2 and self.story.types.get(key) in _ORG_TYPES:
                    by_initials[initials(form)].add(key)
                    org_forms.append((_org_form(form), key))
        for keys in by_form.values():
            for other in keys[1:]:
                self.groups.union(keys[0], other, "same name")
        self.by_form = by_form
        self._join_short_forms(full_names)
        for key, forms in self.forms.items():
            for form in forms:
                words = form.split()
                if len(words) == 1 and _person_like(form) and len(full_names.get(form.lower(), ())) == 1:
                    full = next(iter(full_names[form.lower()]))
                    if not self._kept_apart(form, full):
                        self.groups.union(full, key, "surname")
                if is_acronym(form) and len(by_initials.get(form.replace(".", ""), ())) == 1:
                    self.groups.union(next(iter(by_initials[form.replace(".", "")])), key, "acronym")
                elif any(is_acronym(w) for w in words):
                    expanded = [k for k, o in self._same_last_word(words) if k != key and _expands(words, o.split())]
                    if len(set(expanded)) == 1:
                        self.groups.union(expanded[0], key, "acronym")
        for i, (form, key) in enumerate(org_forms):
            for other, other_key in org_forms[i + 1:]:
                if other_key != key and _same_org(form, other):
                    self.groups.union(key, other_key, "same organisation")

    def _kept_apart(self, surname: str, full: str) -> bool:
        """Whether the analysis stage, seeing a person's surname alone and a full name ending in it in one
        article, kept them apart (the article names two people of one family: "President Trump and Melania
        Trump, the first lady"); then the surname is not that full name in any article of the story."""
        alone = {key for key in self.by_form.get(surname.lower(), ()) if self.story.types.get(key) == "PERSON" and key != full}
        articles = {m.article_id for key in alone for m in self.story.mentions[key]}
        return any(m.article_id in articles for m in self.story.mentions[full])

    def _join_short_forms(self, full_names: dict[str, set[str]]) -> None:
        """A full name without its middle name or initial ("Sarah Sanders" / "Sarah Huckabee Sanders"), and
        a single name that opens exactly one full name and ends none, as a surname written first does
        ("Kim" / "Kim Jong Un")."""
        people = [(key, form.split()) for key, forms in self.forms.items() for form in forms
                  if _person_like(form) and self.story.types.get(key) in (None, "PERSON")]
        by_first: dict[str, set[str]] = defaultdict(set)
        for key, words in people:
            if len(words) >= 2:
                by_first[words[0].lower()].add(key)
        for key, words in people:
            if len(words) == 1:
                opens = by_first.get(words[0].lower(), set()) - {key}
                if len(opens) == 1 and words[0].lower() not in full_names:
                    self.groups.union(next(iter(opens)), key, "name written first")
                continue
            short = _without_initials(words)
            for other, longer in people:
                if other != key and len(longer) > len(short) >= 2 and _drops_middle(short, longer):
                    self.groups.union(other, key, "middle name dropped")

    def _same_last_word(self, words: list[str]) -> list[tuple[str, str]]:
        """(key, form) of the forms that could spell these words out: same last word, unless that is the acronym."""
        last = words[-1].lower()
        if is_acronym(words[-1]):
            return [(k, f) for k, forms in self.forms.items() for f in forms]
        return [(k, f) for k, f in self.by_last_word.get(last, ())]

    def _index(self) -> None:
        """Lookups for key_of: forms by lower case, full names by surname, organisations by initials and words."""
        self.by_lower: dict[str, set[str]] = defaultdict(set)
        self.by_surname: dict[str, list[tuple[str, str]]] = defaultdict(list)  # surname -> (first name, key)
        self.by_initials: dict[str, set[str]] = defaultdict(set)
        self.org_forms: list[tuple[tuple[str, ...], str]] = []
        for key, forms in self.forms.items():
            organisation = self.story.types.get(key) in _ORG_TYPES
            for form in forms:
                self.by_lower[form.lower()].add(key)
                words = form.split()
                if _person_like(form) and len(words) >= 2:
                    self.by_surname[words[-1].lower()].append((words[0], key))
                if organisation:
                    self.by_initials[initials(form)].add(key)
                    if len(_words(form)) >= 2:
                        self.org_forms.append((_org_form(form), key))

    def _displays(self) -> dict[str, str]:
        """root -> the fullest name of its group (the most words; the linker's name breaks ties)."""
        out = {}
        for root, members in self.groups.groups().items():
            names = [strip_titles(self.story.names[k], self.story.types.get(k) == "PERSON") for k in members]
            out[root] = max(names, key=lambda n: (not is_acronym(n), len(n.split()), len(n)))
        return out

    def resolve(self, quote: Quote) -> tuple[str, str]:
        """(key, display name) of who said a quote."""
        key = quote.speaker_entity if quote.speaker_entity in self.forms else None
        key = key or self._by_mention(quote)
        named = getattr(quote, "speaker_name", "")  # the analysis stage's full name for a pronoun or role
        key = key or (self.key_of(named) if named else None) or self.key_of(quote.speaker)
        if key:
            root = self.groups.find(key)
            return root, self.display[root]
        if getattr(quote, "speaker_type", "") == "SOURCE":
            # A document or the media, as the article writes it ("the lawsuit", "a statement"): labelled a
            # source (fuse/quotes.py), never a name of its own that would read as someone who speaks.
            phrase = " ".join(quote.speaker.split())
            return f"{SOURCE_KEY}{phrase.lower()}", phrase
        name = strip_titles(quote.speaker) or normalise_name(quote.speaker)
        return f"speaker:{name.lower()}", name

    def _by_mention(self, quote: Quote) -> str | None:
        """The entity whose mention is the speaker phrase (not "Russia" of "Russia's ministry")."""
        if quote.speaker_start is None:
            return None
        key = self.story.key_at.get((quote.article_id, quote.speaker_start))
        if key and any(m.article_id == quote.article_id and m.start == quote.speaker_start
                       and m.end >= (quote.speaker_end or 0) for m in self.story.mentions[key]):
            return key
        return None

    def key_of(self, phrase: str) -> str | None:
        """The one speaker a phrase names (a name in any form, or a role one person holds), or None."""
        name = strip_titles(phrase)
        if not name:
            return None
        found = {self.groups.find(k) for k in self.by_lower.get(name.lower(), ())}
        if not found and _person_like(name):
            words = name.split()
            found = {self.groups.find(k) for first, k in self.by_surname.get(words[-1].lower(), ())
                     if len(words) == 1 or first[:1] == words[0][:1]}
        if not found and is_acronym(name):
            found = {self.groups.find(k) for k in self.by_initials.get(name.replace(".", ""), ())}
        if not found and len(_words(name)) >= 2:
            form = _org_form(name)
            found = {self.groups.find(k) for other, k in self.org_forms if _same_org(form, other)}
        if not found:
            found = self._role(phrase)
        return next(iter(found)) if len(found) == 1 else None

    def _role(self, phrase: str) -> set[str]:
        """A lower-case role ("the four-term congressman", "the spokeswoman") that one person of the story holds."""
        words = [w.lower().strip(",.") for w in _words(phrase)]
        if not words or phrase.strip()[:1].isupper() and not phrase.lower().startswith("the "):
            return set()
        head = words[-1]
        if head not in TITLE_WORDS and not any(head in roles for roles in HONORIFICS.values()):
            return set()
        return {self.groups.find(key) for key, roles in self.roles.items() if head in roles}


def _person_like(name: str) -> bool:
    """One to four capitalised alphabetic words ("Brandt", "Sofia Brandt"), no acronym, an initial allowed
    between the first and the last ("Elijah E. Cummings"): how a person is named."""
    words = name.replace("’", "'").split()
    return 1 <= len(words) <= 4 and all(
        (w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha() and not w.isupper())
        or (0 < i < len(words) - 1 and _INITIAL.fullmatch(w) is not None) for i, w in enumerate(words))


def _without_initials(words: list[str]) -> list[str]:
    return [w for w in words if not _INITIAL.fullmatch(w)]


def _drops_middle(short: list[str], long: list[str]) -> bool:
    """The same first and last names, the short form's other words in the long one's order."""
    if short[0] != long[0] or short[-1] != long[-1]:
        return False
    rest = iter(long[1:-1])
    return all(word in rest for word in short[1:-1])


def _expands(short: list[str], long: list[str]) -> bool:
    """"UN Security Council" spells "United Nations Security Council": an acronym word stands for the run
    of words whose initials it is, the other words equal."""
    i = j = 0
    while i < len(short) and j < len(long):
        word = short[i]
        if word.lower() == long[j].lower():
            i, j = i + 1, j + 1
            continue
        if not is_acronym(word):
            return False
        letters, k = word.replace(".", ""), j
        spelled = ""
        while k < len(long) and len(spelled) < len(letters):
            if long[k].lower() not in _CONNECTIVES:
                spelled += long[k][0].upper()
            k += 1
        if spelled != letters:
            return False
        i, j = i + 1, k
    return i == len(short) and j == len(long) and short != long


def _roles_before(text: str, start: int) -> set[str]:
    """Title and honorific words written right before a name ("Rep.", "Foreign Minister"), as role words."""
    before = text[max(0, start - 60):start].split()[-4:]
    out: set[str] = set()
    for word in reversed(before):
        bare = word.lower().strip(",.;:()\"“”")
        if bare in HONORIFICS:
            out |= {bare, *HONORIFICS[bare]}
        elif bare in TITLE_WORDS:
            out.add(bare)
        elif not word[:1].isupper():
            break
    return out


def _roles_after(text: str, end: int) -> set[str]:
    """Title words of an apposition right after a name ("Jane Doe, the four-term congressman, said")."""
    match = re.match(r",\s+(?:the\s+|a\s+|an\s+)?([^,.;()]{0,50})", text[end:end + 60])
    if not match:
        return set()
    return {w.lower() for w in _words(match.group(1)) if w.lower() in TITLE_WORDS}
