"""Story representations and candidate retrieval: summed sub-vectors, dates, and an inverted index."""

from __future__ import annotations

import base64
import math
import sys
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from newsfuse.stories.features import ArticleFeatures

FIELDS = ("title", "lead", "body", "entities")
# Terms kept per field in a story's summed vector: a story's core vocabulary, small enough for a
# million stored stories. GVA < 2016 with these caps: B-cubed / pairwise F1 0.936 / 0.818; with three
# times these (weights fitted at these): 0.933 / 0.797.
FIELD_CAPS = {"title": 40, "lead": 60, "body": 120, "entities": 60}
# Entity, title and lead keys of a new article used to look up candidate stories: its rarest ones
# that some earlier article also had; and the keys under which a story is filed for each member.
# GVA < 2016: 24 / 32 find the gold story for 94.2 % of follow-ups (B-cubed / pairwise F1 0.936 /
# 0.818); 32 / 48 find 95.0 % but score 0.936 / 0.815 and cost more per article. With every channel,
# fitted on both streams (see assign.WEIGHTS), 32 / 32 gives 0.946 / 0.851 and 0.939 / 0.828 against
# 0.946 / 0.854 and 0.941 / 0.834.
CANDIDATE_KEYS = 24
POSTING_KEYS = 32
# Story ids remembered per key; a common key ("police") keeps only its most recent stories, so a
# lookup costs the same with 10k or 1M stories.
POSTING_CAP = 64
# Candidate stories scored in full per article (best by summed idf of shared keys).
MAX_CANDIDATES = 40
# A key in more than this share of all articles is too common to find candidates with (never below
# MIN_KEY_DF_LIMIT, so a young index still finds candidates).
MAX_KEY_DF_SHARE = 0.05
MIN_KEY_DF_LIMIT = 50
# Mentioned days remembered per story.
DATES_CAP = 30
# Ages of people, and clock times, remembered per story.
AGES_CAP = 20
# Surnames of the people named remembered per story (a story's own cast; not tuned, few stories name
# more than a dozen people in the heads of their articles).
PERSONS_CAP = 30
# Numbers of the heads remembered per story (scores, amounts; not tuned: a story's own figures).
NUMBERS_CAP = 60
# Stories found by their MiniLM centroid besides those found by shared keys: the nearest DENSE_CANDIDATES
# among the DENSE_RECENT most recently updated stories. A headline shares few rare words with its story's
# other headlines ("Fed official says weak data caused by weather" and "Plosser sees high bar for change
# in tapering"), so keys alone miss it. Cost: one 2,000 x 384 product per article (~0.1 ms).
DENSE_RECENT = 2000
DENSE_CANDIDATES = 8
# Hashed quote 4-grams remembered per story (a story's shared quotes; not tuned, a few dozen quotes).
QUOTES_CAP = 240
ENTITY_PREFIX = "e:"
# A bounded in-memory index (`StoryIndex(horizon_days=...)`, no store behind it) forgets a story once
# its newest article is more than this many days older than the newest article seen, and forgets a
# key (its document frequency and postings) not seen for as long, so memory stays flat over an
# endless stream. See HORIZON_DAYS_RESULT for what it costs on GVA.
HORIZON_DAYS = 365
HORIZON_DAYS_RESULT = (
    "GVA (4.3 years, `bench/stories_gva.py --horizon N`), B-cubed / pairwise F1 with the GVA-only join trees (before "
    "issue 13) on < 2016: "
    "keep every story 0.958 / 0.885, 365 days 0.957 / 0.882, 180 days 0.956 / 0.877; all years: 0.938 / 0.840, "
    "0.937 / 0.836, 0.936 / 0.831 (with the logistic join model: 0.944 / 0.845, 0.943 / 0.845, 0.942 / 0.840; "
    "0.920 / 0.786, 0.918 / 0.780, 0.916 / 0.771)"
)
# Keys whose document frequency an index over a loader (the store) keeps in memory. Past this, once
# everything is written, the df and postings caches are emptied and refilled from the store on demand,
# so memory stays bounded however many distinct names a corpus brings (cost, not accuracy: the stories
# are the same with any value, tests/stories/test_service.py). `bench/stories_speed.py --store 10000`
# (54k keys, so never emptied at this value) runs at 192 articles/s; with 20,000 (emptied every few
# chunks) at 151/s, the same 4,374 stories.
CACHE_KEYS = 200_000
# Stories are checked against the horizon once per this many articles; forgotten stories are swept
# out of the postings once they reach this share of the stories kept (cost, not accuracy: a check walks
# the stories kept, a sweep every key, so both are spread thin over the articles).
EVICT_EVERY = 1000
SWEEP_SHARE = 0.25


