"""Fuzzing the query language and the page's parameters: every search returns
(or raises QueryError) within its time limit, and the page never answers 5xx.

Examples are few so the suite stays quick; bench/bench_fuzz.py searches many
more of them on the ANT index and records the worst time and memory.
"""
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from query_strategies import DIRECTION, FIELDS, MARKS, date_value, queries, word
from search.query.syntax import QueryError
from web.app import create_app

pytestmark = pytest.mark.slow

LIMIT = 1.0
# CPU time of the searching thread, which a loaded machine does not inflate
# the way it does the wall clock; the margin covers the stages after the
# limit (ranking the page, its snippets, facets) on a small index.
MARGIN = 2.0
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(q=queries)
def test_every_query_is_answered_within_its_limit(searcher, q):
    started = time.thread_time()
    try:
        results = searcher.search(q, time_limit=LIMIT)
    except QueryError as e:
        assert str(e)
    else:
        assert results.total >= len(results.hits)
        assert results.total or not results.hits
    assert time.thread_time() - started <= LIMIT + MARGIN, q


@FUZZ
@given(q=queries, page=st.integers(1, 1000), sort=st.sampled_from(["relevance", "newest", "oldest"]))
def test_every_query_is_answered_on_any_page_and_sort(searcher, q, page, sort):
    try:
        results = searcher.search(q, page=page, sort=sort, time_limit=LIMIT)
    except QueryError:
        return
    assert len(results.hits) <= results.limit


@pytest.fixture(scope="module")
def client(corpus_index):
    app = create_app(corpus_index)
    yield app.test_client()
    app.extensions["akhbar"].close()


text = st.one_of(st.text(max_size=60), st.sampled_from(MARKS + DIRECTION), word(), date_value,
                 st.integers(-5, 10**13).map(str))
NAMES = ["q", "page", "sort", "lang", "source", "month", "from", "to", "ui", "id", "endpoint", "_method",
         "_external", "_anchor", "_scheme", "values"]


@FUZZ
@given(path=st.sampled_from(["/", "/article", "/help", "/static/style.css", "/nowhere"]),
       params=st.dictionaries(st.one_of(st.sampled_from(NAMES), st.text(max_size=8)),
                              st.one_of(text, queries), max_size=6),
       field=st.sampled_from(FIELDS))
def test_the_page_never_answers_5xx(client, path, params, field):
    if "q" in params and params["q"][:1] == ":":
        params["q"] = field + params["q"]
    r = client.get(path, query_string=params)
    assert r.status_code < 500, (path, params, r.status_code)
