"""A sharded index on one machine: built, updated and searched as one index of the same articles."""
import os
import re
import shutil
import signal
import time

import pytest

from helpers import CORPUS, ROOT, build_corpus, cli_json, run_cli, shard_pid
from shard_checks import differences, same_ranking

from indexer.shards import is_sharded, shard_count, shard_dirs, shard_of
from search.searcher import Searcher
from search.searcher import open_searcher
from transport import Places
from transport.processes import LocalProcesses


@pytest.fixture(scope="module")
def sharded_index(tmp_path_factory):
    return build_corpus(tmp_path_factory, "sharded", "--shards", "3")


@pytest.fixture(scope="module")
def sharded(sharded_index):
    s = open_searcher(sharded_index)
    yield s
    s.close()


def test_every_article_lands_in_exactly_one_shard(sharded_index, corpus_index):
    assert is_sharded(sharded_index) and shard_count(sharded_index) == 3
    one = cli_json("stats", "--index", corpus_index)
    many = cli_json("stats", "--index", sharded_index)
    assert many["articles"] == one["articles"]
    assert many["languages"] == one["languages"] and many["sources"] == one["sources"]
    assert [s["shard"] for s in many["shards"]] == [0, 1, 2]
    assert sum(s["articles"] for s in many["shards"]) == one["articles"]
    assert all(s["articles"] > 0 and s["bytes"] > 0 for s in many["shards"])
    text = run_cli("stats", "--index", sharded_index).output
    assert "shards: 3" in text and "shard-2" in text
    # The very articles of the single index, each in the shard its text routes it to.
    assert held(sharded_index) == held(corpus_index)


def held(index_dir):
    """(every live article's stored fields and shard, whole-index term statistics) of an index, either layout."""
    from whoosh import index as whoosh_index
    from indexer.store.reading import collection_reader
    import json
    folders = shard_dirs(index_dir) if is_sharded(index_dir) else [index_dir]
    articles, readers = [], [whoosh_index.open_dir(f).reader() for f in folders]
    try:
        for i, reader in enumerate(readers):
            for d in reader.all_doc_ids():
                fields = reader.stored_fields(d)
                assert shard_of(fields["dupkey"], len(folders)) == i
                articles.append(json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str))
        whole = collection_reader(readers)
        stats = {(f, t): (whole.doc_frequency(f, t), whole.frequency(f, t)) for f, t in whole.all_terms()}
        lengths = {f: whole.field_length(f) for f in whole.schema.scorable_names()}
        return sorted(articles), stats, lengths, whole.doc_count()
    finally:
        for r in readers:
            r.close()


@pytest.mark.parametrize("shards", ["1", "3"])
def test_one_shard_and_many_hold_the_same_articles_however_the_work_is_cut(tmp_path, corpus_index, shards):
    """Many small batches in two worker processes (``--commit-every 3``) against the session's
    single index built in one batch: the same articles, terms and statistics."""
    ix = tmp_path / "ix"
    result = run_cli("index", CORPUS, "--index", ix, "--shards", shards, "--workers", "2", "--commit-every", "3")
    assert result.exit_code == 0, result.output
    assert is_sharded(str(ix)) == (shards != "1")
    assert held(str(ix)) == held(corpus_index)


def test_routing_is_stable_and_spreads():
    keys = ["%032x" % (i * 7919) for i in range(3000)]
    counts = [0, 0, 0, 0]
    for k in keys:
        counts[shard_of(k, 4)] += 1
    assert [shard_of(k, 4) for k in keys[:50]] == [shard_of(k, 4) for k in keys[:50]]
    assert min(counts) > 600          # about a quarter each
    assert shard_of("anything", 1) == 0


@pytest.mark.slow
def test_sharded_search_ranks_as_one_index(sharded, searcher):
    assert sharded.engine.sharded and len(sharded.engine) == 3
    assert differences(searcher, sharded) == []


def test_scores_are_the_archive_not_the_shard(sharded, searcher):
    # A word's idf differs per shard; equal scores show the archive's statistics were used.
    a = searcher.search("الأمم المتحدة", limit=20)
    b = sharded.search("الأمم المتحدة", limit=20)
    assert a.total > 5
    assert sorted(h.score for h in a.hits) == sorted(h.score for h in b.hits)


def test_duplicates_collapse_across_the_sharded_archive(sharded, searcher):
    one = [h for h in searcher.search("رسائل تصيد البنوك", limit=50).hits if h.also]
    assert one, "the sample corpus has an article filed twice"
    for hit in one:
        ids = {hit.id} | {c.id for c in hit.also}
        found = sharded.search(hit.title, limit=50).hits
        assert [ids] == [{h.id} | {c.id for c in h.also} for h in found if h.id in ids]


