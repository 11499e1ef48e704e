"""English function words and a light stemmer, shared by the stages that compare texts by their words."""

from __future__ import annotations

from functools import lru_cache

# Number words as news writes counts ("three or four robbers", "a dozen people"), shared by the analysis's
# amounts and dates and by fusion's reading of counts.
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "a dozen": 12,
}

# Words that carry no topic: pronouns, auxiliaries, prepositions, conjunctions and the verbs of
# reporting. Each stage adds the words that are noise for its own job (page furniture for grouping,
# calendar words for fact alignment).
FUNCTION_WORDS = frozenset("""
a about above according after again against all also am an and another any are as at be because been
before being below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it it's its itself just
may me might more most must my myself no nor not now of off on once one only or other our ours ourselves
out over own said same say says shall she should since so some still such tell than that the their
theirs them themselves then there these they this those through to told too under until up very was we
were what when where which while who whom why will with would you your yours yourself yourselves
""".split())


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """A light suffix stripper: enough to meet "arrived"/"arrival"/"arrives", "Cambodia"/"Cambodian"."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    if w[:1].isdigit():
        return w.replace(",", "")
    for suffix in ("ational", "ations", "ation", "ments", "ment", "ings", "ing", "ians", "ian", "ies", "ied", "ia",
                   "ed", "es", "al", "ly", "s", "an", "a", "e", "y"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w
