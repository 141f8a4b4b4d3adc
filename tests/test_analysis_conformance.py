"""Lucene's Arabic analysis test vectors (credit: Apache Lucene, Apache-2.0)."""
import os

import pytest

from indexer.analysis import light_stem, normalize

HERE = os.path.dirname(__file__)


def vectors(*kinds):
    with open(os.path.join(HERE, "data", "lucene-arabic.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if parts[0] in kinds:
                yield (parts + ["", ""])[1:3]


@pytest.mark.parametrize("text,expected", list(vectors("normalize")))
def test_lucene_normalization_vectors(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize("word,expected", list(vectors("stem")))
def test_lucene_light10_stem_vectors(word, expected):
    assert light_stem(word) == expected


def test_there_are_vectors_to_check():
    assert len(list(vectors("normalize"))) >= 16
    assert len(list(vectors("stem"))) >= 20
