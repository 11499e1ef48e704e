"""spaCy's attribute_ruler (tag map and exceptions) applied by table look-up instead of its Matcher: same output.

en_core_web_sm's attribute_ruler sets each token's coarse part of speech and morphology from its fine tag
(the tag map) and applies some hundred exceptions ("n't" → PART, "is" → AUX, "gon na" → "go to"). It runs
its 179 patterns through spaCy's general Matcher, one token at a time: 0.8-1.0 of the 5 CPU-s that parsing
60 GVA articles took (more than the tagger and the parser together). Here the same patterns are evaluated
with numpy over a batch of docs, and each match is applied with spaCy's own `set_token_attrs`, in the
ruler's order (later patterns win, as in AttributeRuler.set_annotations). The parses are the same, token
for token and attribute for attribute (tests/text/test_attribute_table.py compares them); patterns
this cannot read (other attributes or operators) leave the ruler as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import numpy as np

# The token attributes and predicates the table reads; a pattern with anything else keeps spaCy's ruler.
ATTRIBUTES = ("TAG", "LOWER", "DEP", "IS_SPACE")
PREDICATES = ("IN", "NOT_IN", "REGEX")
FACTORY = "newsfuse_attribute_table"
# Docs evaluated together (one numpy pass per pattern for the lot): nlp.pipe hands components batches.
BATCH = 64


class Unsupported(ValueError):
    """A ruler pattern the table cannot evaluate."""


def _token_test(spec: dict[str, Any], strings: Any) -> list[tuple[str, str, Any]]:
    """(attribute, how, value) for one token of a pattern: how is eq, in, not_in or regex."""
    tests = []
    for attr, value in spec.items():
        if attr not in ATTRIBUTES:
            raise Unsupported(attr)
        if isinstance(value, dict):
            if len(value) != 1 or next(iter(value)) not in PREDICATES:
                raise Unsupported(str(value))
            how, arg = next(iter(value.items()))
            if how == "REGEX":
                if attr != "LOWER":
                    raise Unsupported(attr)
                tests.append((attr, "regex", re.compile(arg)))
            else:
                # spaCy's get_string_id: "" is 0, as an unset attribute reads
                tests.append((attr, how.lower(), np.array([strings[v] if v else 0 for v in arg], dtype=np.uint64)))
        elif isinstance(value, bool):
            if attr != "IS_SPACE":
                raise Unsupported(attr)
            tests.append((attr, "eq", np.uint64(int(value))))
        elif isinstance(value, str) and attr != "IS_SPACE":
            tests.append((attr, "eq", np.uint64(strings[value])))
        else:
            raise Unsupported(str(value))
    return tests


class AttributeTable:
    """A drop-in for a loaded AttributeRuler: the same patterns, in the same order, without the Matcher."""

    def __init__(self, ruler: Any) -> None:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        self.vocab = ruler.vocab
        self.columns = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
        self.ids = [TAG, LOWER, DEP, IS_SPACE]
        # One entry per ruler rule, in its order: (token tests per pattern, index of the token to change, attrs)
        self.rules = []
        for rule, (attrs, index) in zip(ruler.patterns, zip(ruler.attrs, ruler.indices)):
            patterns = [[_token_test(spec, self.vocab.strings) for spec in pattern] for pattern in rule["patterns"]]
            self.rules.append((patterns, index, attrs))
        self._regex_cache: dict[tuple[int, int], bool] = {}

    def __call__(self, doc: Any) -> Any:
        self._annotate([doc])
        return doc

    def pipe(self, docs: Iterable[Any], batch_size: int = BATCH) -> Iterator[Any]:
        stream = iter(docs)
        while batch := list(islice(stream, batch_size)):
            self._annotate(batch)
            yield from batch

    def _holds(self, tests: list[tuple[str, str, Any]], table: np.ndarray, at: np.ndarray) -> np.ndarray:
        """Which positions `at` (into the batch's token table) pass one pattern token's tests."""
        ok = np.ones(len(at), dtype=bool)
        for attr, how, value in tests:
            column = table[at, self.columns[attr]]
            if how == "eq":
                ok &= column == value
            elif how == "in":
                ok &= np.isin(column, value)
            elif how == "not_in":
                ok &= ~np.isin(column, value)
            else:
                ok &= np.array([self._regex(value, int(v)) for v in column], dtype=bool)
        return ok

    def _regex(self, pattern: re.Pattern[str], lower: int) -> bool:
        key = (id(pattern), lower)
        if key not in self._regex_cache:
            self._regex_cache[key] = bool(pattern.search(self.vocab.strings[lower]))
        return self._regex_cache[key]

    def _annotate(self, docs: list[Any]) -> None:
        from spacy.tokens._retokenize import set_token_attrs

        docs = [doc for doc in docs if len(doc)]
        if not docs:
            return
        # All matches are found on the docs as they came (AttributeRuler matches first, then sets).
        table = np.concatenate([doc.to_array(self.ids) for doc in docs]).astype(np.uint64)
        owner = np.concatenate([np.full(len(doc), k) for k, doc in enumerate(docs)])
        first = np.concatenate([[0], np.cumsum([len(doc) for doc in docs])[:-1]])
        changes = []
        for patterns, index, attrs in self.rules:
            hits: set[int] = set()
            for pattern in patterns:
                span = len(pattern)
                starts = np.arange(len(table) - span + 1)
                starts = starts[owner[starts] == owner[starts + span - 1]]  # within one doc
                for offset, tests in enumerate(pattern):
                    if not len(starts):
                        break
                    starts = starts[self._holds(tests, table, starts + offset)]
                hits.update(int(s) + (index if index >= 0 else span + index) for s in starts)
            changes.append((sorted(hits), attrs))
        for hits, attrs in changes:
            for position in hits:
                doc = docs[owner[position]]
                set_token_attrs(doc[position - int(first[owner[position]])], attrs)


def install(nlp: Any) -> bool:
    """Put an AttributeTable in place of the pipeline's attribute_ruler; False (the ruler kept) when the
    pipeline has none or a pattern the table cannot read."""
    from spacy.language import Language

    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    try:
        table = AttributeTable(ruler)
    except Unsupported:
        return False
    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, func=lambda nlp, name: _pending.pop())
    _pending.append(table)
    nlp.replace_pipe("attribute_ruler", FACTORY)
    return True


_pending: list[AttributeTable] = []
