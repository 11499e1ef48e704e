"""Entity linking over the store: new articles' mentions linked against the stored entities, or all again.

Each linked mention is stored with what linking needs of it (`store/links.py`). `link_new` reads only the
stored mentions whose lookups the new articles' mentions answer (`linking.node_keys`), what the new and
those mentions read, and the rest of the entities a new mention can join, links them together (the ones not linked again kept as
they were: `linking.link_nodes(fixed=...)`), and writes back only the links, entities and analyses that
changed: its cost follows what the new articles touch, not the size of the corpus. `relink_all` links every
analysed article from scratch, from the mentions as analysed.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from newsfuse.analyse.linking import (
    VERSION as LINKING_VERSION,
    LinkNode,
    NodeLink,
    Keys,
    apply_links,
    country_lookups,
    hashed,
    key_hash,
    link_nodes,
    link_nodes_of,
    article_body_country,
    lookup_keys,
    node_keys,
)
from newsfuse.analyse import VERSION
from newsfuse.models import Analysis, Mention, analysis_from_dict, to_dict

# Articles whose stored analyses are read at a time.
READ_CHUNK = 64
# The linking rules' version and how the stored state keys them: a store linked under another is re-linked.
STATE_VERSION = f"{LINKING_VERSION}+keys.v2"
MENTION_FIELDS = frozenset(f.name for f in dataclasses.fields(Mention))


def _load_analysis(store: Any, article_id: str) -> Analysis | None:
    found = store.annotation(article_id, "analysis")
    return analysis_from_dict(found[1]) if found else None


def link_new(store: Any) -> int:
    """Link the mentions of every article analysed since the last linking against the stored entities.

    Reads only the stored mentions the new ones can change or need (`linking.node_keys`) and the other
    mentions of the entities they can join; writes back only the links, entities and analyses that
    changed. A store not linked under this STATE_VERSION is linked whole. Returns the articles linked.
    """
    with store.exclusive("links"):  # a second linker waits, then finds these articles linked
        # A store never linked, or linked by other rules or keys (or before linking was incremental: its
        # entities were written whole), is linked whole once.
        if store.link_state_version() != STATE_VERSION:
            pending = store.articles_to_link(VERSION, STATE_VERSION)
            relink_all(store)
            return len(pending)
        pending = store.articles_to_link(VERSION, STATE_VERSION)
        if pending:
            _link_incrementally(store, pending)
        return len(pending)


def _link_incrementally(store: Any, pending: list[str]) -> None:
    new = _nodes_to_link(store, pending)
    pending_set = set(pending)

    def unseen(rows: list[tuple[Any, ...]], seen: set[tuple[str, int]]) -> list[tuple[Any, ...]]:
        return _parsed([r for r in rows if (r[0], r[1]) not in seen and r[0] not in pending_set])

    # Stored mentions that read a key a new one is found under are linked again (active); what the new
    # and the active ones read or join comes along as it was linked (fixed).
    written = {k for _, _, writes in new.keys for k in writes}
    active = unseen(store.link_nodes_with_keys({key_hash("R", k) for k in written}), set())
    seen = {(r[0], r[1]) for r in active}
    read = {k for reads, joins, _ in new.keys for k in reads | joins}
    for row in active:
        reads, joins, _ = node_keys(_node_from_row(row), row[3].get("bc"))
        read |= reads | joins
    context = unseen(store.link_nodes_with_keys({key_hash("W", k) for k in read}), seen)
    seen |= {(r[0], r[1]) for r in context}
    old = _parsed(store.link_nodes_of_articles(pending))
    # The entities that can change: those of the mentions linked again, and those a first run joins them
    # to. Each is rebuilt whole, so the rest of its mentions come along too (fixed).
    touched = {r[4] for r in active + old if r[4]}
    touched |= _joined(store, new, active, context)
    closure = unseen(store.link_nodes_of_entities(touched), seen)
    _link_and_write(store, new, active, context + closure, old, touched)


def _joined(store: Any, new: _NewNodes, active: list[Any], fixed_rows: list[Any]) -> set[str]:
    """The stored entities of fixed mentions that end in one group with a new or re-linked mention."""
    stored = active + fixed_rows
    _, links, _ = _link(store, new, active, fixed_rows, set())
    moving = {links[i].entity_id for i in range(len(stored) + len(new.nodes))
              if not len(active) <= i < len(stored)}
    return {row[4] for i, row in enumerate(stored) if i >= len(active) and row[4] and links[i].entity_id in moving}


def _parsed(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [(*r[:3], json.loads(r[3]), *r[4:]) for r in rows]


def relink_all(store: Any) -> int:
    """Link every analysed article's mentions from scratch (`newsfuse relink`); returns the entities stored."""
    with store.exclusive("links"), store.transaction():
        new = _nodes_to_link(store, store.articles_to_link(VERSION, ""))  # every analysed article
        store.clear_links()
        return _link_and_write(store, new, [], [], [], set())


