"""Join-or-new scoring: what separates two same-type events in one city."""

from __future__ import annotations

import dataclasses

import pytest

from newsfuse.stories.assign import CHANNELS, channels
from newsfuse.stories.features import ArticleFeatures
from newsfuse.stories.index import StoryIndex, StoryState


def _report(article_id: str, ages: tuple[int, ...], times: tuple[int, ...]) -> ArticleFeatures:
    return ArticleFeatures(
        article_id=article_id, day=739000, title={"shooting": 1, "marlow": 1}, lead={"shot": 1}, body={"shot": 2},
        entities={"marlow": 1.0}, ages=ages, times=times,
    )


def _story_of(index: StoryIndex, feats: ArticleFeatures) -> StoryState:
    story = StoryState(id="s1")
    index.add_to_story(story, index.weigh(feats), [])
    return story


def test_a_different_victim_age_and_hour_is_a_clash() -> None:
    index = StoryIndex()
    story = _story_of(index, _report("a", ages=(19,), times=(47,)))
    same = dict(zip(CHANNELS, channels(index.weigh(_report("b", (19,), (46,))), story)))
    other = dict(zip(CHANNELS, channels(index.weigh(_report("c", (42,), (4,))), story)))
    assert same["age_match"] == 1.0 and same["age_clash_near"] == 0.0 and same["time_match"] == 1.0
    assert other["age_clash_near"] > 0.5 and other["time_clash_near"] > 0.5


def test_a_story_state_keeps_ages_and_times_through_the_store() -> None:
    index = StoryIndex()
    story = _story_of(index, _report("a", ages=(19, 23), times=(47,)))
    again = StoryState.from_json(story.id, story.to_json())
    assert again.ages == story.ages and again.times == story.times
    assert dataclasses.asdict(again)["size"] == 1


def test_different_people_streets_and_sexes_are_clashes_and_the_same_ones_match() -> None:
    index = StoryIndex()
    first = dataclasses.replace(_report("a", (), ()), persons=("whitlock",), addresses=("1400 elm",), genders=("f",))
    story = _story_of(index, first)
    same = dict(zip(CHANNELS, channels(index.weigh(dataclasses.replace(first, article_id="b")), story)))
    other = dataclasses.replace(first, article_id="c", persons=("oyelaran",), addresses=("3200 main",), genders=("m",))
    apart = dict(zip(CHANNELS, channels(index.weigh(other), story)))
    assert same["person_match"] == same["address_match"] == 1.0
    assert same["person_clash_near"] == same["address_clash_near"] == same["gender_clash_near"] == 0.0
    assert apart["person_clash_near"] > 0.5 and apart["address_clash_near"] > 0.5 and apart["gender_clash_near"] > 0.5


def _populated_index(n: int = 60) -> StoryIndex:
    """An index past the cold start: other towns' shootings, one story each."""
    index = StoryIndex()
    for i in range(n):
        other = ArticleFeatures(
            article_id=f"o{i}", day=738900 + i, title={"shooting": 1, f"town{i}": 1}, lead={"shot": 1},
            body={"shot": 2, f"street{i}": 1}, entities={f"town{i}": 1.0},
        )
        index.add_to_story(StoryState(id=f"s{i}"), index.weigh(other), [])
    return index


@pytest.mark.parametrize("model", ["local incident reports", "sparse"])
def test_the_join_trees_join_a_follow_up_and_not_another_victim(model) -> None:  # type: ignore[no-untyped-def]
    """The trees a local report is decided by (the gate's local kind with an embedding; the sparse model
    without one, as here) join a follow-up and not a report of another victim in the same town."""
    from newsfuse.stories.assign import JOIN_THRESHOLD, default_join_trees, join_probability

    index = _populated_index()
    first = dataclasses.replace(
        _report("a", (19,), (47,)), persons=("whitlock",), addresses=("1400 elm",), genders=("f",),
        entities={"marlow": 1.0, "dana whitlock": 1.0, "whitlock": 0.5},
    )
    story = _story_of(index, first)
    follow_up = index.weigh(dataclasses.replace(first, article_id="b", day=first.day + 1))
    other = index.weigh(dataclasses.replace(
        first, article_id="c", persons=("oyelaran",), addresses=("3200 main",), genders=("m",), ages=(42,), times=(4,),
        entities={"marlow": 1.0, "sam oyelaran": 1.0, "oyelaran": 0.5},
    ))
    trees = default_join_trees(sparse=model == "sparse")
    shares = None if model == "sparse" else tuple(float(kind == model) for kind in trees.kinds)

    def p(article) -> float:  # type: ignore[no-untyped-def]
        values = channels(article, story)
        return join_probability([(0.9, story, values)], article, trees, shares)

    assert p(follow_up) >= JOIN_THRESHOLD > p(other)


