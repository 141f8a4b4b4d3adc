"""search.engine.table.ArticleTable holds, as arrays, what the stored fields say of each article."""
from helpers import one_shard
from collections import Counter, defaultdict

import numpy as np

from search.engine.table import ArticleTable


def test_table_facts_match_the_stored_fields(searcher):
    s = one_shard(searcher).searcher()
    reader = s.reader()
    table = ArticleTable(reader)
    copies = defaultdict(list)
    for d, stored in reader.iter_docs():
        assert table.lang(d) == stored.get("lang")
        assert sorted(table.sources(d)) == sorted(stored.get("sources") or [])
        copies[stored["dupkey"]].append(d)
    groups = [ids for ids in copies.values() if len(ids) > 1]
    assert groups, "the bundled corpus should hold duplicates"
    for ids in groups:
        for d in ids:
            assert table.others(d) == [o for o in ids if o != d]
    everything = np.arange(reader.doc_count_all())
    distinct = table.distinct(everything)
    assert len(distinct) == reader.doc_count_all() - sum(len(ids) - 1 for ids in groups)
    assert all(min(ids) in distinct for ids in groups)
    # Collapsing keeps the first copy met, in the order given.
    reverse = table.collapse(everything[::-1])
    assert all(max(ids) in reverse and min(ids) not in reverse for ids in groups)


def test_facets_count_each_article_once_under_all_its_copies_sources(searcher):
    s = one_shard(searcher).searcher()
    reader = s.reader()
    table = ArticleTable(reader)
    stored = dict(reader.iter_docs())
    members = defaultdict(list)
    for d, f in stored.items():
        members[f["dupkey"]].append(d)
    expected_sources, expected_langs = Counter(), Counter()
    for ids in members.values():
        names = {name for d in ids for name in stored[d].get("sources") or []}
        expected_sources.update(names)
        expected_langs[stored[min(ids)].get("lang")] += 1
    counts = table.facets(table.distinct(np.arange(reader.doc_count_all())))
    assert counts["source"] == {k: v for k, v in expected_sources.items() if k}
    assert counts["lang"] == {k: v for k, v in expected_langs.items() if k}
    assert sum(counts["month"].values()) <= len(members)


def test_date_order_puts_undated_articles_last_both_ways(searcher):
    table = one_shard(searcher).table()
    docs = np.arange(table.size)
    for newest in (True, False):
        ordered = table.by_date(docs, newest)
        dated = [d for d in ordered if table.dated[d]]
        assert ordered[:len(dated)] == dated
        keys = [(int(table.date[d]), int(table.order[d]), d) for d in dated]
        assert keys == sorted(keys, reverse=newest)
