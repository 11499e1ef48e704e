"""The learned attribution tagger: valid BIO decoding, shipped weights, and what it adds to the rules' quotes."""

from __future__ import annotations

import numpy as np
import pytest

from newsfuse.analyse import quote_tagger


def test_viterbi_never_starts_a_span_with_an_inside_tag() -> None:
    rng = np.random.default_rng(7)
    n = len(quote_tagger.LABELS)
    for _ in range(200):
        scores = rng.normal(size=(12, n)).astype(np.float32) * 5
        path = quote_tagger.viterbi(scores, np.zeros((n, n), np.float32), np.zeros(n, np.float32), np.zeros(n, np.float32))
        labels = [quote_tagger.LABELS[i] for i in path]
        for previous, label in zip(["O", *labels], labels):
            if label.startswith("I-"):
                assert previous[2:] == label[2:], labels


def test_label_spans_reads_bio_runs() -> None:
    labels = ["B-source", "I-source", "B-cue", "B-content", "I-content", "O", "B-content"]
    assert quote_tagger.label_spans(labels) == [("source", 0, 2), ("cue", 2, 3), ("content", 3, 5), ("content", 6, 7)]


def test_shipped_weights_load_and_say_what_they_were_trained_on() -> None:
    weights = quote_tagger.weights()
    assert weights is not None, "src/newsfuse/analyse/data/quote_tagger.npz is missing"
    assert "PolNeAR train" in weights.meta["trained_on"]
    assert weights.proj_w.shape[1] == quote_tagger.feature_width(weights.minilm_outputs)


def test_a_missing_weights_file_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from newsfuse.errors import ModelUnavailable

    with pytest.raises(ModelUnavailable, match="nothing.npz"):
        quote_tagger.weights(str(tmp_path / "nothing.npz"))


REPORTED = (
    "The city council voted on Tuesday to close the old bridge. "
    "Council member Dana Whitfield said the repairs would cost more than a new crossing."
)


def test_tagger_finds_reported_speech_with_source_cue_and_content(analyse_text) -> None:  # type: ignore[no-untyped-def]
    analysis = analyse_text(REPORTED)
    quote = next(q for q in analysis.quotes if "repairs would cost" in q.content)
    text = REPORTED
    assert quote.cue == "said"
    assert "Dana Whitfield" in text[quote.source_start:quote.source_end]
    assert quote.speaker.endswith("Dana Whitfield")
    assert not quote.direct


def test_rules_alone_when_the_tagger_is_off(analyse_text) -> None:  # type: ignore[no-untyped-def]
    assert quote_tagger.weights("off") is None
    analysis = analyse_text(REPORTED, tagger="off")
    assert analysis.components["quote_tagger"] == "off"
    assert any("repairs would cost" in q.content for q in analysis.quotes)


def test_batched_lstm_steps_give_the_same_tags_as_one_paragraph_at_a_time() -> None:
    weights = quote_tagger.weights()
    rng = np.random.default_rng(3)
    width = quote_tagger.feature_width(weights.minilm_outputs)
    features = [rng.normal(size=(n, width)).astype(np.float32) for n in (5, 40, 41, 44, 7, 0, 120, 6)]
    assert quote_tagger.tag_many(weights, features) == [quote_tagger.tag(weights, f) for f in features]


def test_minilm_windows_batched_by_length_give_the_same_states() -> None:
    from newsfuse.text.models import minilm_layers, nlp

    docs = list(nlp().pipe(["The mayor said the bridge would close.", "“We will rebuild it,” she told reporters on "
                            "Friday, adding that the work would take two years.", "No."]))
    session, tokenizer = minilm_layers(("layer_1",), False)  # fp32: int8 runs one window a call (minilm_batch)
    one = quote_tagger.minilm_token_vectors(docs, session, tokenizer, ("layer_1",), batch_pieces=0)
    batched = quote_tagger.minilm_token_vectors(docs, session, tokenizer, ("layer_1",), batch_pieces=4096)
    for a, b in zip(one, batched):
        assert a.shape == b.shape and np.allclose(a, b, atol=1e-4)


@pytest.mark.parametrize("text, expected", [
    ("Heavy rain fell over the harbour overnight.", False),
    ("The mayor said the bridge would close.", True),
    ("“It is over,” the mayor wrote.", True),
    ("The bridge will close, according to the council.", True),
])
def test_the_tagger_reads_only_paragraphs_where_an_attribution_can_be(text, expected) -> None:  # type: ignore[no-untyped-def]
    from newsfuse.text.models import nlp

    assert quote_tagger.may_attribute(nlp()(text), 0, []) is expected