def test_the_join_trees_of_every_kind_never_rise_with_a_clash() -> None:
    from newsfuse.stories.assign import JOIN_VALUES, default_join_trees

    gated = default_join_trees()
    for trees in (*gated.experts, default_join_trees(sparse=True)):
        assert trees.n_values == len(JOIN_VALUES)
        base = [0.3] * len(JOIN_VALUES)
        for name in ("person_clash_near", "age_clash_near", "address_clash_near", "date_clash", "number_clash",
                     "year_clash", "title_names_clash"):
            j = JOIN_VALUES.index(name)
            probabilities = [trees.probability(base[:j] + [x] + base[j + 1:]) for x in (0.0, 0.5, 1.0)]
            assert probabilities == sorted(probabilities, reverse=True), name


@pytest.mark.parametrize("change", ["values", "gate_flags"])
def test_a_join_model_fitted_on_other_values_is_refused(tmp_path, monkeypatch, change) -> None:  # type: ignore[no-untyped-def]
    import json

    from newsfuse.stories import assign

    data = json.loads(assign.JOIN_GATED_PATH.read_text(encoding="utf-8"))
    data[change] = list(reversed(data[change]))
    moved = tmp_path / "join_gated.json"
    moved.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(assign, "JOIN_GATED_PATH", moved)
    with pytest.raises(ValueError, match="refit"):
        assign.default_join_trees()


def test_the_join_decision_mixes_the_kinds_trees_by_the_articles_kind_shares() -> None:
    from newsfuse.stories.assign import JOIN_VALUES, default_join_trees

    gated = default_join_trees()
    values = [0.4] * len(JOIN_VALUES)
    each = [trees.probability(values) for trees in gated.experts]
    for k in range(len(each)):
        alone = tuple(float(i == k) for i in range(len(each)))
        assert gated.probability(values, alone) == pytest.approx(each[k])
    even = tuple(1 / len(each) for _ in each)
    assert gated.probability(values, even) == pytest.approx(sum(each) / len(each))


def test_the_kind_gate_gives_shares_that_sum_to_one_for_any_article() -> None:
    from newsfuse.stories.assign import default_join_trees

    gated = default_join_trees()
    for feats in (_report("a", (19,), (47,)), dataclasses.replace(_report("b", (), ()), headline_only=True)):
        shares = gated.shares(feats)
        assert len(shares) == len(gated.experts) and sum(shares) == pytest.approx(1.0)
        assert all(0.0 <= s <= 1.0 for s in shares)


def test_other_numbers_years_and_headline_names_are_clashes() -> None:
    index = StoryIndex()
    first = dataclasses.replace(_report("a", (), ()), numbers=("20", "13"), years=(2013,), title_names=("chiefs", "colts"))
    story = _story_of(index, first)
    same = dict(zip(CHANNELS, channels(index.weigh(dataclasses.replace(first, article_id="b")), story)))
    other = dataclasses.replace(first, article_id="c", numbers=("31", "24"), years=(2008,), title_names=("jaguars",))
    apart = dict(zip(CHANNELS, channels(index.weigh(other), story)))
    assert same["number_match"] == same["title_names_match"] == 1.0
    assert same["number_clash"] == same["year_clash"] == same["title_names_clash"] == 0.0
    assert apart["number_clash"] == apart["year_clash"] == apart["title_names_clash"] == 1.0


def test_an_article_without_an_embedding_is_decided_by_the_models_fitted_without_the_dense_channels() -> None:
    from newsfuse.stories import assign

    dense_at = [CHANNELS.index("dense"), CHANNELS.index("dense_near")]
    assert all(assign.WEIGHTS_SPARSE[j] == 0.0 for j in dense_at) and any(assign.WEIGHTS[j] for j in dense_at)
    assigner = assign.Assigner(_populated_index())
    assigner.assign(_report("a", (19,), (47,)))
    assigner.assign(_report("b", (19,), (47,)))
    _, ranked = assigner.last
    assert ranked and all(score == assign.probability(values, assign.WEIGHTS_SPARSE) for score, _, values in ranked)


# Written for the project: a local shooting report, a court story, and an aggregator's headline.
LOCAL_REPORT = (
    "Man, 34, wounded in shooting on Larkin Avenue",
    "A 34-year-old man was shot in the leg outside a bar in the 1200 block of Larkin Avenue at about 1:30 a.m. "
    "Sunday, Briarwood police said. Officers found Dale Mercer on the sidewalk and took him to County General "
    "Hospital, where he was listed in stable condition. No arrests have been made; police asked witnesses to call.",
)
COURT_STORY = (
    "Appeals court upholds limits on river water sales",
    "A federal appeals court on Tuesday upheld the state's limits on selling water from the Corran River to "
    "neighbouring states, rejecting the growers' association's argument that the rules break interstate "
    "commerce law. The association said it would ask the Supreme Court to hear the case. The governor called "
    "the ruling a victory for the farmers downstream.",
)
HEADLINE = "Airport tram extension opens in June with four new stops"


