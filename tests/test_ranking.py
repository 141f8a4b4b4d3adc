"""The default operator for free words: OR with a coordination factor."""
import pytest
from whoosh import fields
from whoosh.filedb.filestore import RamStorage

from search import ranking
from search.ranking import CoordinatedOr, free_words_query, ranking_model, word_query

FIELDS = ("title", "title_exact", "body", "body_exact")


@pytest.fixture()
def index():
    schema = fields.Schema(id=fields.ID(stored=True), **{f: fields.TEXT() for f in FIELDS})
    ix = RamStorage().create_index(schema)
    w = ix.writer()
    filler = " ".join("filler%d" % i for i in range(2000))
    docs = {
        # Every word the reader remembers, once each, in a long body.
        "all-words": "alpha beta gamma " + filler,
        # One of the words, over and over, in a short body.
        "one-word": "alpha alpha alpha alpha alpha alpha",
        "unrelated": "delta epsilon",
    }
    for doc_id, body in docs.items():
        w.add_document(id=doc_id, title="x", title_exact="x", body=body, body_exact=body)
    w.commit()
    return ix


def ranked(ix, words):
    q = free_words_query([word_query(wd, {wd}) for wd in words])
    with ix.searcher(weighting=ranking_model()) as s:
        return [hit["id"] for hit in s.search(q, limit=None)]


def test_article_with_every_word_outranks_one_word_repeated(index):
    assert ranked(index, ["alpha", "beta", "gamma"])[0] == "all-words"


def test_without_coordination_the_repeated_word_would_win(index, monkeypatch):
    # The case the coordination factor exists for: plain OR gets it wrong.
    monkeypatch.setattr(ranking, "COORDINATION_POWER", 0.0)
    assert ranked(index, ["alpha", "beta", "gamma"])[0] == "one-word"


def test_free_words_still_match_any_word(index):
    # OR, not AND: an article matching only some remembered words is found.
    assert set(ranked(index, ["alpha", "zeta"])) == {"all-words", "one-word"}


def test_one_word_needs_no_coordination():
    q = word_query("alpha", {"alph"})
    assert free_words_query([q]) is q
    assert isinstance(free_words_query([q, q]), CoordinatedOr)


def test_exact_form_weighs_more_than_a_shared_stem():
    assert ranking.WEIGHTS["title_exact"] > ranking.WEIGHTS["title"]
    assert ranking.WEIGHTS["body_exact"] > ranking.WEIGHTS["body"]
    assert ranking.WEIGHTS["title"] > ranking.WEIGHTS["body"]
