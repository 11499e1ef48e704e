"""Story grouping over the store: incremental clustering, story descriptions, merge and split."""

from __future__ import annotations

import base64
import functools
import json
import zlib
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from newsfuse.errors import NotFound
from newsfuse.models import Analysis, Article, Story
from newsfuse.stories.assign import ASSIGN_VERSION, Assigner, new_story_id
from newsfuse.stories.copies import COPIES_VERSION, copy_groups, signature
from newsfuse.stories.features import EMBED_LEAD_WORDS, ArticleFeatures, article_features, embedding_text
from newsfuse.stories.index import StoryIndex, StoryState

# Articles assigned between two writes of the clustering state: a kill loses at most this many.
CHUNK = 200
# Story states kept in memory while clustering; the rest are read back from the store when needed.
CACHE_STORIES = 20_000
KEYWORDS = 8
# A headline shorter than this many content words is scored as if it had this many (no one-word titles).
TITLE_MIN_WORDS = 4
ENTITIES = 8
# Members examined for copies: the newest ones of a very large story.
COPY_WINDOW = 300
# Where an article's title-and-lead MiniLM vector is kept (annotations), and what was embedded.
EMBEDDING_COMPONENT = "stories.embedding"
EMBEDDING_TEXT = f"title+{EMBED_LEAD_WORDS}words"

AnalysisFor = Callable[[str], Analysis | None]
# The clustering-state counter (story_meta) listing stories changed but not yet described.
UNDESCRIBED = "undescribed"
# Where the clustering state records a story merged into another (story_meta name prefix + old id).
ALIAS_PREFIX = "merged:"
# The store lock every job that rewrites story states holds (clustering, merge, split).
STORY_JOB = "stories"

Job = TypeVar("Job", bound=Callable[..., Any])


def _one_at_a_time(job: Job) -> Job:
    """Run a job that reads story states, works and writes them back alone on its database (store.exclusive):
    another process's clustering, merge or split waits for it."""

    @functools.wraps(job)
    def alone(store: Any, *args: Any, **kwargs: Any) -> Any:
        with store.exclusive(STORY_JOB):
            return job(store, *args, **kwargs)

    return cast(Job, alone)


