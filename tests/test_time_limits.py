"""The time limit: every stage stops at it, and what it cuts short is right and says so.

The clock is replaced by one that moves a fixed step at every reading, so the
limit falls at a different stage for each step and the outcome is repeatable.
"""
import random
import time
import tracemalloc

import pytest
from bs4 import BeautifulSoup

from helpers import one_shard, run_cli
from search.query import suggest as suggest_module
from search.query.suggest import nearest_word, suggest
from web.app import create_app

QUERIES = [
    "الأمم المتحدة",
    "الأمم OR olive OR выборы",
    "الأمم AND المتحدة",
    "الأمم -المياه",
    "(المياه OR الأمم) lang:ar",
    "الامم~ المتحده~",
    "ال* -المياه",
    "+الأمم المياه*",
    '"الأمم المتحدة" OR зерно~',
]


class SteppingClock:
    """time.perf_counter that moves ``step`` seconds each time it is read."""

    def __init__(self, step):
        self.now = 1000.0
        self.step = step

    def __call__(self):
        self.now += self.step
        return self.now


@pytest.fixture()
def stepping_clock(monkeypatch):
    def install(step):
        monkeypatch.setattr(time, "perf_counter", SteppingClock(step))
    return install


def everything(searcher, q):
    results = searcher.search(q, limit=1000, time_limit=600)
    assert not results.partial
    return results


@pytest.mark.parametrize("q", QUERIES)
def test_a_search_cut_short_returns_only_true_matches_and_says_so(searcher, stepping_clock, q):
    full = everything(searcher, q)
    truth = {h.id for h in full.hits}
    outcomes = set()
    for readings in list(range(0, 60, 3)) + list(range(60, 600, 30)):
        stepping_clock(0.001)
        cut = searcher.search(q, limit=1000, time_limit=readings / 1000, suggestions=False)
        found = {h.id for h in cut.hits}
        assert found <= truth, (q, readings, found - truth)
        if cut.partial:
            assert cut.total <= full.total
            outcomes.add("partial" if found else "empty")
        else:
            assert (cut.total, found) == (full.total, truth), (q, readings)
            outcomes.add("whole")
    # The limit fell both before and after the end of the search.
    assert "whole" in outcomes and outcomes - {"whole"}, outcomes


def test_an_or_cut_short_keeps_what_it_found(searcher, stepping_clock):
    kept = []
    for readings in range(0, 60):
        stepping_clock(0.001)
        cut = searcher.search(QUERIES[1], limit=1000, time_limit=readings / 1000, suggestions=False)
        if cut.partial and cut.total:
            kept.append(cut.total)
    assert kept, "no cut OR kept any of its matches"


def test_expanding_star_and_tilde_stops_at_the_limit(searcher, stepping_clock):
    stepping_clock(0.01)
    results = searcher.search("ال* الامم~", time_limit=0.02)
    assert results.partial
    assert "time limit stopped the expansion" in results.interpretation


def test_a_cut_not_lets_nothing_through(searcher, stepping_clock, monkeypatch):
    from search.query.compile import QueryBuilder
    real = QueryBuilder._out_of_time

    def out_of_time_inside_not(self, i, word):
        if word.startswith("المياه"):
            self.cut = True
            return True
        return real(self, i, word)

    monkeypatch.setattr(QueryBuilder, "_out_of_time", out_of_time_inside_not)
    results = searcher.search("الأمم -المياه*", limit=1000)
    assert results.partial and results.total == 0


# ------------------------------------------------------------------ did you mean

def test_did_you_mean_work_does_not_grow_with_the_length_of_a_word(searcher):
    reader = one_shard(searcher).searcher().reader()
    rng = random.Random(7)
    letters = suggest_module.ARABIC_LETTERS
    for length in (60, 400):
        word = "".join(rng.choice(letters) for _ in range(length))
        tracemalloc.start()
        try:
            nearest_word(reader, word)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 2_000_000, (length, peak)
    assert nearest_word(reader, "ا" * 400) is None


def test_did_you_mean_still_corrects_long_words(searcher):
    reader = one_shard(searcher).searcher().reader()
    lexicon = (w.decode("utf-8") for w in reader.lexicon("body_exact"))
    common = [w for w in lexicon if 12 <= len(w) <= 16 and w.isalpha() and suggest_module._doc_frequency(reader, w) >= 3]
    assert common
    for word in sorted(common)[:5]:
        slip = word[:6] + word[7:]
        if suggest_module._doc_frequency(reader, slip) == 0:
            assert nearest_word(reader, slip) is not None, word


def test_did_you_mean_stops_at_the_limit(searcher, monkeypatch):
    asked = []
    monkeypatch.setattr(suggest_module, "nearest_word", lambda *a, **k: asked.append(a) or None)
    assert suggest("زيتونن الامم", one_shard(searcher).searcher().reader(), deadline=time.perf_counter() - 1) is None
    assert asked == []
    suggest("زيتونن الامم", one_shard(searcher).searcher().reader(), deadline=time.perf_counter() + 60)
    assert len(asked) == 2


# ------------------------------------------------------------------ the faces say so

def test_the_page_never_says_nothing_matches_when_the_limit_hit(corpus_index, stepping_clock):
    app = create_app(corpus_index)
    try:
        client = app.test_client()
        client.get("/", query_string={"q": "الأمم"})          # tables loaded with the real clock
        stepping_clock(10.0)
        r = client.get("/", query_string={"q": "الأمم المتحدة"})
    finally:
        app.extensions["akhbar"].close()
    assert r.status_code == 200
    page = BeautifulSoup(r.get_data(as_text=True), "html.parser")
    text = page.select_one("section.notice").get_text()
    assert "time limit" in text and "No articles match" not in text


def test_the_command_line_never_says_nothing_matches_when_the_limit_hit(corpus_index):
    result = run_cli("search", "الأمم المتحدة", "--index", corpus_index, "--time-limit", "0")
    assert result.exit_code == 0
    assert "time limit" in result.output and "No articles match" not in result.output


def test_one_deadline_covers_every_series_of_a_timeline(corpus_index, monkeypatch):
    # Each series used to be read and counted with a time limit of its own, so five slow
    # series took five limits and still said complete.
    import time as clock
    from search.engine.archive import OwnArchive
    from search.searcher import Searcher
    real = OwnArchive.prepare

    def slow(self, options, deadline):
        clock.sleep(0.4)
        return real(self, options, deadline)
    monkeypatch.setattr(OwnArchive, "prepare", slow)
    s = Searcher(corpus_index)
    try:
        from search.query.options import QueryOptions
        quick = s.timeline(["الأمم"], QueryOptions(time_limit=1.0))
        assert not quick["partial"]
        data = s.timeline(["الأمم", "المياه", "election", "water", "زيت"], QueryOptions(time_limit=1.0))
        assert data["partial"] and data["series"][-1]["partial"]
    finally:
        s.close()
