"""The story-grouping streams of several kinds of news, with their dev / test splits and cached embeddings.

Each stream is a list of `Item(article, gold, part)` in stream order, `part` "dev" (tuning, fitting,
choosing) or "test" (held out, reported once):

- GVA (SemEval-2018 task 5, local US shootings, full text): dev < 2016, test 2016-2017, date order.
- ECB+ (43 topics, two same-type events each, full text, no dates): the published split, test topics
  36-45 (Cybulska & Vossen 2014), dev the rest; file order.
- NewsWCL50 (10 US/world politics events in April 2018, 5 outlets each, full text, dates from the URLs):
  dev the even events, test the odd; date order.
- UCI News Aggregator (6,366 headlines of 88 stories, no body): dev / test by a hash of the story id;
  timestamp order.

Articles are built as newsfuse stores them (through the cleaner) and cached under bench/out/stories/;
the MiniLM vectors of `features.embedding_text` are cached there by text hash, so only new texts cost.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import json
import os
import pickle
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "bench" / "out" / "stories"
sys.path.insert(0, str(ROOT / "src"))

from newsfuse.models import Article, RawDocument  # noqa: E402
from newsfuse.stories import features  # noqa: E402

# ECB+ topics held out: the split of Cybulska & Vossen (2014) used by the cross-document coreference
# literature (test topics 36-45).
ECB_TEST_TOPICS = range(36, 46)
# UCI stories held out: those whose id hashes into this share (about half of the 88).
UCI_TEST_SHARE = 0.5


@dataclass(frozen=True)
class Item:
    article: Article
    gold: str
    part: str  # dev | test


def _cached(name: str, build: Callable[[], list[Item]]) -> list[Item]:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}_articles.pkl"  # delete it when the cleaner or the conversion changes
    if path.exists():
        with open(path, "rb") as handle:
            return _Unpickler(handle).load()
    items = build()
    _write(path, pickle.dumps(items))
    return items


def _write(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all (another bench may be reading it)."""
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class _Unpickler(pickle.Unpickler):
    """Reads caches written when this module ran as a script (its classes then pickled under __main__)."""

    def find_class(self, module: str, name: str):  # type: ignore[no-untyped-def]
        if module == "__main__" and name in globals():
            return globals()[name]
        return super().find_class(module, name)


def cleaned(kind: str, location: str, declared: dict) -> Article | None:
    """The record as `newsfuse ingest` would store it (cleaner and all); None when the cleaner refuses it."""
    from newsfuse.clean import clean_document
    from newsfuse.errors import InputError

    raw = RawDocument(kind, location, json.dumps(declared).encode(), declared)  # type: ignore[arg-type]
    try:
        return clean_document(raw).article
    except InputError:
        return None


# ---------------------------------------------------------------- GVA

def gva() -> list[Item]:
    """GVA rows (see stories_gva.load_gva), cleaned, in date order as the corpus comes."""
    import stories_gva as sg

    def build() -> list[Item]:
        rows = sg.load_gva()
        return [Item(sg.to_article(r), str(r["incident_id"]), "dev" if r["dct"] < sg.TUNE_BEFORE else "test")
                for r in rows]

    return _cached("gva", build)


# ---------------------------------------------------------------- ECB+

def ecb() -> list[Item]:
    """ECB+ documents in file order; the first sentence stands as title (ECB has no headlines)."""
    def build() -> list[Item]:
        docs = [json.loads(line) for line in gzip.open(SHARED / "ecbplus" / "ecbplus_docs.jsonl.gz", "rt", encoding="utf-8")]
        out = []
        for doc in docs:
            text = doc["text"]
            article = Article(
                id=doc["doc_id"], title=doc.get("title") or "", text=text, paragraphs=tuple(text.split("\n")),
                outlet=urlparse(doc.get("url") or "").hostname, outlet_found_by="url", published=None,
                published_found_by=None, language="en", url=doc.get("url"),
            )
            out.append(Item(article, doc["subtopic"], "test" if doc["topic"] in ECB_TEST_TOPICS else "dev"))
        return out

    return _cached("ecb", build)


# ---------------------------------------------------------------- NewsWCL50

def newswcl() -> list[Item]:
    """NewsWCL50 articles through the cleaner (dates from the URLs where they have one), in date order."""
    def build() -> list[Item]:
        docs = [json.loads(line) for line in open(SHARED / "newswcl50" / "newswcl50_docs.jsonl", encoding="utf-8")]
        out = []
        for doc in docs:
            article = cleaned("text", doc["doc_id"], {"text": doc["text"], "url": doc.get("url")})
            if article is None:
                continue
            article = _with_id(article, doc["doc_id"])
            out.append(Item(article, str(doc["event_id"]), "test" if doc["event_id"] % 2 else "dev"))
        out.sort(key=lambda item: item.article.published or "9999")
        return out

    return _cached("newswcl", build)