class StoreLoader:
    """Reads the clustering state an index lacks from the store (see StoryIndex)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def load_df(self, keys: list[str]) -> dict[str, int]:
        return self.store.story_df(keys)

    def load_postings(self, keys: list[str]) -> dict[str, list[str]]:
        return self.store.story_postings(keys)

    def load_stories(self, ids: list[str]) -> dict[str, StoryState]:
        return {sid: decode_state(sid, blob) for sid, blob in self.store.story_states(ids).items()}

    def load_doc_count(self) -> int:
        return int(self.store.story_meta("n_docs", "0"))

    def load_aliases(self, ids: list[str]) -> dict[str, str]:
        found = {i: self.store.story_meta(f"{ALIAS_PREFIX}{i}") for i in ids}
        return {i: into for i, into in found.items() if into}


def encode_state(state: StoryState) -> bytes:
    return zlib.compress(json.dumps(state.to_json(), separators=(",", ":")).encode())


def decode_state(story_id: str, blob: bytes) -> StoryState:
    return StoryState.from_json(story_id, json.loads(zlib.decompress(blob)))


def flush(store: Any, index: StoryIndex, assignments: list[tuple[str, str, float]],
          undescribed: set[str] | None = None) -> None:
    """Write what changed in the index, the new memberships and the stories merged since the last flush
    (their members moved to the story they went into, the alias kept for postings), in one transaction;
    with the stories changed but not yet described, so a clustering killed before describing them
    describes them next time."""
    df, postings, states = index.take_dirty()
    aliases = index.take_aliases()
    meta = {"n_docs": str(index.n_docs), **{f"{ALIAS_PREFIX}{old}": index.resolve(old) for old in aliases}}
    if undescribed is not None:
        meta[UNDESCRIBED] = json.dumps(sorted({index.resolve(s) for s in undescribed}))
    with store.transaction():
        store.save_story_index(df, postings, meta)
        store.save_story_states({s.id: encode_state(s) for s in states}, ASSIGN_VERSION)
        store.assign_articles([(a, index.resolve(s), score) for a, s, score in assignments])
        for old in sorted(aliases):
            into = index.resolve(old)
            members = store.story_article_ids(old)
            store.assign_articles([(a, into, 1.0) for a in members])
            store.delete_story(old)
            store.record_story_event("merge", {"into": into, "from": old, "articles": members, "by": "clustering"})


def features_for(store: Any, article_ids: Sequence[str], analysis_for: AnalysisFor | None) -> list[ArticleFeatures]:
    articles = {a.id: a for a in store.articles(ids=list(article_ids))}
    vectors = article_embeddings(store, [articles[a] for a in article_ids])
    out = []
    for article_id in article_ids:
        analysis = analysis_for(article_id) if analysis_for else None
        out.append(article_features(articles[article_id], analysis, vectors.get(article_id)))
    return out


def article_embeddings(store: Any, articles: Sequence[Article]) -> dict[str, Any]:
    """The MiniLM vector of each article's title and lead (features.embedding_text), read from the store's
    annotations or embedded now in one batch and stored there, so each article is embedded once. Empty when
    the embedding model is not installed: grouping then goes on without the dense channels."""
    import numpy as np

    from newsfuse.errors import ModelUnavailable
    from newsfuse.text import embeddings

    version = f"{embeddings.model_name()}/{EMBEDDING_TEXT}"
    found: dict[str, Any] = {}
    missing = []
    for article in articles:
        cached = store.annotation(article.id, EMBEDDING_COMPONENT)
        if cached and cached[0] == version:
            found[article.id] = np.frombuffer(base64.b64decode(cached[1]), dtype="<f4").astype(np.float32)
        else:
            missing.append(article)
    if missing:
        # Shortest first: a batch is padded to its longest text, so like lengths together cost less.
        missing.sort(key=lambda a: len(embedding_text(a)))
        try:
            vectors = embeddings.embed([embedding_text(a) for a in missing])
        except ModelUnavailable:
            return found
        with store.transaction():
            for article, vector in zip(missing, vectors):
                found[article.id] = vector
                store.put_annotation(article.id, EMBEDDING_COMPONENT, version,
                                     base64.b64encode(vector.astype("<f4").tobytes()).decode("ascii"))
    return found


@_one_at_a_time
def cluster_store(
    store: Any, rebuild: bool = False, analysis_for: AnalysisFor | None = None,
    on_article: Callable[[str], None] | None = None,
) -> list[str]:
    """Assign every article in no story yet, oldest first; returns the ids of stories that changed. One
    clustering (or merge, split) at a time per database: another process's waits (store.exclusive)."""
    if rebuild:
        store.reset_stories()
        store.record_story_event("rebuild", {})
    pending = [article_id for article_id, _ in store.unclustered_articles()]
    index = StoryIndex(StoreLoader(store), cache_stories=CACHE_STORIES)
    assigner = Assigner(index)
    changed: set[str] = set(json.loads(store.story_meta(UNDESCRIBED, "[]")))
    for start in range(0, len(pending), CHUNK):
        batch = pending[start : start + CHUNK]
        assignments = []
        for feats in features_for(store, batch, analysis_for):
            decision = assigner.assign(feats)
            assignments.append((feats.article_id, decision.story_id, decision.score))
            changed.add(decision.story_id)
            if on_article:
                on_article(feats.article_id)
        flush(store, index, assignments, changed)
        index.forget_keys()
    changed = {index.resolve(s) for s in changed}
    for story_id in sorted(changed):
        describe(store, story_id, index)
    if changed:
        store.save_story_index({}, {}, {UNDESCRIBED: "[]"})
    return sorted(changed)


def describe(store: Any, story_id: str, index: StoryIndex | None = None) -> Story:
    """Recompute and store what a story shows from its members and its state."""
    member_ids = store.story_article_ids(story_id)
    articles = store.articles(ids=member_ids)
    articles.sort(key=lambda a: (a.published or "9999", member_ids.index(a.id)))
    state = index.story(story_id) if index else None
    if state is None:
        state = StoreLoader(store).load_stories([story_id]).get(story_id) or StoryState(id=story_id)
    dates = [a.published for a in articles if a.published]
    outlets = sorted({a.outlet for a in articles if a.outlet})
    story = Story(
        id=story_id, article_ids=tuple(a.id for a in articles), title=_title(articles, state),
        keywords=_top(state.vectors.get("body", {}), KEYWORDS),
        entities=tuple(_display(k) for k in _top(_names(state), ENTITIES, names_only=True)),
        outlets=tuple(outlets), first_seen=min(dates) if dates else None, last_seen=max(dates) if dates else None,
        copies=copy_groups(articles[-COPY_WINDOW:], _signatures(store, articles[-COPY_WINDOW:])),
    )
    store.describe_story(story)
    return story


