"""The learned attribution tagger: valid BIO decoding, shipped weights, and what it adds to the rules' quotes."""

from __future__ import annotations

import numpy as np
import pytest

from newsfuse.analyse import quote_encoder, quote_tagger


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


def test_the_shipped_tagger_carries_fine_tuned_minilm_layers_and_its_digest_is_recorded(analyse_text) -> None:  # type: ignore[no-untyped-def]
    import hashlib
    from importlib import resources

    weights = quote_tagger.weights()
    assert quote_encoder.layer_indices(weights.top) == [4, 5]  # MiniLM's layers 5 and 6, fitted on PolNeAR train
    assert "PolNeAR train" in weights.meta["trained_on"]
    raw = resources.files("newsfuse.analyse").joinpath("data", quote_tagger.WEIGHTS_FILE).read_bytes()
    assert len(raw) < 8_000_000  # the fitted layers and the head, never a whole model
    analysis = analyse_text(REPORTED)
    assert analysis.components["quote_tagger"] == f"quote_tagger-{hashlib.sha256(raw).hexdigest()[:12]}"
    earlier = analyse_text(REPORTED, tagger=quote_tagger.BILSTM)
    assert earlier.components["quote_tagger"] not in ("off", analysis.components["quote_tagger"])
    assert quote_tagger.weights(quote_tagger.BILSTM).top == {}


def test_the_fine_tuned_layers_replace_minilms_top_layers_and_leave_the_lower_ones_as_they_are() -> None:
    from newsfuse.text.models import minilm_layers, minilm_tuned

    weights = quote_tagger.weights()
    reference, tokenizer = minilm_layers(weights.minilm_outputs, False)  # fp32: the lower layers exactly the same
    tuned, _ = minilm_tuned(weights.top, weights.meta["digest"], weights.minilm_outputs, False)
    tokenizer.no_padding()
    tokenizer.no_truncation()
    ids = tokenizer.encode("“We will rebuild it,” the mayor told reporters on Friday.").ids
    before = quote_tagger.run_window(reference, ids, weights.minilm_outputs)
    after = quote_tagger.run_window(tuned, ids, weights.minilm_outputs)
    assert np.allclose(before[0], after[0], atol=1e-5) and np.allclose(before[1], after[1], atol=1e-5)  # layers 2, 4
    assert not np.allclose(before[2], after[2], atol=1e-2)  # layer 6, fitted for attribution


SPLIT_QUOTE = ("The harbour board will vote next week on the ferry timetable.\n\n"
               "“We cannot run the night crossing without more crew,” Harbour Master Ilse Brandt told reporters on "
               "Monday, “and we will not ask the crews we have to work longer shifts.”")


def test_the_tagger_marks_source_cue_and_both_parts_of_a_quotation_split_by_its_cue() -> None:
    from newsfuse.analyse import attribution, entities, quotes
    from newsfuse.analyse.sentences import parse_articles
    from newsfuse.models import Article
    from newsfuse.text.models import nlp

    paragraphs = tuple(SPLIT_QUOTE.split("\n\n"))
    article = Article(id="split", title="", text=SPLIT_QUOTE, paragraphs=paragraphs, outlet="Test", outlet_found_by="flag",
                      published="2025-05-05", published_found_by="flag", language="en")
    parsed = next(iter(parse_articles([article], nlp())))
    rule_quotes = quotes.extract_quotes(parsed, entities.extract_mentions(parsed))
    spans = {(s.role, SPLIT_QUOTE[s.start:s.end]) for s in attribution.tag_article(parsed, rule_quotes, quote_tagger.weights())}
    assert ("cue", "told") in spans
    assert any(role == "source" and "Ilse Brandt" in text for role, text in spans)
    contents = [text for role, text in spans if role == "content"]
    assert any("cannot run the night crossing" in c for c in contents)
    assert any("will not ask the crews" in c for c in contents)


def test_paragraphs_decoded_together_get_the_labels_each_gets_alone() -> None:
    weights = quote_tagger.weights()
    rng = np.random.default_rng(5)
    n = len(quote_tagger.LABELS)
    scores = [rng.normal(size=(int(k), n)).astype(np.float32) * 4 for k in rng.integers(1, 90, size=60)]
    # Whole-number scores tie often: the first best tag must win in both, as argmax picks it.
    scores += [np.round(rng.normal(size=(int(k), n))).astype(np.float32) for k in rng.integers(1, 20, size=60)]
    assert quote_tagger.decode_many(weights, scores) == [quote_tagger.decode(weights, s) for s in scores]
    assert quote_tagger.decode_many(weights, []) == []