@dataclass
class _NewNodes:
    """The mentions to link of newly analysed articles, their lookup keys and order, and the analyses."""

    nodes: list[LinkNode] = field(default_factory=list)
    keys: list[Keys] = field(default_factory=list)
    body_country: dict[str, str | None] = field(default_factory=dict)
    seqs: dict[str, int] = field(default_factory=dict)
    analyses: dict[str, Analysis] = field(default_factory=dict)


def _nodes_to_link(store: Any, article_ids: list[str]) -> _NewNodes:
    """Link nodes of the given articles: kept from their last linking when their analysis is the same one
    (labels as analysed, before linking corrected them), else from the stored analysis."""
    out = _NewNodes(seqs=store.article_seqs(article_ids))
    # An article linked before from the same analysis keeps its nodes: its stored analysis now carries the
    # labels linking corrected, and linking again must start from the labels as analysed.
    linked = store.linked_versions(article_ids)
    kept: dict[str, list[Any]] = {}
    for row in _parsed(store.link_nodes_of_articles(article_ids)):
        if linked.get(row[0], "").split("/")[0] == VERSION:
            kept.setdefault(row[0], []).append(row)
    for start in range(0, len(article_ids), READ_CHUNK):
        part = article_ids[start:start + READ_CHUNK]
        for article in store.articles(ids=part):
            analysis = _load_analysis(store, article.id)
            if analysis is None:
                continue
            out.analyses[article.id] = analysis
            rows = kept.get(article.id)
            nodes = [_node_from_row(r) for r in sorted(rows, key=lambda r: r[1])] if rows else \
                link_nodes_of(article, _unlinked(analysis))
            out.nodes += nodes
            out.keys += lookup_keys(nodes)
            out.body_country[article.id] = article_body_country(nodes)
    return out


def _unlinked(analysis: Analysis) -> Analysis:
    """The analysis without links (stored analyses carry the links of the last linking)."""
    return dataclasses.replace(analysis, mentions=tuple(
        dataclasses.replace(m, entity_id=None, link_evidence=None) for m in analysis.mentions))


def _node_from_row(row: tuple[Any, ...]) -> LinkNode:
    data = row[3]
    mention = Mention(**{k: v for k, v in data["m"].items() if k in MENTION_FIELDS})  # fields a newer writer added
    return LinkNode(row[0], data["o"], row[1], mention, data.get("d"))


def _node_data(node: LinkNode, body_country: str | None) -> dict[str, Any]:
    return {"m": to_dict(node.mention), "o": node.outlet, "d": node.defines, "bc": body_country}