def test_the_copy_shown_is_the_one_from_the_first_file_whatever_the_layout(sharded, searcher):
    # Which copy of a duplicated article stands for it follows the archive (its files' paths),
    # never the order a build filed documents in, so one index and its shards show the same one.
    for s in (searcher, sharded):
        for query in ("رسائل تصيد البنوك", ""):
            shown = [h for h in s.search(query, limit=100, lang="ar").hits if h.also]
            assert shown, "the sample corpus has an article filed twice"
            for hit in shown:
                assert hit.path == min([hit.path] + [c.path for c in hit.also]), (hit.id, hit.path)
            exported = [h for batch in s.export(query, lang="ar", sort="newest").batches() for h in batch if h.also]
            assert {h.id for h in exported} == {h.id for h in shown}
    assert [h.id for h in searcher.search("رسائل تصيد البنوك").hits] == \
        [h.id for h in sharded.search("رسائل تصيد البنوك").hits]


def test_the_copy_shown_does_not_depend_on_the_order_copies_were_filed_in(tmp_path):
    # b.txt is filed first (a lower document number), a.txt by a later update: a.txt is still the copy shown.
    text = "Harbour cranes idle\nThe harbour cranes stood idle for a third day as the strike went on.\n"
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "b.txt").write_text(text, encoding="utf-8")
    for layout in ((), ("--shards", "2")):
        ix = tmp_path / ("ix%d" % len(layout))
        assert run_cli("index", archive, "--index", ix, "--workers", "1", *layout).exit_code == 0
    (archive / "a.txt").write_text(text, encoding="utf-8")
    for layout in ((), ("--shards", "2")):
        ix = tmp_path / ("ix%d" % len(layout))
        assert run_cli("index", archive, "--index", ix, "--workers", "1").exit_code == 0
        s = open_searcher(str(ix))
        try:
            hits = s.search("harbour cranes").hits
            assert [(h.path, [c.path for c in h.also]) for h in hits] == [("a.txt", ["b.txt"])]
            assert [h.path for b in s.export("harbour").batches() for h in b] == ["a.txt"]
            assert s.timeline(["cranes"])["series"][0]["total"] == 1
        finally:
            s.close()


def test_similar_and_article_over_all_shards(sharded, searcher):
    for hit in searcher.search("الأمم المتحدة", limit=3).hits:
        assert [(h.id, h.score) for h in sharded.similar(hit.id)] == [
            (h.id, h.score) for h in searcher.similar(hit.id)]
        page = sharded.article(hit.id, "الأمم")
        assert page.article.id == hit.id and page.marks > 0
        assert [h.id for h in page.similar] == [h.id for h in searcher.article(hit.id, "الأمم").similar]
    assert sharded.article("no-such-id") is None and sharded.similar("no-such-id") is None


def test_cli_search_json_of_a_sharded_index(sharded_index, corpus_index):
    a = cli_json("search", "زيت الزيتون", "--index", corpus_index)
    b = cli_json("search", "زيت الزيتون", "--index", sharded_index)
    assert a["total"] == b["total"] and a["facets"] == b["facets"]
    assert sorted(h["score"] for h in a["hits"]) == sorted(h["score"] for h in b["hits"])
    assert b["missing"] == []


@pytest.mark.crash
def test_a_dead_shard_process_gives_a_partial_labelled_answer_then_recovers(sharded_index):
    s = Searcher(sharded_index)
    try:
        whole = s.search("الأمم المتحدة", limit=50)
        pid = shard_pid(s, 1)
        os.kill(pid, signal.SIGKILL)
        part = s.search("الأمم المتحدة", limit=50)
        assert part.partial and part.missing == ["shard-1"]
        assert 0 < part.total < whole.total
        again = s.search("الأمم المتحدة", limit=50)
        assert not again.partial and again.missing == [] and again.total == whole.total
    finally:
        s.close()