def test_run_sums_add_as_reduceat_does_bit_for_bit() -> None:
    rng = np.random.default_rng(11)
    for _ in range(200):
        counts = rng.integers(1, 14, size=rng.integers(1, 30))
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        rows = (rng.normal(size=(int(counts.sum()), 9)) * 10.0 ** rng.integers(-3, 4)).astype(np.float32)
        assert quote_tagger.run_sums(rows, starts, counts).tobytes() == np.add.reduceat(rows, starts, axis=0).tobytes()


def _features_token_by_token(doc, offset, rule_spans, minilm_rows=None):  # type: ignore[no-untyped-def]
    """token_features as it read the parse before (each token's attributes, one cell at a time)."""
    from newsfuse.analyse import lexicon

    qt = quote_tagger
    n = len(doc)
    out = np.zeros((n, qt.feature_width() + (minilm_rows.shape[1] if minilm_rows is not None else 0)), dtype=np.float32)
    if n == 0:
        return out
    out[:, :qt.TENSOR_WIDTH] = doc.tensor
    col = qt.TENSOR_WIDTH
    tags = qt.rule_tags(doc, offset, rule_spans)
    under = qt.under_reported_clause(doc)
    inside_quotes = False
    for t in doc:
        row = out[t.i]
        c = col
        if t.pos_ in qt.POS_INDEX:
            row[c + qt.POS_INDEX[t.pos_]] = 1.0
        c += len(qt.POS_TAGS)
        if t.dep_ in qt.DEP_INDEX:
            row[c + qt.DEP_INDEX[t.dep_]] = 1.0
        c += len(qt.DEP_LABELS)
        if t.ent_type_ in qt.ENT_INDEX:
            row[c + qt.ENT_INDEX[t.ent_type_]] = 1.0
        c += len(qt.ENT_TYPES)
        is_quote = t.text in qt.QUOTE_MARKS or t.text in ("''", "``")
        if is_quote:
            inside_quotes = not inside_quotes
        head = t.head
        flags = (
            is_quote, inside_quotes, t.lemma_.lower() in lexicon.REPORTING_VERBS, t.lemma_.lower() in qt.ATTITUDE_LEMMAS,
            head.lemma_.lower() in lexicon.REPORTING_VERBS and head.i != t.i,
            head.head.lemma_.lower() in lexicon.REPORTING_VERBS and head.head.i != head.i,
            under[t.i], t.is_sent_start is True, t.is_title, t.is_punct,
            t.lower_ in ("according", "to") and (t.lower_ == "according" or (t.i > 0 and doc[t.i - 1].lower_ == "according")),
            t.ent_iob_ == "B", t.i == n - 1, t.like_num,
        )
        for k, flag in enumerate(flags):
            row[c + k] = float(flag)
        c += qt.N_FLAGS
        row[c + qt.LABEL_INDEX[tags[t.i]]] = 1.0
        c += len(qt.LABELS)
        if minilm_rows is not None:
            row[c:] = minilm_rows[t.i]
    return out


def test_token_features_read_from_the_parse_at_once_equal_a_token_by_token_reading() -> None:
    from newsfuse.text.models import nlp

    texts = ["“We will not stop,” Mayor John Smith said on Tuesday, according to a statement. Twenty-two  people, "
             "police said, fled the U.S. Embassy in Paris, where ``they'' had told NATO they were safe.",
             "According to the ministry's spokeswoman, Anna Lee, the talks, which she said would resume, failed: "
             "“It is over.” 3 men were shot.", "No.", ""]
    rng = np.random.default_rng(5)
    for text in texts:
        doc = nlp()(text)
        spans = [("source", 30, 46), ("cue", 47, 51), ("content", 0, 21)] if len(text) > 60 else []
        for rows in (None, rng.normal(size=(len(doc), 8)).astype(np.float32)):
            fast, slow = quote_tagger.token_features(doc, 7, spans, rows), _features_token_by_token(doc, 7, spans, rows)
            assert fast.shape == slow.shape and fast.tobytes() == slow.tobytes()
        if len(doc) > 20:
            assert _features_token_by_token(doc, 7, spans).any(axis=0).sum() > 60  # the texts exercise many columns