def _link(store: Any, new: _NewNodes, active: list[Any], fixed_rows: list[Any],
          touched: set[str]) -> tuple[list[Any], dict[int, NodeLink], list[Any]]:
    """Link the stored rows (active ones again, fixed ones as they were) with the new nodes, in corpus order:
    (entities, {index in active + fixed_rows + new nodes: its link}, nodes in order)."""
    stored = active + fixed_rows
    order = sorted(range(len(stored) + len(new.nodes)), key=lambda i: (
        (stored[i][2], stored[i][1]) if i < len(stored) else
        (new.seqs[new.nodes[i - len(stored)].article_id], new.nodes[i - len(stored)].index)))
    nodes = [_node_from_row(stored[i]) if i < len(stored) else new.nodes[i - len(stored)] for i in order]
    fixed = {pos: NodeLink(stored[i][4], stored[i][5], stored[i][6])
             for pos, i in enumerate(order) if len(active) <= i < len(stored)}
    # Whether an organisation's first word names a place the stored corpus knows (fixed mentions' places
    # may not be among those read).
    asked = {key: country for pos in fixed for key, country in country_lookups(nodes[pos]).items()}
    countries = {asked[key] for key in store.keys_with_label(asked, "GPE")} if asked else set()
    entities, links = link_nodes(
        nodes, fixed, taken=lambda entity_id: entity_id not in touched and bool(store.entity_ids_taken([entity_id])),
        countries=countries)
    return entities, {i: link for i, link in zip(order, links)}, nodes


def _link_and_write(store: Any, new: _NewNodes, active: list[Any], fixed_rows: list[Any], old: list[Any],
                    touched: set[str]) -> int:
    """Link the new nodes with the stored ones given, then write the links, entities and analyses that changed;
    returns how many entities the run found. Entities are written for the groups of the new and re-linked
    mentions and of the `touched` entities (read whole); fixed mentions of other entities are only context."""
    stored = active + fixed_rows
    entities, result, _ = _link(store, new, active, fixed_rows, touched)
    written = {result[i].entity_id for i in result
               if i < len(active) or i >= len(stored) or stored[i][4] in touched}
    changed, mentions, rewrite = [], [], set()
    for i, row in enumerate(stored):
        link = result[i]
        if (link.entity_id, link.label, link.evidence) != (row[4], row[5], row[6]):
            changed.append((link.entity_id, link.label, link.evidence, row[0], row[1]))
            rewrite.add(row[0])
            if row[4] != link.entity_id and row[3]["m"]["part"] == "text":
                m = row[3]["m"]
                mentions.append((link.entity_id, row[0], m["text"], m["start"], m["end"]))
    mentions = [(None, r[0], r[3]["m"]["text"], r[3]["m"]["start"], r[3]["m"]["end"]) for r in old
                if r[3]["m"]["part"] == "text"] + mentions
    node_rows, key_rows, by_article = [], [], {}
    for j, (node, keys) in enumerate(zip(new.nodes, new.keys)):
        link = result[len(stored) + j]
        node_rows.append((node.article_id, node.index, _node_data(node, new.body_country.get(node.article_id)),
                          link.entity_id, link.label, link.evidence))
        key_rows += [(key, node.article_id, node.index) for key in hashed(keys)]
        by_article.setdefault(node.article_id, {})[node.index] = link
        if node.mention.part == "text":
            m = node.mention
            mentions.append((link.entity_id, node.article_id, m.text, m.start, m.end))
    entities = [e for e in entities if e.id in written]
    before = store.entity_records(touched | {e.id for e in entities})
    new_ids = {e.id for e in entities}
    changed_entities = [e for e in entities if before.get(e.id) != (e.name, e.type, tuple(e.aliases), tuple(e.evidence),
                                                                    len(e.article_ids))]
    with store.transaction():
        store.write_links(STATE_VERSION, VERSION, list(new.analyses), node_rows, key_rows, changed,
                          sorted(touched - new_ids), changed_entities, mentions)
        for article_id, analysis in new.analyses.items():
            _put_analysis(store, apply_links(analysis, by_article.get(article_id, {})))
        for article_id in sorted(rewrite - set(new.analyses)):
            analysis = _load_analysis(store, article_id)
            if analysis is not None:
                own = {r[1]: NodeLink(r[4], r[5], r[6]) for r in store.link_nodes_of_articles([article_id])}
                _put_analysis(store, apply_links(analysis, own))
    return len(entities)


def _put_analysis(store: Any, analysis: Analysis) -> None:
    store.put_annotation(analysis.article_id, "analysis", VERSION, to_dict(analysis))
