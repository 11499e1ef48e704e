"""Numbers in one article with unit, currency and scale, and the thing they count where the parse shows it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from newsfuse.analyse import lexicon
from newsfuse.models import Amount

VERSION = "amounts.v1"

CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB", "₹": "INR", "a$": "AUD", "c$": "CAD"}
CURRENCY_WORDS = {
    "dollars": "USD", "dollar": "USD", "usd": "USD", "euros": "EUR", "euro": "EUR", "eur": "EUR",
    "pounds": "GBP", "gbp": "GBP", "rubles": "RUB", "roubles": "RUB", "rub": "RUB", "yuan": "CNY",
    "yen": "JPY", "rupees": "INR", "kyat": "MMK", "kyats": "MMK",
}
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bln": 1e9,
    "bn": 1e9, "b": 1e9, "trillion": 1e12, "trln": 1e12, "tn": 1e12,
}
_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = r"(?:\s*(?P<scale>thousand|million|mln|mn|billion|bln|bn|trillion|trln|tn|k|m|b)\b\.?)?"
MONEY_SYMBOL = re.compile(r"(?P<sym>US\$|A\$|C\$|[$€£¥₽₹])\s?" + _NUM + _SCALE, re.I)
MONEY_WORD = re.compile(_NUM + _SCALE + r"\s+(?P<cur>" + "|".join(CURRENCY_WORDS) + r")\b", re.I)
PERCENT = re.compile(_NUM + r"\s?(?:%|\s(?:percent|per\s?cent)\b)", re.I)
# "6 am", "3 o'clock": clock times, not counts.
TIME_WORDS = frozenset(["am", "pm", "a.m.", "p.m.", "o'clock", "gmt", "utc", "hours", "hrs"])
# A year or day number is a date, not an amount (dates.py has it).
YEAR_LIKE = re.compile(r"^(?:19|20)\d\d$")


def find_amounts(text: str, docs: list[tuple[int, Any]], date_spans: list[tuple[int, int]], article_id: str = "",
                 sentence_at: Callable[[int], int] | None = None) -> list[Amount]:
    """Money, percentages and counts of things; `docs` are (char offset, spaCy Doc) for the parse."""
    at = sentence_at or (lambda _c: 0)
    found: list[Amount] = []
    taken = list(date_spans)
    for pattern, kind in ((MONEY_SYMBOL, "symbol"), (MONEY_WORD, "word"), (PERCENT, "percent")):
        for m in pattern.finditer(text):
            if _overlaps(taken, m.start(), m.end()):
                continue
            scale = m.groupdict().get("scale") or ""
            value = _number(m.group("num")) * SCALES.get(scale.lower().rstrip("."), 1.0)
            if kind == "percent":
                unit, currency = "%", None
            else:
                key = m.group("sym").lower() if kind == "symbol" else m.group("cur").lower()
                currency = CURRENCY_SYMBOLS.get(key) if kind == "symbol" else CURRENCY_WORDS[key]
                unit = currency
            taken.append(m.span())
            found.append(Amount(article_id, m.group(0).strip(), m.start(), m.end(), value, unit, currency, at(m.start())))
    for offset, doc in docs:
        found.extend(_counts(doc, offset, taken, article_id, at))
    found.sort(key=lambda a: a.start)
    return found


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _counts(doc: Any, offset: int, taken: list[tuple[int, int]], article_id: str,
            at: Callable[[int], int]) -> list[Amount]:
    """'four political prisoners' → 4 people counting "political prisoners"."""
    found = []
    for token in doc:
        if token.dep_ != "nummod" or token.head.pos_ not in ("NOUN", "PROPN") or token.head.i < token.i:
            continue  # "Container Terminal 2" names a thing, it does not count it
        if token.head.lower_ in TIME_WORDS:
            continue
        if token.i + 1 < len(doc) and doc[token.i + 1].text == "-":
            continue  # "five-point plan": part of an adjective, not a count
        value = _token_value(token)
        start = offset + token.idx
        if value is None or _overlaps(taken, start, start + len(token.text)) or YEAR_LIKE.match(token.text):
            continue
        noun = token.head
        modifiers = [c for c in noun.lefts if c.dep_ in ("amod", "compound") and c.i > token.i]
        first = modifiers[0] if modifiers else noun
        counted = doc[first.i:noun.i + 1].text  # a span: doc.text would build the whole paragraph per amount
        unit = "people" if noun.lower_ in lexicon.PERSON_NOUNS or noun.lemma_.lower() in lexicon.PERSON_NOUNS else noun.lemma_.lower()
        end = offset + noun.idx + len(noun.text)
        found.append(Amount(article_id, doc[token.i:noun.i + 1].text, start, end, value, unit, None,
                            at(start), counts=counted))
    return found


def _token_value(token: Any) -> float | None:
    text = token.lower_.replace(",", "")
    if text in lexicon.NUMBER_WORDS:
        return float(lexicon.NUMBER_WORDS[text])
    try:
        return float(text)
    except ValueError:
        return None