def idf(df: int, n_docs: int) -> float:
    """Smoothed inverse document frequency from the running counts."""
    return math.log((n_docs + 1) / (df + 1)) + 1.0


def normalise(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def dot(a: dict[str, float], b: dict[str, float]) -> float:
    # The shared keys by a set intersection (in C), then a list sum: 2.5x faster than a generator over
    # one vector; 10k replicated GVA articles give the same stories either way.
    return sum([a[k] * b[k] for k in a.keys() & b.keys()])


def prune(vec: dict[str, float], cap: int) -> dict[str, float]:
    if len(vec) <= cap:
        return vec
    return dict(sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:cap])


@dataclass
class WeightedArticle:
    """An article's features weighted by idf and L2-normalised per field, ready to compare."""

    features: ArticleFeatures
    vectors: dict[str, dict[str, float]]
    idf: dict[str, float]  # idf of every entity key (prefixed) and term, for key selection
    n_docs: int = 0  # articles counted when it was weighted
    rare: list[tuple[str, float]] | None = None  # its rare entity keys and weights, filled by the first scoring


@dataclass
class StoryState:
    """What a story remembers of its members: summed vectors, days, mentioned dates, outlets."""

    id: str
    vectors: dict[str, dict[str, float]] = field(default_factory=lambda: {f: {} for f in FIELDS})
    norms: dict[str, float] = field(default_factory=dict)
    size: int = 0
    first_day: int | None = None
    last_day: int | None = None
    day_sum: int = 0
    dated: int = 0
    dates: dict[int, int] = field(default_factory=dict)
    outlets: dict[str, int] = field(default_factory=dict)
    ages: dict[int, int] = field(default_factory=dict)
    times: dict[int, int] = field(default_factory=dict)
    persons: dict[str, int] = field(default_factory=dict)
    addresses: dict[str, int] = field(default_factory=dict)
    genders: dict[str, int] = field(default_factory=dict)
    quotes: dict[int, int] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    years: dict[int, int] = field(default_factory=dict)
    title_names: dict[str, int] = field(default_factory=dict)
    dense: Any = None  # sum of the members' unit MiniLM vectors (numpy float32), None until one has one
    dense_norm: float = 0.0
    headlines: int = 0  # members that are headline-only

    def add(self, article: WeightedArticle) -> None:
        for name in FIELDS:
            summed = self.vectors.setdefault(name, {})
            for key, value in article.vectors[name].items():
                summed[key] = summed.get(key, 0.0) + value
            self.vectors[name] = prune(summed, FIELD_CAPS[name])
            self.norms[name] = math.sqrt(sum(v * v for v in self.vectors[name].values()))
        self.size += 1
        feats = article.features
        if feats.day is not None:
            self.first_day = feats.day if self.first_day is None else min(self.first_day, feats.day)
            self.last_day = feats.day if self.last_day is None else max(self.last_day, feats.day)
            self.day_sum += feats.day
            self.dated += 1
        for day in feats.dates:
            self.dates[day] = self.dates.get(day, 0) + 1
        if len(self.dates) > DATES_CAP:
            self.dates = dict(Counter(self.dates).most_common(DATES_CAP))
        self.ages = _count_into(self.ages, feats.ages)
        self.times = _count_into(self.times, feats.times)
        self.persons = _count_into(self.persons, feats.persons, PERSONS_CAP)
        self.addresses = _count_into(self.addresses, feats.addresses)
        self.genders = _count_into(self.genders, feats.genders)
        self.quotes = _count_into(self.quotes, feats.quotes, QUOTES_CAP)
        self.numbers = _count_into(self.numbers, feats.numbers, NUMBERS_CAP)
        self.years = _count_into(self.years, feats.years)
        self.title_names = _count_into(self.title_names, feats.title_names, PERSONS_CAP)
        self.headlines += int(feats.headline_only)
        if feats.embedding is not None:
            self.dense = feats.embedding.copy() if self.dense is None else self.dense + feats.embedding
            self.dense_norm = float(math.sqrt(float(self.dense @ self.dense)))
        if feats.outlet:
            self.outlets[feats.outlet] = self.outlets.get(feats.outlet, 0) + 1

    def absorb(self, other: StoryState) -> None:
        """Take in another story's members (a fragment of the same story, merged into this one)."""
        for name in FIELDS:
            summed = dict(self.vectors.get(name, {}))
            for key, value in other.vectors.get(name, {}).items():
                summed[key] = summed.get(key, 0.0) + value
            self.vectors[name] = prune(summed, FIELD_CAPS[name])
            self.norms[name] = math.sqrt(sum(v * v for v in self.vectors[name].values()))
        self.size += other.size
        days = [d for d in (self.first_day, self.last_day, other.first_day, other.last_day) if d is not None]
        self.first_day, self.last_day = (min(days), max(days)) if days else (None, None)
        self.day_sum += other.day_sum
        self.dated += other.dated
        self.dates = _merged(self.dates, other.dates, DATES_CAP)
        self.outlets = _merged(self.outlets, other.outlets, None)
        for name, cap in (("ages", AGES_CAP), ("times", AGES_CAP), ("persons", PERSONS_CAP), ("addresses", AGES_CAP),
                          ("genders", AGES_CAP), ("quotes", QUOTES_CAP), ("numbers", NUMBERS_CAP), ("years", AGES_CAP),
                          ("title_names", PERSONS_CAP)):
            setattr(self, name, _merged(getattr(self, name), getattr(other, name), cap))
        self.headlines += other.headlines
        if other.dense is not None:
            self.dense = other.dense.copy() if self.dense is None else self.dense + other.dense
            self.dense_norm = float(math.sqrt(float(self.dense @ self.dense)))

    def cosine(self, name: str, vec: dict[str, float]) -> float:
        norm = self.norms.get(name, 0.0)
        return dot(vec, self.vectors.get(name, {})) / norm if norm else 0.0

    def dense_cosine(self, embedding: Any) -> float:
        """Cosine of a unit MiniLM vector with the story's mean vector; 0 when either is missing."""
        if embedding is None or self.dense is None or not self.dense_norm:
            return 0.0
        return float(embedding @ self.dense) / self.dense_norm

    def to_json(self) -> dict:
        return {
            "vectors": self.vectors, "size": self.size, "first_day": self.first_day, "last_day": self.last_day,
            "day_sum": self.day_sum, "dated": self.dated, "dates": {str(k): v for k, v in self.dates.items()},
            "outlets": self.outlets, "ages": {str(k): v for k, v in self.ages.items()},
            "times": {str(k): v for k, v in self.times.items()}, "persons": self.persons,
            "addresses": self.addresses, "genders": self.genders, "quotes": {str(k): v for k, v in self.quotes.items()},
            "headlines": self.headlines, "numbers": self.numbers, "years": {str(k): v for k, v in self.years.items()},
            "title_names": self.title_names,
            "dense": None if self.dense is None else base64.b64encode(self.dense.astype("<f4").tobytes()).decode("ascii"),
        }

    @classmethod
    def from_json(cls, story_id: str, data: dict) -> StoryState:
        state = cls(
            id=story_id, vectors={f: data["vectors"].get(f, {}) for f in FIELDS}, size=data["size"],
            first_day=data["first_day"], last_day=data["last_day"], day_sum=data["day_sum"], dated=data["dated"],
            dates={int(k): v for k, v in data["dates"].items()}, outlets=data["outlets"],
            ages={int(k): v for k, v in data.get("ages", {}).items()},
            times={int(k): v for k, v in data.get("times", {}).items()}, persons=dict(data.get("persons", {})),
            addresses=dict(data.get("addresses", {})), genders=dict(data.get("genders", {})),
            quotes={int(k): v for k, v in data.get("quotes", {}).items()}, headlines=data.get("headlines", 0),
            numbers=dict(data.get("numbers", {})), years={int(k): v for k, v in data.get("years", {}).items()},
            title_names=dict(data.get("title_names", {})),
        )
        if data.get("dense"):
            import numpy as np

            state.dense = np.frombuffer(base64.b64decode(data["dense"]), dtype="<f4").astype(np.float32)
            state.dense_norm = float(math.sqrt(float(state.dense @ state.dense)))
        state.norms = {f: math.sqrt(sum(v * v for v in vec.values())) for f, vec in state.vectors.items()}
        return state