@pytest.mark.slow
def test_updates_and_removals_find_their_shard(tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(os.path.join(CORPUS, "ar"), archive)
    ix = tmp_path / "ix"
    assert run_cli("index", archive, "--index", ix, "--shards", "4").exit_code == 0
    before = cli_json("stats", "--index", ix)["articles"]
    pages = sorted((archive / "pages").iterdir())
    # A copy of an article meets its original in one shard and collapses into it.
    shutil.copy(pages[0], archive / "copy-of-first.txt")
    pages[1].unlink()
    changed = pages[2].read_text(encoding="utf-8") + "\nفقرة أضيفت لاحقاً عن الطقس.\n"
    pages[2].write_text(changed, encoding="utf-8")
    result = run_cli("index", archive, "--index", ix)
    assert result.exit_code == 0, result.output
    assert "1 removed" in result.output and "1 updated" in result.output
    stats = cli_json("stats", "--index", ix)
    merged = re.search(r"(\d+) duplicates merged", result.output).group(1)
    s = open_searcher(str(ix))
    try:
        hits = s.search("الطقس", limit=50).hits
        assert any(h.path.endswith(pages[2].name) for h in hits)
        first = s.search('"%s"' % pages[0].read_text(encoding="utf-8").split("\n")[0][:40], limit=50)
    finally:
        s.close()
    # A rebuild of the single index agrees on every count.
    single = tmp_path / "single"
    rebuilt = run_cli("index", archive, "--index", single)
    assert rebuilt.exit_code == 0
    assert cli_json("stats", "--index", single)["articles"] == stats["articles"] > before
    assert re.search(r"(\d+) duplicates merged", rebuilt.output).group(1) == merged
    one = Searcher(str(single))
    try:
        assert first.total == one.search('"%s"' % pages[0].read_text(encoding="utf-8").split("\n")[0][:40]).total
    finally:
        one.close()


def test_an_existing_index_keeps_its_layout(tmp_path):
    archive = os.path.join(CORPUS, "en")
    ix = tmp_path / "ix"
    assert run_cli("index", archive, "--index", ix).exit_code == 0
    refused = run_cli("index", archive, "--index", ix, "--shards", "2")
    assert refused.exit_code == 1 and "single index" in refused.output and "--rebuild" in refused.output
    assert not is_sharded(str(ix))
    assert run_cli("index", archive, "--index", ix, "--shards", "2", "--rebuild").exit_code == 0
    assert is_sharded(str(ix)) and shard_count(str(ix)) == 2
    # Later runs keep two shards without being told; another count asks for a rebuild.
    assert run_cli("index", archive, "--index", ix).exit_code == 0
    assert shard_count(str(ix)) == 2
    other = run_cli("index", archive, "--index", ix, "--shards", "3")
    assert other.exit_code == 1 and "2 shards" in other.output


@pytest.mark.slow
def test_a_shard_whose_segment_fills_up_within_a_batch_keeps_every_article(tmp_path, monkeypatch, corpus_index):
    """A batch's share of a shard can pass a segment's bound on term occurrences (long articles,
    one large file): the segments that filled up are committed too, not only the last."""
    import indexer.batch as batch
    monkeypatch.setattr(batch, "SEGMENT_TERMS", 2000)
    ix = tmp_path / "ix"
    result = run_cli("index", CORPUS, "--index", ix, "--shards", "2", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert cli_json("stats", "--index", ix)["articles"] == cli_json("stats", "--index", corpus_index)["articles"]


@pytest.mark.crash
def test_a_run_killed_between_two_shard_commits_is_finished_by_the_next(tmp_path, monkeypatch):
    from indexer.commit import Shards
    archive = os.path.join(CORPUS, "ar")
    ix = tmp_path / "ix"
    real = Shards.commit
    calls = []

    def dying(self, i, *args, **kwargs):
        calls.append(i)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, i, *args, **kwargs)

    monkeypatch.setattr(Shards, "commit", dying)
    result = run_cli("index", archive, "--index", ix, "--shards", "3")
    assert result.exit_code == 1 and "interrupted" in result.output
    monkeypatch.setattr(Shards, "commit", real)
    result = run_cli("index", archive, "--index", ix)
    assert result.exit_code == 0, result.output
    assert "resumed" in result.output
    single = tmp_path / "single"
    assert run_cli("index", archive, "--index", single).exit_code == 0
    assert cli_json("stats", "--index", ix)["articles"] == cli_json("stats", "--index", single)["articles"]
    assert not os.path.exists(os.path.join(str(ix), "pending.json"))
    assert all(os.path.isdir(d) for d in shard_dirs(str(ix)))


@pytest.mark.crash
def test_files_a_killed_run_left_pending_stay_listed_until_a_run_commits_them(tmp_path, monkeypatch):
    """A run stopped before it has read them again leaves them listed too, whatever its own batches did."""
    from indexer.commit import Shards, read_pending, write_pending
    from indexer.discovery import discover
    archive = tmp_path / "archive"
    shutil.copytree(os.path.join(CORPUS, "ar"), archive)
    ix = tmp_path / "ix"
    assert run_cli("index", archive, "--index", ix, "--shards", "2").exit_code == 0
    files = [full for full, _ in discover([str(archive)])]
    write_pending(str(ix), [files[-1]])            # as a run killed between two shards' commits leaves it
    for full in files[:4]:                          # changed: read before it, in batches of two files
        st = os.stat(full)
        os.utime(full, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    real, batches = Shards.commit_batch, []

    def stopping(self, *args):
        batches.append(args)
        if len(batches) == 2:
            raise KeyboardInterrupt
        return real(self, *args)
    monkeypatch.setattr(Shards, "commit_batch", stopping)
    result = run_cli("index", archive, "--index", ix, "--workers", "1", "--commit-every", "1")
    assert result.exit_code == 1 and "interrupted" in result.output
    assert read_pending(str(ix)) == {files[-1]}
    monkeypatch.setattr(Shards, "commit_batch", real)
    result = run_cli("index", archive, "--index", ix)
    assert result.exit_code == 0 and "3 files read" in result.output, result.output
    assert read_pending(str(ix)) == set()


@pytest.mark.crash
def test_shard_processes_end_when_their_searcher_is_killed(sharded_index):
    import subprocess
    import sys
    script = ("import sys; from search.searcher import Searcher; from search.engine.shard import where\n"
              "if __name__ == '__main__':\n"
              "    s = Searcher(sys.argv[1])\n"
              "    print(' '.join(str(s.engine.places.call(i, where, timeout=120)['pid']) for i in range(3)),"
              " flush=True)\n"
              "    sys.stdin.read()\n")
    proc = subprocess.Popen([sys.executable, "-c", script, sharded_index], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert len(pids) == 3
    finally:
        proc.kill()              # no chance to close its searcher
        proc.wait()
    deadline = time.monotonic() + 30
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.5)
        alive = [p for p in pids if os.path.exists("/proc/%d" % p) and
                 "zombie" not in open("/proc/%d/status" % p).read().lower()]
    assert not alive, "shard processes outlived their searcher: %s" % alive


# ---------------------------------------------------------------- research views

def test_research_views_of_a_sharded_index_are_one_index(sharded, searcher):
    from shard_checks import research_differences
    assert research_differences(searcher, sharded) == []


def test_research_views_are_not_empty_where_they_are_compared(searcher):
    # The comparison above means something only if the views find things in the sample corpus.
    line = searcher.timeline(["الأمم المتحدة", "date:2023"], by="month")
    assert all(s["total"] > 5 and len(s["points"]) > 1 for s in line["series"]) and line["undated_all"] > 0
    dated = searcher.kwic("انتخابات", limit=3, sort="date")
    assert len(dated["lines"]) == 3 and not dated["complete"] and dated["total"] >= 3
    assert searcher.kwic("الأمم", limit=1000, sort="left")["complete"]
    assert len(searcher.forms("انتخابات")["forms"]) > 1


@pytest.mark.slow
def test_research_commands_and_pages_of_a_sharded_index(sharded_index, corpus_index):
    from web.app import create_app
    for args in (("timeline", "الأمم المتحدة", "--vs", "election", "--by", "year", "--csv"),
                 ("kwic", "الأمم", "--sort", "right", "--csv"), ("forms", "انتخابات", "--json"),
                 ("search", "الأمم OR election", "--all", "--format", "jsonl", "--sort", "newest")):
        one, many = run_cli(*args, "--index", corpus_index), run_cli(*args, "--index", sharded_index)
        assert many.exit_code == 0 and many.stderr == one.stderr, many.output
        assert sorted(many.stdout.splitlines()) == sorted(one.stdout.splitlines()) != []
    pages = {}
    for ix in (corpus_index, sharded_index):
        app = create_app(ix)
        try:
            client = app.test_client()
            got = [client.get(u) for u in ("/timeline.csv?q=الأمم&by=year", "/kwic.csv?q=الأمم&sort=left",
                                           "/forms?w=انتخابات", "/timeline?q=الأمم", "/export.jsonl?q=الأمم")]
            assert [r.status_code for r in got] == [200] * 5
            pages[ix] = [r.get_data(as_text=True) for r in got] + [got[-1].headers["X-Akhbar-Total"]]
        finally:
            app.extensions["akhbar"].close()
    one, many = pages[corpus_index], pages[sharded_index]
    assert one[:4] == many[:4] and one[5] == many[5]
    assert sorted(one[4].splitlines()) == sorted(many[4].splitlines())
    assert len(many[4].splitlines()) == int(many[5]) > 5


@pytest.mark.crash
def test_a_dead_shard_process_leaves_research_views_partial_and_labelled(sharded_index):
    from search.views.export import totals_line
    s = Searcher(sharded_index)
    try:
        whole = s.timeline(["الأمم"])
        os.kill(shard_pid(s, 2), signal.SIGKILL)
        part = s.timeline(["الأمم"])
        assert part["partial"] and part["missing"] == ["shard-2"]
        assert part["series"][0]["total"] < whole["series"][0]["total"]
        os.kill(shard_pid(s, 2), signal.SIGKILL)
        data = s.kwic("الأمم", sort="left")
        assert data["partial"] and data["missing"] == ["shard-2"] and data["lines"]
        os.kill(shard_pid(s, 2), signal.SIGKILL)
        assert s.forms("انتخابات")["missing"] == ["shard-2"]
        os.kill(shard_pid(s, 2), signal.SIGKILL)
        export = s.export("الأمم")
        assert export.partial and "shard-2 did not answer" in totals_line(export)
        assert len([h for b in export.batches() for h in b]) == export.total
        again = s.timeline(["الأمم"])
        assert again == whole and again["missing"] == []
    finally:
        s.close()


def test_a_concordance_by_date_does_not_depend_on_the_order_articles_were_stored_in(tmp_path):
    # Three articles of one date: the lines and total must be the archive's, not the build's.
    import json
    records = [{"id": name, "title": "t " + name, "text": "alpha one alpha two", "date": "2020-05-05", "lang": "en"}
               for name in ("a", "b", "c")]
    answers = []
    for order in (records, records[::-1]):
        folder = tmp_path / ("archive-" + order[0]["id"])
        folder.mkdir()
        (folder / "news.jsonl").write_text("".join(json.dumps(r) + "\n" for r in order), encoding="utf-8")
        assert run_cli("index", folder, "--index", folder / "ix", "--workers", "1").exit_code == 0
        one = Searcher(str(folder / "ix"))
        try:
            data = one.kwic("alpha", limit=2, sort="date")
        finally:
            one.close()
        answers.append((data["total"], data["articles_read"], [(x["id"], x["right"]) for x in data["lines"]]))
    assert answers[0] == answers[1] == (6, 3, [("a", " one alpha two"), ("a", " two")])


@pytest.mark.crash
def test_a_shard_process_that_died_while_idle_is_reported_missing_not_raised(sharded_index):
    # Its pool notices the death on its own; the next call must not raise BrokenProcessPool.
    s = Searcher(sharded_index)
    try:
        os.kill(shard_pid(s, 1), signal.SIGKILL)
        time.sleep(2)
        assert s.forms("انتخابات")["missing"] == ["shard-1"]
        assert s.forms("انتخابات")["missing"] == []
    finally:
        s.close()


def _count_asks(monkeypatch):
    """The shards an export had to ask again (search.views.export), as a list filled in as it runs."""
    from search.engine.engine import Engine
    asked = []
    real = Engine.ask

    def ask(self, i, *args, **kwargs):
        asked.append(i)
        return real(self, i, *args, **kwargs)
    monkeypatch.setattr(Engine, "ask", ask)
    return asked


def _exported(export):
    return [h for batch in export.batches() for h in batch]


@pytest.mark.crash
def test_a_shard_process_killed_in_the_middle_of_an_export_is_asked_again(sharded_index, searcher, monkeypatch):
    import search.views.export as export_shards
    from shard_checks import same_ranking
    monkeypatch.setattr(export_shards, "BATCH", 2)
    asked_again = _count_asks(monkeypatch)
    s = Searcher(sharded_index)
    try:
        export = s.export("", sort="newest", lang="ar")
        batches = export.batches()
        got = next(batches)
        os.kill(shard_pid(s, 1), signal.SIGKILL)
        got += [h for batch in batches for h in batch]
    finally:
        s.close()
    whole = _exported(searcher.export("", sort="newest", lang="ar"))
    assert len(got) == export.total == len(whole) > 30 and not export.partial
    assert asked_again == [1]
    assert same_ranking(whole, got, "newest") and {h.id for h in got} == {h.id for h in whole}


def test_an_export_whose_shard_is_gone_for_good_stops_with_a_message(sharded_index, monkeypatch):
    import search.views.export as export_shards
    from transport import PlaceFailed
    from transport.processes import ProcessPlaces
    monkeypatch.setattr(export_shards, "BATCH", 2)
    real, asked = ProcessPlaces.result, []

    def failing(self, i, pending, timeout):
        if i == 1:
            asked.append(i)
            if len(asked) > 1:
                pending.cancel()
                raise PlaceFailed(i, "gone")
        return real(self, i, pending, timeout)

    monkeypatch.setattr(ProcessPlaces, "result", failing)
    result = run_cli("search", "الأمم OR election", "--all", "--format", "csv", "--index", sharded_index)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "the export is incomplete: shard-1 stopped answering after" in result.stderr
    assert 1 < len(result.stdout.splitlines()) < int(result.stderr.split()[0])


class _Recording(Places):
    """A shard's places that record the hits asked of each shard and can lose one shard between the two calls."""

    def __init__(self, inner, lose=None):
        self.inner, self.lose, self.asked = inner, lose, []

    def __len__(self):
        return len(self.inner)

    def submit(self, i, function, *args, **kwargs):
        from search.views.page import HitsCollector
        collector = args[0]
        if isinstance(collector, HitsCollector):
            self.asked.append((i, len(collector.chosen[i])))
            if i == self.lose:
                args = (HitsCollector("forgotten", collector.chosen),)
        return self.inner.submit(i, function, *args, **kwargs)

    def result(self, i, pending, timeout):
        return self.inner.result(i, pending, timeout)

    def close(self):
        self.inner.close()


class _RecordingProcesses(LocalProcesses):
    def places(self, opener, n, passes=()):
        self.recording = _Recording(super().places(opener, n, passes))
        return self.recording


def test_only_the_hits_shown_are_made_and_a_shard_lost_in_between_is_named(sharded_index, searcher):
    transport = _RecordingProcesses()
    s = Searcher(sharded_index, transport=transport)
    shards = transport.recording
    try:
        whole = s.search("الأمم المتحدة", page=2, limit=3)
        assert whole.total > 6 and len(whole.hits) == 3 and not whole.partial
        # Each shard found its best 6, but stored fields and snippets were made for the 3 shown only.
        assert sum(n for _, n in shards.asked) == 3
        assert same_ranking(whole.hits, searcher.search("الأمم المتحدة", page=2, limit=3).hits)
        shards.lose = shards.asked[0][0]
        part = s.search("الأمم المتحدة", page=2, limit=3)
        assert part.partial and part.missing == ["shard-%d" % shards.lose]
        assert part.total == whole.total            # every shard had counted before one was lost
        assert [h.id for h in part.hits] == [h.id for h in whole.hits if h.id in {x.id for x in part.hits}]
        assert len(part.hits) < 3
    finally:
        s.close()


@pytest.mark.slow
def test_research_views_of_a_sharded_index_keep_the_time_limit(sharded_index):
    # No time at all: every view answers at once, saying it is partial, with nothing missing.
    for args in (("timeline", "الأمم"), ("kwic", "الأمم"), ("forms", "انتخابات"),
                 ("search", "الأمم", "--all", "--format", "jsonl")):
        result = run_cli(*args, "--time-limit", "0", "--index", sharded_index)
        assert result.exit_code == 0 and "Traceback" not in result.output, result.output
        assert "partial" in result.stderr and "did not answer" not in result.stderr, result.stderr


def test_names_are_judged_on_the_same_articles_however_they_are_numbered(sharded_index, searcher, monkeypatch):
    # A sharded archive numbers its articles shard by shard: the sample a name's
    # capitalisation is judged on must not depend on that.  The sample is made
    # small, so that the sample corpus's words are in more articles than it holds.
    monkeypatch.setattr("search.query.variants.SAMPLE_ARTICLES", 3)
    from search.engine.archive import Archive
    from search.query.variants import NameVariants
    one = searcher.engine.local().searcher().reader()
    many = Archive(shard_dirs(sharded_index)).reader()

    def sampled(reader, word):
        names = NameVariants(reader, lambda words: words, None, {})
        return sorted(reader.stored_fields(d)["id"] for d in names._sample(word).tolist())
    chosen = 0
    for word in ("election", "trump", "paris", "the", "and", "москва"):
        a, b = sampled(one, word), sampled(many, word)
        assert a == b, word
        # A word in more articles than the sample is one where the choice matters.
        chosen += max(one.doc_frequency(f, word) for f in ("title_exact", "body_exact")) > len(a) > 0
    assert chosen
