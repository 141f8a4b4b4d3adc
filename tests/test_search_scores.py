"""The scores search.engine.matchset computes are the ones Whoosh's matchers give.

Searcher scores the whole result set from cached per-term arrays instead of
walking Whoosh's matcher tree; if the ranking model or a query type changes,
these tests say whether the two still agree.
"""
from helpers import one_shard
import math

import pytest

from indexer.schema import term_text
from search.engine.matchset import MatchSets
from search.query.compile import QueryBuilder
from search.query.syntax import parse

QUERIES = [
    "زيت", "صادرات زيت الزيتون التونسي", "الامم المتحده", "زيت OR انتخابات", "زيت AND الجفاف",
    "+زيت تونس", "زيت -القيروان", '"زيت الزيتون" تونس', "title:الزيتون صادرات", "الزيتو*",
    "صفاقص~ تونس", "date:2024 زيت", "lang:en olive oil", "olive drought Tunisia", "زيت olive",
    "(الزيتون OR الانتخابات) AND عقارب", "source:الشروق الانتخابات", "في من على",
]


def whoosh_scores(searcher, q):
    out = {}
    for sub, offset in searcher.leaf_searchers():
        m = q.matcher(sub, sub.context())
        while m.is_active():
            out[m.id() + offset] = m.score()
            m.next()
    return out


def built(s, text):
    tree, _ = parse(text)
    return QueryBuilder(s.reader()).build(tree)


@pytest.mark.parametrize("text", QUERIES)
def test_matchset_scores_equal_whoosh_scores(searcher, text):
    s = one_shard(searcher).searcher()
    q = built(s, text)
    expected = whoosh_scores(s, q)
    got = MatchSets(s).scores(q).as_dict()
    assert set(got) == set(expected)
    for d, score in expected.items():
        assert math.isclose(got[d], score, rel_tol=1e-9, abs_tol=1e-12), (d, got[d], score)


def test_answers_from_the_cache_are_still_whooshs_scores(searcher):
    s = one_shard(searcher).searcher()
    q = built(s, "صادرات زيت الزيتون")
    sets = MatchSets(s)
    sets.scores(q)
    filled = sets.cache_bytes()
    assert filled > 0
    again = sets.scores(q).as_dict()
    assert sets.cache_bytes() == filled, "the second answer should come from the cache"
    expected = whoosh_scores(s, q)
    assert again and set(again) == set(expected)
    assert all(math.isclose(again[d], score, rel_tol=1e-9, abs_tol=1e-12) for d, score in expected.items())


def test_term_arrays_are_scored_here_and_match_whoosh_exactly(searcher):
    from whoosh import query as wq
    s = one_shard(searcher).searcher()
    common = next(t for t, info in s.reader().iter_field("body") if info.doc_frequency() > 3)
    q = wq.Term("body", term_text(common), boost=1.5)
    sets = MatchSets(s)
    found = sets._score_term(q)
    assert found is not None, "the term was not scored on arrays"
    assert len(found) > 3 and found.as_dict() == whoosh_scores(s, q)


def test_the_cache_stays_within_its_byte_bound(searcher):
    s = one_shard(searcher).searcher()
    q = built(s, "زيت الزيتون تونس الانتخابات olive oil")
    unbounded = MatchSets(s)
    expected = unbounded.scores(q).as_dict()
    bound = 400
    assert unbounded.cache_bytes() > bound
    small = MatchSets(s, max_cache_bytes=bound)
    assert small.scores(q).as_dict() == expected
    assert 0 < small.cache_bytes() <= bound


def test_vocabulary_knows_the_archives_words_and_no_others(searcher):
    from search.query.suggest import KnownWords
    reader = one_shard(searcher).searcher().reader()
    words = {t.decode("utf-8") for t in reader.lexicon("body_exact")}
    vocabulary = KnownWords(reader)
    assert vocabulary.nbytes() <= 8 * len(words | {t.decode("utf-8") for t in reader.lexicon("title_exact")})
    sample = sorted(words)[::7]
    made_up = [w + "ظظظ" for w in sample]
    assert vocabulary.known(sample + made_up) == set(sample)