# ---------------------------------------------------------------- UCI headlines

def uci() -> list[Item]:
    """UCI aggregator headlines as headline-only articles (title, publisher, day), in timestamp order."""
    def build() -> list[Item]:
        with open(SHARED / "uci_news_aggregator" / "headlines_2014-03.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        rows.sort(key=lambda r: (int(r["TIMESTAMP"]), int(r["ID"])))
        out = []
        for row in rows:
            day = dt.datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, dt.UTC).date().isoformat()
            declared = {"title": row["TITLE"], "text": "", "url": row["URL"], "outlet": row["PUBLISHER"],
                        "published": day}
            article = cleaned("jsonl", f"uci:{row['ID']}", declared)
            if article is None:
                continue
            part = "test" if zlib.crc32(row["STORY"].encode()) % 1000 < UCI_TEST_SHARE * 1000 else "dev"
            out.append(Item(_with_id(article, f"uci{row['ID']}"), row["STORY"], part))
        return out

    return _cached("uci", build)


def _with_id(article: Article, article_id: str) -> Article:
    """The article under the benchmark's own id (content hashes collide for repeated headlines)."""
    import dataclasses

    return dataclasses.replace(article, id=article_id)


STREAMS: dict[str, Callable[[], list[Item]]] = {"gva": gva, "ecb": ecb, "newswcl": newswcl, "uci": uci}


# ---------------------------------------------------------------- embeddings

def embeddings_for(articles: list[Article], log: bool = True) -> dict[str, object]:
    """The MiniLM vector of embedding_text() per article id, from the cache or computed (and cached)."""
    import numpy as np

    from newsfuse.text import embeddings

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"embeddings_{embeddings.model_name()}.pkl"
    cache: dict[str, bytes] = pickle.loads(path.read_bytes()) if path.exists() else {}
    texts = {a.id: features.embedding_text(a) for a in articles}
    keys = {aid: hashlib.sha1(t.encode()).hexdigest() for aid, t in texts.items()}
    todo = sorted({keys[a]: texts[a] for a in texts if keys[a] not in cache}.items(), key=lambda kv: len(kv[1]))
    for start in range(0, len(todo), 256):
        chunk = todo[start : start + 256]
        vectors = embeddings.embed([t for _, t in chunk])
        for (key, _), vector in zip(chunk, vectors):
            cache[key] = vector.astype(np.float32).tobytes()
        if path.exists():  # another bench may have added to the cache meanwhile: keep its vectors too
            cache = {**pickle.loads(path.read_bytes()), **cache}
        _write(path, pickle.dumps(cache))
        if log:
            print(f"embedded {start + len(chunk)} of {len(todo)}", flush=True)
    return {aid: np.frombuffer(cache[key], dtype=np.float32) for aid, key in keys.items()}


def stream_features(name: str, embed: bool = True, embed_parts: tuple[str, ...] | None = None
                    ) -> tuple[list[features.ArticleFeatures], list[str], list[str]]:
    """(features, gold, part) of one stream in stream order; with `embed` the features carry the MiniLM vector
    (only those of `embed_parts` when given: a dev-only run need not embed the held-out part)."""
    items = STREAMS[name]()
    vectors = embeddings_for([i.article for i in items if embed_parts is None or i.part in embed_parts]) if embed else {}
    path = OUT / f"features_{name}_{features.FEATURES_VERSION}.pkl"
    if path.exists():
        feats = pickle.loads(path.read_bytes())
    else:
        feats = [features.article_features(i.article) for i in items]
        _write(path, pickle.dumps(feats))
    if embed:
        import dataclasses

        feats = [dataclasses.replace(f, embedding=vectors[f.article_id] if embed_parts is None else vectors.get(f.article_id))
                 for f in feats]
    return feats, [i.gold for i in items], [i.part for i in items]


if __name__ == "__main__":
    # Build and embed every stream (or those named): `python bench/stories_data.py gva ecb`.
    for stream_name in sys.argv[1:] or list(STREAMS):
        found = STREAMS[stream_name]()
        print(stream_name, len(found), "articles", sum(i.part == "test" for i in found), "held out", flush=True)
        embeddings_for([i.article for i in found])
