"""The default operator for free words: OR with a coordination factor."""
import pytest
from whoosh import fields
from whoosh.filedb.filestore import RamStorage

from search.query import ranking
from indexer.store.query import CoordinatedOr
from search.query.ranking import free_words_query, ranking_model, word_query

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


def ranked_docs(docs, norm, stems):
    """Ids of ``docs`` ({id: (title, title_exact, body, body_exact)}) ranked for one query word."""
    schema = fields.Schema(id=fields.ID(stored=True), **{f: fields.TEXT() for f in FIELDS})
    ix = RamStorage().create_index(schema)
    w = ix.writer()
    for doc_id, values in docs.items():
        w.add_document(id=doc_id, **dict(zip(FIELDS, values)))
    w.commit()
    with ix.searcher(weighting=ranking_model()) as s:
        return [hit["id"] for hit in s.search(word_query(norm, stems), limit=None)]


def test_the_form_typed_outranks_a_form_sharing_only_its_stem():
    # Both articles carry the stem "treaty"; only one wrote the word as typed.
    docs = {"stem-only": ("x", "x", "treaty other", "treaty other"),
            "exact": ("x", "x", "treaty other", "treaties other")}
    assert ranked_docs(docs, "treaties", {"treaty"}) == ["exact", "stem-only"]
    docs = {"stem-only": ("treaty", "treaty", "x", "x"), "exact": ("treaty", "treaties", "x", "x")}
    assert ranked_docs(docs, "treaties", {"treaty"}) == ["exact", "stem-only"]


def test_a_word_in_the_title_outranks_the_same_word_in_the_body():
    docs = {"in-body": ("other", "other", "treaty words", "treaty words"),
            "in-title": ("treaty", "treaty", "other words", "other words")}
    assert ranked_docs(docs, "treaty", {"treaty"}) == ["in-title", "in-body"]


def test_the_weights_decide_those_orders(monkeypatch):
    # Were the title to weigh less than the body, the order above would turn.
    monkeypatch.setitem(ranking.WEIGHTS, "title", 0.1)
    monkeypatch.setitem(ranking.WEIGHTS, "title_exact", 0.1)
    docs = {"in-body": ("other", "other", "treaty words", "treaty words"),
            "in-title": ("treaty", "treaty", "other words", "other words")}
    assert ranked_docs(docs, "treaty", {"treaty"}) == ["in-body", "in-title"]
