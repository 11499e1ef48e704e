"""The attribute_ruler evaluated by table: the same parse as spaCy's own ruler, attribute for attribute."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import EXAMPLES, SEEDS

spacy = pytest.importorskip("spacy")

from newsfuse.text import attribute_table  # noqa: E402
from newsfuse.text.models import spacy_model_name  # noqa: E402

# Text written for this test: the ruler's exceptions (contractions, "gon na", "y'all", "let's", auxiliaries,
# "not", expletive "there is", a subordinating "but", spaces) beside ordinary news prose.
WRITTEN = [
    "I ain't gonna sign it, y'all, and we gotta wait,\" the mayor said. Let's see whether it is so.",
    "There is no deal yet. There are two offers; I am told you are not ready and it's nothin' new.",
    "C'mon, he doesn't know if she has voted, but does it matter? They had done it before because they could.",
    "  Several   spaces \n\n and a line break\tinside,  the council's vote (7-2) came after midnight.",
    "That which is said is said. Which ones? Those that she gets and he got.",
    "",
]


def _parses(nlp, texts):  # type: ignore[no-untyped-def]
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

    return [(doc.to_array([TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]).tolist(),
             [str(t.morph) for t in doc], [t.lemma_ for t in doc]) for doc in nlp.pipe(texts, batch_size=4)]


@pytest.fixture(scope="module")
def pipelines():  # type: ignore[no-untyped-def]
    stock = spacy.load(spacy_model_name())
    table = spacy.load(spacy_model_name())
    assert attribute_table.install(table)
    return stock, table


def test_table_parses_written_text_as_the_ruler_does(pipelines) -> None:  # type: ignore[no-untyped-def]
    stock, table = pipelines
    assert _parses(table, WRITTEN) == _parses(stock, WRITTEN)
    # one doc at a time (the component's __call__) as well as batched
    assert [_parses(table, [t])[0] for t in WRITTEN] == _parses(stock, WRITTEN)


@pytest.mark.seed
def test_table_parses_the_seeds_and_examples_as_the_ruler_does(pipelines) -> None:  # type: ignore[no-untyped-def]
    stock, table = pipelines
    texts = [line for path in [*sorted(SEEDS.glob("*.txt")), *sorted((EXAMPLES / "articles").glob("*"))] if path.is_file()
             for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    assert len(texts) > 50
    assert _parses(table, texts) == _parses(stock, texts)


def test_a_pattern_the_table_cannot_read_keeps_spacys_ruler() -> None:
    nlp = spacy.load(spacy_model_name())
    nlp.get_pipe("attribute_ruler").add([[{"SHAPE": "dd"}]], {"POS": "NUM"})
    assert not attribute_table.install(nlp)
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"


def test_installed_by_the_shared_loader() -> None:
    from newsfuse.text.models import nlp

    assert isinstance(nlp().get_pipe("attribute_ruler"), attribute_table.AttributeTable)
    assert np.array_equal(nlp()("It's here.").to_array(["POS"]), spacy.load(spacy_model_name())("It's here.").to_array(["POS"]))