def test_the_kind_gate_tells_a_local_report_from_general_news_and_headlines() -> None:
    from newsfuse.models import Article
    from newsfuse.stories.assign import default_join_trees
    from newsfuse.stories.features import article_features, embedding_text
    from newsfuse.text import embeddings

    def features(title: str, text: str = "", headline_only: bool = False) -> ArticleFeatures:
        article = Article(id=title[:8], title=title, text=text, paragraphs=(text,) if text else (), outlet=None,
                          outlet_found_by=None, published="2025-03-11", published_found_by="metadata",
                          language="en", headline_only=headline_only)
        return article_features(article, None, embeddings.embed([embedding_text(article)])[0])

    gated = default_join_trees()
    kinds = [features(*LOCAL_REPORT), features(*COURT_STORY), features(HEADLINE, headline_only=True)]
    chosen = [max(range(len(gated.kinds)), key=gated.shares(f).__getitem__) for f in kinds]
    assert [gated.kinds[k] for k in chosen] == ["local incident reports", "general news", "general news"]


# Written for the project: one headline story, a headline of the same story, and headlines of nothing like it.
FERRY_FARES = (
    "Harbour authority raises ferry fares by 8 percent from April",
    "Ferry fares to rise 8% as harbour authority cites fuel costs",
    "Harbour ferry tickets will cost 8 percent more from April",
)
SAME_FARES = "Ferry passengers face 8 percent fare rise in April, harbour authority says"
UNRELATED_HEADLINES = (
    "Chess club wins regional title after tense final round",
    "What to watch on television this weekend",
    "New smartphone update brings longer battery life",
)


def _headline_features(n: int, title: str) -> ArticleFeatures:
    from newsfuse.models import Article
    from newsfuse.stories.features import article_features, embedding_text
    from newsfuse.text import embeddings

    article = Article(id=f"h{n}", title=title, text="", paragraphs=(), outlet=None, outlet_found_by=None,
                      published="2025-03-11", published_found_by="metadata", language="en", headline_only=True)
    return article_features(article, None, embeddings.embed([embedding_text(article)])[0])


@pytest.mark.parametrize("title", UNRELATED_HEADLINES)
def test_a_headline_that_shares_nothing_with_a_headline_story_opens_its_own(title) -> None:  # type: ignore[no-untyped-def]
    """The general-news trees learned that a headline's best candidate is nearly always its story (an
    aggregator's topics of dozens of headlines); a headline with no word, name or near vector in common with a
    small story must not join it on that base rate (assign.RANK_FLOOR)."""
    from newsfuse.stories.assign import Assigner

    assigner = Assigner(_populated_index())
    stories = {assigner.assign(_headline_features(n, t)).story_id for n, t in enumerate(FERRY_FARES)}
    assert len(stories) == 1
    assert assigner.assign(_headline_features(8, SAME_FARES)).story_id in stories
    assert assigner.assign(_headline_features(9, title)).new


# Written for the project: a ruling, the reaction to it written with none of its names, and an unrelated story.
RULING = ("Kestrel Mining fined 4 million over Brenholm river spill",
          "A court in Brenholm fined Kestrel Mining 4 million on Tuesday for the cyanide spill that killed fish along "
          "30 kilometres of the Vell river last spring. Judge Ana Sorel said the company had ignored warnings from "
          "its own engineers.")
REACTION = ("Anglers cheer river ruling",
            "Fishermen who lost a season's catch when cyanide reached the river said on Tuesday that the court's "
            "judgment against the mining company was long overdue.")
FARES = ("Harbour authority raises ferry fares from April",
         "Ferry tickets between Tavrosk and the islands will cost 8 percent more from April, the harbour authority "
         "said on Tuesday, citing fuel costs and a new fleet of electric boats.")


def test_a_young_index_joins_general_news_reports_of_one_event_worded_apart() -> None:
    """A user's first batch is decided on the rank score alone; for general news at its own, lower threshold
    (assign.COLD_START_THRESHOLDS), so the reaction joins the ruling it reacts to and the fares stay apart."""
    from newsfuse.models import Article
    from newsfuse.stories.assign import Assigner
    from newsfuse.stories.features import article_features, embedding_text
    from newsfuse.text import embeddings

    def features(n: int, title: str, text: str) -> ArticleFeatures:
        article = Article(id=f"a{n}", title=title, text=text, paragraphs=(text,), outlet=f"o{n}", outlet_found_by="flag",
                          published="2025-03-11", published_found_by="metadata", language="en")
        return article_features(article, None, embeddings.embed([embedding_text(article)])[0])

    assigner = Assigner(StoryIndex())
    ruling = assigner.assign(features(0, *RULING)).story_id
    assert assigner.assign(features(1, *REACTION)).story_id == ruling
    assert assigner.assign(features(2, *FARES)).new
