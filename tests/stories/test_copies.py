"""Wire copies inside a story: MinHash signatures of word shingles."""

from __future__ import annotations

import numpy as np
import pytest

from newsfuse.stories.copies import NUM_PERM, minhash, signature
from tests.conftest import SEEDS

pytestmark = pytest.mark.seed


def seed_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]


def test_signatures_are_datasketchs_minhash():
    # copies.minhash writes datasketch's MinHash out (importing datasketch costs 1.4 s); the values must be its own.
    import re

    import datasketch  # a test dependency only: the reference the signatures are checked against

    for text in seed_texts():
        words = re.findall(r"\w+", text.lower())
        shingles = {" ".join(words[i:i + 4]).encode() for i in range(len(words) - 3)}
        reference = datasketch.MinHash(num_perm=NUM_PERM)
        reference.update_batch(list(shingles))
        assert np.array_equal(signature(text), reference.hashvalues)


def test_a_lightly_edited_copy_shares_most_of_its_signature_and_another_report_little():
    tbs, aljazeera, _ = seed_texts()
    edited = tbs.replace("Lavrov", "Lavrov himself", 1).replace("talks", "meetings", 1)
    same = np.mean(signature(tbs) == signature(edited))
    other = np.mean(signature(tbs) == signature(aljazeera))
    assert same > 0.8 and other < 0.2


def test_a_short_text_has_no_signature_and_no_items_give_the_largest_values():
    assert signature("Too short to compare.") is None
    assert (minhash(set()) == np.uint32(0xFFFFFFFF)).all()