def _signatures(store: Any, articles: list[Article]) -> dict[str, Any]:
    """MinHash signatures of the articles, read from the annotations or computed and stored there."""
    import numpy as np

    if len(articles) < 2:
        return {}
    out: dict[str, Any] = {}
    for article in articles:
        cached = store.annotation(article.id, "stories.minhash")
        if cached and cached[0] == COPIES_VERSION:
            out[article.id] = None if cached[1] is None else np.array(cached[1], dtype=np.uint64)
            continue
        sig = signature(article.text)
        out[article.id] = sig
        store.put_annotation(article.id, "stories.minhash", COPIES_VERSION, None if sig is None else sig.tolist())
    return out


def _title(articles: list[Article], state: StoryState) -> str:
    """The member headline that best matches the story's summed title vector (the earliest on ties)."""
    if not articles:
        return ""
    from newsfuse.stories.features import tokens

    weights = state.vectors.get("title", {})

    def fit(article: Article) -> float:
        # Mean weight per word: a headline dense in the story's words beats a long first sentence.
        words = tokens(article.title)
        return sum(weights.get(w, 0.0) for w in words) / max(len(words), TITLE_MIN_WORDS) if words else -1.0

    return max(articles, key=fit).title


def _top(vector: dict[str, float], count: int, names_only: bool = False) -> tuple[str, ...]:
    ranked = sorted(vector.items(), key=lambda kv: -kv[1])
    out = []
    for key, _ in ranked:
        if names_only and any(key in other and key != other for other in out):
            continue
        out.append(key)
        if len(out) == count:
            break
    return tuple(out)


def _names(state: StoryState) -> dict[str, float]:
    """The story's entity weights by spelling (the analysis's "@" canonical-id keys are for matching only)."""
    return {k: v for k, v in state.vectors.get("entities", {}).items() if not k.startswith("@")}


def _display(key: str) -> str:
    """An entity key as a name: capitalised words, connectors ("of", "de") left lower-case."""
    connectors = {"of", "de", "del", "la", "van", "von", "al", "bin", "the", "and"}
    return " ".join(p if p in connectors and i else p[:1].upper() + p[1:] for i, p in enumerate(key.split()))


# ---------------------------------------------------------------- corrections by hand

def rebuild_state(store: Any, story_id: str, index: StoryIndex, analysis_for: AnalysisFor | None) -> StoryState:
    """A story's state recomputed from its members (after a merge or split), without counting them again."""
    state = StoryState(id=story_id)
    for feats in features_for(store, store.story_article_ids(story_id), analysis_for):
        article = index.weigh(feats, count=False)
        index.add_to_story(state, article, index.lookup_keys(article, posting=True))
    return state


@_one_at_a_time
def merge(store: Any, target: str, other: str, analysis_for: AnalysisFor | None = None) -> Story:
    """Move every article of `other` into `target`, drop `other`, and record the merge."""
    first, second = store.story(target), store.story(other)
    if first.id == second.id:
        raise NotFound(f"cannot merge story {first.id} with itself")
    index = StoryIndex(StoreLoader(store))
    with store.transaction():
        store.assign_articles([(a, first.id, 1.0) for a in second.article_ids])
        store.delete_story(second.id)
        index.drop_story(second.id)
        rebuild_state(store, first.id, index, analysis_for)
        flush(store, index, [])
        store.record_story_event("merge", {"into": first.id, "from": second.id, "articles": list(second.article_ids)})
        return describe(store, first.id, index)


def _free_id(store: Any, wanted: str) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`... when a story already has that id."""
    candidate, n = wanted, 1
    while store.story_states([candidate]) or store.story_article_ids(candidate):
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate


@_one_at_a_time
def split(store: Any, story_key: str, article_keys: Sequence[str], analysis_for: AnalysisFor | None = None) -> Story:
    """Move the given articles of a story into a new story of their own, and record the split."""
    story = store.story(story_key)
    moving = [store.article(key).id for key in article_keys]
    strangers = [a for a in moving if a not in story.article_ids]
    if strangers:
        raise NotFound(f"articles {', '.join(strangers)} are not in story {story.id}")
    if len(set(moving)) == len(story.article_ids):
        raise NotFound(f"splitting every article out of story {story.id} would leave it empty; name fewer")
    new_id = _free_id(store, new_story_id(sorted(moving, key=story.article_ids.index)[0]))
    index = StoryIndex(StoreLoader(store))
    with store.transaction():
        store.save_story_states({new_id: b""}, ASSIGN_VERSION)
        store.assign_articles([(a, new_id, 1.0) for a in moving])
        for story_id in (story.id, new_id):
            index.put_story(rebuild_state(store, story_id, index, analysis_for))
        flush(store, index, [])
        store.record_story_event("split", {"from": story.id, "into": new_id, "articles": moving})
        describe(store, story.id, index)
        return describe(store, new_id, index)