def _merged(mine: dict, theirs: dict, cap: int | None) -> dict:
    out = dict(mine)
    for key, count in theirs.items():
        out[key] = out.get(key, 0) + count
    return dict(Counter(out).most_common(cap)) if cap and len(out) > cap else out


def _count_into(counts: dict, values: tuple, cap: int = AGES_CAP) -> dict:
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return dict(Counter(counts).most_common(cap)) if len(counts) > cap else counts


class StateLoader(Protocol):
    """Where an index finds what is not in memory (the store); absent for a purely in-memory index."""

    def load_df(self, keys: list[str]) -> dict[str, int]: ...
    def load_postings(self, keys: list[str]) -> dict[str, list[str]]: ...
    def load_stories(self, ids: list[str]) -> dict[str, StoryState]: ...
    def load_doc_count(self) -> int: ...
    def load_aliases(self, ids: list[str]) -> dict[str, str]: ...


class DenseTable:
    """Unit centroids of the most recently updated stories, searched by one matrix product."""

    def __init__(self, capacity: int = DENSE_RECENT) -> None:
        self.capacity = capacity
        self.slots: OrderedDict[str, int] = OrderedDict()  # story id -> row, least recently updated first
        self.matrix: Any = None
        self.free: list[int] = []

    def update(self, story_id: str, centroid: Any, norm: float) -> None:
        import numpy as np

        if self.matrix is None:
            self.matrix = np.zeros((self.capacity, len(centroid)), dtype=np.float32)
            self.free = list(range(self.capacity - 1, -1, -1))
        row = self.slots.pop(story_id, None)
        if row is None:
            row = self.free.pop() if self.free else self.slots.pop(next(iter(self.slots)))
        self.slots[story_id] = row
        self.matrix[row] = centroid / norm

    def remove(self, story_id: str) -> None:
        row = self.slots.pop(story_id, None)
        if row is not None:
            self.matrix[row] = 0.0
            self.free.append(row)

    def nearest(self, vector: Any, count: int) -> list[tuple[str, float]]:
        """The `count` stories whose centroid is nearest the unit vector, with their cosines, best first."""
        import numpy as np

        if self.matrix is None or not self.slots:
            return []
        # einsum's own loop, not BLAS: a matrix-vector product through OpenBLAS starts a thread per core and
        # costs 4x the CPU on a busy machine (0.64 against 0.14 ms for 2,000 x 384 here).
        cosines = np.einsum("ij,j->i", self.matrix, vector)
        top = np.argpartition(-cosines, min(count, len(cosines) - 1))[:count]
        by_row = {row: sid for sid, row in self.slots.items()}
        found = [(by_row[int(r)], float(cosines[r])) for r in top if int(r) in by_row]
        return sorted(found, key=lambda item: (-item[1], item[0]))


