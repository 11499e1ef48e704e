"""The outlet registry and how an article's outlet is chosen: explicit beats inferred, never an id."""

from __future__ import annotations

import pytest

from newsfuse.clean import clean_document
from newsfuse.clean.outlets import load_registry, outlet_label, outlet_labels
from newsfuse.errors import NewsfuseError
from newsfuse.ingest import ReadOptions, read_input
from newsfuse.models import RawDocument
from tests.conftest import EXAMPLES

BODY = ("The town council voted on Monday to close the old bridge to traffic after engineers found cracks in two "
        "of its piers.\nThe bridge will stay closed until repairs are finished, the council said in a statement.")


@pytest.mark.parametrize("raw, name", [
    ("www.tass.com", "TASS"), ("tass.ru", "TASS"), ("TBS", "TBS News"), ("edition.cnn.com", "CNN"),
    ("huffingtonpost.com", "HuffPost"), ("https://www.reuters.com/world/x", "Reuters"), ("Associated Press", "AP"),
])
def test_shipped_registry_names_well_known_hosts_and_short_names(raw, name):
    assert load_registry().lookup(raw).name == name


def test_shipped_entries_say_country_and_kind_but_no_lean():
    registry = load_registry()
    assert (registry.lookup("tass.com").country, registry.lookup("tass.com").kind) == ("RU", "wire agency")
    assert registry.lookup("bbc.co.uk").kind == "public broadcaster"
    assert all(o.lean is None for o in registry.outlets.values())


def test_a_users_file_adds_outlets_and_overrides_shipped_fields(tmp_path):
    mine = tmp_path / "outlets.toml"
    mine.write_text('[[outlet]]\nname = "Harbor Daily"\nhosts = ["harbordaily.example"]\ncountry = "VT"\n'
                    'kind = "newspaper"\nlean = "centre-left"\n\n'
                    '[[outlet]]\nname = "BBC"\nlean = "centre"\n', encoding="utf-8")
    registry = load_registry(str(mine))
    harbor = registry.lookup("news.harbordaily.example")
    assert (harbor.name, harbor.country, harbor.kind, harbor.lean) == ("Harbor Daily", "VT", "newspaper", "centre-left")
    bbc = registry.lookup("bbc.com")
    assert (bbc.kind, bbc.lean) == ("public broadcaster", "centre")
    assert load_registry().lookup("bbc.com").lean is None  # the shipped table is not changed for others


def test_a_bad_users_file_is_an_error_naming_it(tmp_path):
    mine = tmp_path / "bad.toml"
    mine.write_text('[[outlet]]\nname = "X"\nkind = "blog of record"\n', encoding="utf-8")
    with pytest.raises(NewsfuseError, match="bad.toml"):
        load_registry(str(mine))


def _outlet(declared: dict, flag: str | None = None) -> tuple[str | None, str | None]:
    article = clean_document(RawDocument("jsonl", "x.jsonl:1", b"", {"text": BODY, **declared}), flag).article
    return article.outlet, article.outlet_found_by


@pytest.mark.parametrize("declared, outlet", [
    ({"outlet": "HuffPost", "url": "https://www.huffingtonpost.com/entry/bridge"}, "HuffPost"),
    ({"outlet": "Washington Examiner", "url": "https://www.yahoo.com/news/bridge"}, "Washington Examiner"),
    ({"outlet": "Harbor Daily", "url": "https://www.reuters.com/world/bridge", "site_name": "Reuters"}, "Harbor Daily"),
])
def test_an_outlet_field_wins_over_the_url_and_site_name(declared, outlet):
    assert _outlet(declared) == (outlet, "field")


def test_the_outlet_flag_wins_over_anything_inferred_but_not_over_the_documents_own_field():
    assert _outlet({"url": "https://www.reuters.com/world/bridge"}, flag="Harbor Daily") == ("Harbor Daily", "flag")
    assert _outlet({"outlet": "Nordwire"}, flag="Harbor Daily") == ("Nordwire", "field")


def test_a_registered_host_is_shown_by_its_name():
    assert _outlet({"url": "https://www.huffingtonpost.com/entry/bridge"}) == ("HuffPost", "url")


def test_a_newspapers_copy_of_a_wire_story_is_the_newspapers():
    [raw] = list(read_input(str(EXAMPLES / "articles" / "rates-coastline-times-2025-03-11.txt"), ReadOptions()))
    assert clean_document(raw).article.outlet == "Coastline Times"


def test_a_masthead_that_is_the_only_outlet_signal_names_the_outlet_and_is_logged():
    text = "Lakeside Gazette\nPublished 3 May 2024\n" + BODY
    article = clean_document(RawDocument("text", "x.txt", b"", {"text": text})).article
    assert (article.outlet, article.outlet_found_by) == ("Lakeside Gazette", "text:masthead:Lakeside Gazette")
    assert any(r.reason == "masthead" and r.text == "Lakeside Gazette" for r in article.removals)


@pytest.mark.parametrize("outlet, url, label", [
    ("TASS", "https://tass.com/politics/1", "TASS"),
    ("huffingtonpost.com", "https://www.huffingtonpost.com/entry/x", "HuffPost"),
    ("Coastline Times", None, "Coastline Times"),
    ("localpaper.example", "https://www.localpaper.example/a/1", "unknown outlet (localpaper.example)"),
    (None, "https://localpaper.example/a/1", "unknown outlet (localpaper.example)"),
    (None, None, "unknown outlet"),
])
def test_outlet_label_is_a_name_or_unknown_outlet_never_an_id(outlet, url, label):
    assert outlet_label(outlet, url) == label


def test_several_nameless_outlets_in_one_story_stay_apart():
    labels = outlet_labels([("f619aeec10d962b9", None, None), ("0a1b2c3d4e5f6789", None, None),
                            ("1111222233334444", "TASS", None)])
    assert labels == {"f619aeec10d962b9": "unknown outlet 1", "0a1b2c3d4e5f6789": "unknown outlet 2",
                      "1111222233334444": "TASS"}
