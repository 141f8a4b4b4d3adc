"""Readers searching side by side: a slow search holds up no one else, and
threads share the per-index tables instead of each building its own."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import web.app as web_app
from search.engine.matchset import MatchSets
from search.searcher import Searcher
from web.app import create_app

SLOW_WORD = "الزيتون"
WAIT = 60          # seconds a stuck test waits before failing, never reached when all is well


@pytest.fixture()
def held_search(monkeypatch):
    """Searches for SLOW_WORD stop inside matching until ``release`` is set."""
    entered, release = threading.Event(), threading.Event()
    real = MatchSets.scores

    def scores(self, q, deadline=None):
        if SLOW_WORD in str(q) or "زيتون" in str(q):
            entered.set()
            release.wait(WAIT)
        return real(self, q, deadline)

    monkeypatch.setattr(MatchSets, "scores", scores)
    yield entered, release
    release.set()


def in_thread(fn):
    out = {}

    def run():
        try:
            out["value"] = fn()
        except Exception as e:           # reported by the test that reads it
            out["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t, out


def test_a_search_stuck_in_matching_holds_up_no_other_reader(corpus_index, held_search):
    entered, release = held_search
    app = create_app(corpus_index)
    try:
        slow, slow_out = in_thread(lambda: app.test_client().get("/", query_string={"q": SLOW_WORD}))
        assert entered.wait(WAIT)
        # Other readers: searches, an article page, the stylesheet.
        fast, fast_out = in_thread(lambda: [
            app.test_client().get("/", query_string={"q": "الأمم المتحدة"}).status_code,
            app.test_client().get("/static/style.css").status_code,
            app.test_client().get("/help").status_code])
        fast.join(WAIT)
        assert not fast.is_alive(), "another reader waited for the stuck search"
        assert fast_out["value"] == [200, 200, 200]
        release.set()
        slow.join(WAIT)
        assert slow_out["value"].status_code == 200
    finally:
        release.set()
        app.extensions["akhbar"].close()


def test_with_every_search_slot_taken_pages_and_files_are_still_served(corpus_index, held_search, monkeypatch):
    entered, release = held_search
    monkeypatch.setattr(web_app, "BUSY_WAIT", 0.05)
    app = create_app(corpus_index, searches_at_once=1)
    try:
        slow, _ = in_thread(lambda: app.test_client().get("/", query_string={"q": SLOW_WORD}))
        assert entered.wait(WAIT)
        client = app.test_client()
        assert client.get("/static/style.css").status_code == 200
        assert client.get("/help").status_code == 200
        r = client.get("/", query_string={"q": "الأمم"})
        assert r.status_code == 503 and r.headers["Retry-After"]
        assert "Try again" in r.get_data(as_text=True)
        release.set()
        slow.join(WAIT)
        assert client.get("/", query_string={"q": "الأمم"}).status_code == 200
    finally:
        release.set()
        app.extensions["akhbar"].close()


def test_threads_read_through_their_own_whoosh_searcher_over_shared_tables(corpus_index):
    s = Searcher(corpus_index)
    try:
        def probe(_):
            results = s.search("الأمم المتحدة")
            g = s.engine.local().generation()
            return results.total, id(g.searcher), id(g.table), id(g.words), id(g.matchsets._cache)

        with ThreadPoolExecutor(4) as pool:
            seen = list(pool.map(probe, range(16)))
        assert len({r[0] for r in seen}) == 1
        assert len({r[2] for r in seen}) == len({r[3] for r in seen}) == len({r[4] for r in seen}) == 1
        assert 1 < len({r[1] for r in seen}) <= 4
        assert len(s.engine.local()._tables) == 1
    finally:
        s.close()


def test_searches_side_by_side_answer_as_they_do_one_at_a_time(corpus_index):
    queries = ["الأمم المتحدة", "olive OR زيت", "المياه -الأمم", "title:الانتخابات", "ال*", "الامم~",
               '"الأمم المتحدة"', "lang:en water", "date:2023 OR date:2024", "выборы"]
    s = Searcher(corpus_index)
    try:
        def answer(q):
            r = s.search(q, limit=50)
            return r.total, [(h.id, h.score) for h in r.hits], r.facets

        alone = [answer(q) for q in queries]
        with ThreadPoolExecutor(6) as pool:
            together = list(pool.map(answer, queries * 6))
        assert together == alone * 6
    finally:
        s.close()