class StoryIndex:
    """Document frequencies, story states and key postings, cached in memory over an optional loader."""

    def __init__(self, loader: StateLoader | None = None, cache_stories: int | None = None,
                 horizon_days: int | None = None) -> None:
        """`cache_stories` bounds the story states kept over a loader; `horizon_days` makes the index forget
        stories (and, without a loader, keys) that old, relative to the newest article (see HORIZON_DAYS)."""
        self.loader = loader
        self.cache_stories = cache_stories
        self.horizon_days = horizon_days
        self.n_docs = loader.load_doc_count() if loader else 0
        self.df: dict[str, int] = {}
        self.postings: dict[str, list[str]] = {}
        self.stories: OrderedDict[str, StoryState] = OrderedDict()
        # What changed since the last take_dirty(), for a loader's owner to write; not kept without a loader.
        self.dirty_df: set[str] = set()
        self.dirty_postings: set[str] = set()
        self.dirty_stories: set[str] = set()
        self.newest_day: int | None = None
        self.key_day: dict[str, int] = {}  # newest day each key was seen (horizon without a loader only)
        self.forgotten = 0  # stories forgotten (horizon) since the postings were last swept
        self.evicted = 0  # stories forgotten in all
        self._since_check = 0
        self.dense = DenseTable()
        # Stories merged into another (a fragment found to be the same story): old id -> the id it went to.
        self.aliases: dict[str, str] = {}
        self.dirty_aliases: dict[str, str] = {}

    # ---------------------------------------------------------- loading through the cache

    def _ensure_df(self, keys: Iterable[str]) -> None:
        missing = [k for k in keys if k not in self.df]
        if missing and self.loader:
            found = self.loader.load_df(missing)
            for key in missing:
                self.df[key] = found.get(key, 0)

    def _ensure_postings(self, keys: list[str]) -> None:
        missing = [k for k in keys if k not in self.postings]
        if missing and self.loader:
            found = self.loader.load_postings(missing)
            for key in missing:
                self.postings[key] = found.get(key, [])

    def story(self, story_id: str) -> StoryState | None:
        return self.get_stories([story_id]).get(story_id)

    def get_stories(self, ids: list[str]) -> dict[str, StoryState]:
        """The states of these stories, from the cache (each hit becomes the most recent) or the loader.
        What the cache held is taken before loading the rest, whose arrival may evict it."""
        found: dict[str, StoryState] = {}
        for story_id in ids:
            state = self.stories.get(story_id)
            if state is not None:
                found[story_id] = state
                self.stories.move_to_end(story_id)
        missing = [i for i in ids if i not in found]
        if missing and self.loader:
            for state in self.loader.load_stories(missing).values():
                found[state.id] = state
                self._remember(state)
            gone = [i for i in missing if i not in found]
            if gone:  # merged away in an earlier run: read where they went
                self.aliases.update(self.loader.load_aliases(gone))
                targets = {i: self.resolve(i) for i in gone if i in self.aliases}
                loaded = self.get_stories(sorted(set(targets.values()))) if targets else {}
                for old_id, new_id in targets.items():
                    if new_id in loaded:
                        found[old_id] = loaded[new_id]
        return {i: found[i] for i in ids if i in found}

    def resolve(self, story_id: str) -> str:
        """The story an id now names (itself, or the story it was merged into)."""
        while story_id in self.aliases:
            story_id = self.aliases[story_id]
        return story_id

    def _remember(self, state: StoryState) -> None:
        self.stories[state.id] = state
        self.stories.move_to_end(state.id)
        if self.cache_stories and len(self.stories) > self.cache_stories:
            self._shrink(keep=state.id)

    def _shrink(self, keep: str) -> None:
        """Drop the least recently used states down to cache_stories, never `keep` (the state just used); one
        waiting to be written is kept too (moved to the recent end). One step per state looked at, not a walk
        of the whole cache."""
        assert self.cache_stories is not None
        looked = 0
        while len(self.stories) > self.cache_stories and looked < len(self.stories):
            oldest = next(iter(self.stories))
            if oldest == keep:
                break
            if oldest in self.dirty_stories:
                self.stories.move_to_end(oldest)
            else:
                del self.stories[oldest]
            looked += 1

    # ---------------------------------------------------------- weighting and lookup

    def weigh(self, features: ArticleFeatures, count: bool = True) -> WeightedArticle:
        """Count the article into the document frequencies (unless it was counted before), weight its fields by idf."""
        keys = set(features.body) | set(features.title) | set(features.lead)
        keys |= {ENTITY_PREFIX + k for k in features.entities}
        self._ensure_df(keys)
        if count:
            self.n_docs += 1
            df = self.df
            for key in keys:
                df[key] = df.get(key, 0) + 1
            if self.loader:
                self.dirty_df.update(keys)
            if features.day is not None and (self.newest_day is None or features.day > self.newest_day):
                self.newest_day = features.day
            if self.horizon_days is not None and not self.loader and self.newest_day is not None:
                seen = features.day if features.day is not None else self.newest_day
                key_day = self.key_day
                for key in keys:
                    if key_day.get(key, seen - 1) < seen:
                        key_day[key] = seen
        idfs = {k: idf(max(1, self.df.get(k, 0)), max(1, self.n_docs)) for k in keys}
        vectors: dict[str, dict[str, float]] = {}
        for name in ("title", "lead", "body"):
            counts = getattr(features, name)
            vectors[name] = normalise({t: (1 + math.log(c)) * idfs[t] for t, c in counts.items()})
        vectors["entities"] = normalise(
            {k: c * idfs[ENTITY_PREFIX + k] for k, c in features.entities.items()}
        )
        return WeightedArticle(features, vectors, idfs, self.n_docs)

    def lookup_keys(self, article: WeightedArticle, posting: bool = False) -> list[str]:
        """The article's rarest entity names and title/lead terms, by which stories are found.

        For lookup only keys some earlier article had can match; for posting (`posting=True`) the
        article's own unique keys count too, since a later follow-up may share exactly those.
        """
        limit = max(MIN_KEY_DF_LIMIT, int(MAX_KEY_DF_SHARE * self.n_docs))
        low = 0 if posting else 1
        keys = [ENTITY_PREFIX + k for k in article.features.entities]
        keys += list(set(article.features.title) | set(article.features.lead))
        keys = [k for k in keys if low < self.df.get(k, 0) <= limit]
        keys.sort(key=lambda k: (-article.idf.get(k, 0.0), k))  # ties by key: same run, same result
        return keys[: POSTING_KEYS if posting else CANDIDATE_KEYS]

    def candidates(self, article: WeightedArticle, keys: list[str]) -> list[StoryState]:
        """Stories sharing the article's rare keys, best first by the summed idf of what they share."""
        self._ensure_postings(keys)
        scores: dict[str, float] = {}
        # Without a loader a posting may still name a story forgotten (horizon) or merged away since.
        live = self.stories if not self.loader else None
        aliases = self.aliases
        for key in keys:
            weight = article.idf.get(key, 1.0)
            for story_id in self.postings.get(key, ()):
                if story_id in aliases:
                    story_id = self.resolve(story_id)
                if live is None or story_id in live:
                    scores[story_id] = scores.get(story_id, 0.0) + weight
        best = sorted(scores, key=lambda s: (-scores[s], s))[:MAX_CANDIDATES]
        if DENSE_CANDIDATES and article.features.embedding is not None:
            chosen = set(best)
            best += [sid for sid, _ in self.dense.nearest(article.features.embedding, DENSE_CANDIDATES)
                     if sid not in chosen and (live is None or sid in live)]
        found = self.get_stories(best)
        out, seen = [], set()
        for story_id in best:
            state = found.get(story_id)
            if state is not None and state.id not in seen:  # two ids may name one story (merged)
                seen.add(state.id)
                out.append(state)
        return out

    # ---------------------------------------------------------- updates

    def add_to_story(self, state: StoryState, article: WeightedArticle, keys: list[str]) -> None:
        state.add(article)
        self._remember(state)
        if state.dense is not None and state.dense_norm:
            self.dense.update(state.id, state.dense, state.dense_norm)
        if self.loader:
            self.dirty_stories.add(state.id)
        self._ensure_postings(keys)
        for key in keys:
            posting = self.postings.setdefault(key, [])
            if state.id in posting:
                continue
            posting.append(sys.intern(state.id))
            if len(posting) > POSTING_CAP:
                del posting[: len(posting) - POSTING_CAP]
            if self.loader:
                self.dirty_postings.add(key)
        if self.horizon_days is not None:
            self._since_check += 1
            if self._since_check >= EVICT_EVERY:
                self._since_check = 0
                self.evict()

    def evict(self) -> int:
        """Forget the stories whose newest article is more than horizon_days older than the newest article
        seen (over a loader: drop them from the cache, unless they wait to be written); without a loader,
        once enough are gone, also sweep them out of the postings and forget the keys not seen within the
        horizon, so a name back after that long counts as new. Returns how many stories were forgotten."""
        if self.horizon_days is None or self.newest_day is None:
            return 0
        cutoff = self.newest_day - self.horizon_days
        old = [
            sid for sid, state in self.stories.items()
            if state.last_day is not None and state.last_day < cutoff and sid not in self.dirty_stories
        ]
        for sid in old:
            del self.stories[sid]
            self.dense.remove(sid)
        self.evicted += len(old)
        if not self.loader:
            self.forgotten += len(old)
            if self.forgotten and self.forgotten >= SWEEP_SHARE * len(self.stories):
                self._sweep(cutoff)
        return len(old)

    def _sweep(self, cutoff: int) -> None:
        stale = [key for key, day in self.key_day.items() if day < cutoff]
        for key in stale:
            del self.key_day[key]
            self.df.pop(key, None)
            self.postings.pop(key, None)
        live = self.stories
        for key, posting in list(self.postings.items()):
            kept = [sid for sid in posting if sid in live]
            if not kept:
                del self.postings[key]
            elif len(kept) < len(posting):
                self.postings[key] = kept
        self.forgotten = 0

    def merge(self, keep: StoryState, gone: StoryState) -> None:
        """Fold story `gone` into `keep`; its id names `keep` from now on (postings resolve it)."""
        keep.absorb(gone)
        self.aliases[gone.id] = keep.id
        self.drop_story(gone.id)
        self._remember(keep)
        if keep.dense is not None and keep.dense_norm:
            self.dense.update(keep.id, keep.dense, keep.dense_norm)
        if self.loader:
            self.dirty_aliases[gone.id] = keep.id
            self.dirty_stories.add(keep.id)

    def take_aliases(self) -> dict[str, str]:
        """Merges since the last call (old id -> new id), for the loader's owner to write."""
        out, self.dirty_aliases = self.dirty_aliases, {}
        return out

    def drop_story(self, story_id: str) -> None:
        """Forget a story (merged away); postings that name it are filtered when read."""
        self.stories.pop(story_id, None)
        self.dirty_stories.discard(story_id)
        self.dense.remove(story_id)

    def put_story(self, state: StoryState) -> None:
        self._remember(state)
        if self.loader:
            self.dirty_stories.add(state.id)

    def forget_keys(self) -> bool:
        """Over a loader, empty the df and postings caches once they pass CACHE_KEYS keys, if nothing in
        them waits to be written; returns whether it did."""
        if not self.loader or self.dirty_df or self.dirty_postings or len(self.df) <= CACHE_KEYS:
            return False
        self.df, self.postings = {}, {}
        return True

    def take_dirty(self) -> tuple[dict[str, int], dict[str, list[str]], list[StoryState]]:
        """What changed since the last call, for the loader's owner to write; clears the dirty marks."""
        df = {k: self.df[k] for k in self.dirty_df}
        postings = {k: self.postings[k] for k in self.dirty_postings}
        stories = [self.stories[s] for s in self.dirty_stories if s in self.stories]
        self.dirty_df, self.dirty_postings, self.dirty_stories = set(), set(), set()
        return df, postings, stories
