"""search.searcher: what Searcher.article and Searcher.similar hand the faces."""
from indexer.analysis import normalize_word, query_stems
from search.engine.shard import paragraphs

UN = "الأمم المتحدة"
BANKS = "khaleej-2024-0417-banks-phishing"     # corpus/MANIFEST.md D12: filed twice


def test_article_paragraphs_split_at_blank_lines_or_else_at_line_ends():
    assert paragraphs("one\nstill one\n\ntwo\n\n\n") == ["one\nstill one", "two"]
    assert paragraphs("one\ntwo\r\nthree") == ["one", "two", "three"]
    assert paragraphs(None) == []


def test_an_article_comes_with_the_query_words_marked(searcher):
    hit = searcher.search(UN, limit=1).hits[0]
    page = searcher.article(hit.id, UN)
    assert page.article.id == hit.id and page.title.text == hit.title
    marked = [p.text[s:e] for p in [page.title] + page.paragraphs for s, e in p.spans]
    assert marked and page.marks == len(marked)
    assert {"الأمم", "المتحدة"} <= set(marked)
    wanted = {s for w in UN.split() for s in query_stems(normalize_word(w))}
    assert all(wanted & set(query_stems(normalize_word(w))) for w in marked), marked
    assert "\n\n".join(p.text for p in page.paragraphs) in page.article.body.replace("\r\n", "\n")


def test_without_a_query_or_with_an_unreadable_one_nothing_is_marked(searcher):
    hit = searcher.search(UN, limit=1).hits[0]
    for q in ("", "date:2099-13", "lang:xx"):
        assert searcher.article(hit.id, q).marks == 0, q


def test_an_article_lists_its_other_copies_and_its_neighbours(searcher):
    page = searcher.article(BANKS)
    assert len(page.copies) == 1 and page.copies[0].id != BANKS
    assert page.copies[0].path and page.copies[0].sources
    assert page.similar and BANKS not in {h.id for h in page.similar}
    assert page.copies[0].id not in {h.id for h in page.similar}
    assert [h.id for h in page.similar] == [h.id for h in searcher.similar(BANKS, limit=5)]


def test_a_hit_carries_the_same_copies_as_the_article(searcher):
    hit = [h for h in searcher.search("رسائل تصيد البنوك").hits if h.id == BANKS or h.also][0]
    page = searcher.article(hit.id)
    assert hit.also == page.copies


def test_unknown_ids_give_none(searcher):
    assert searcher.article("no/such/article") is None
    assert searcher.similar("no/such/article") is None


def test_warming_builds_the_sound_table_of_names_before_the_first_query(corpus_index):
    import threading
    from search.searcher import Searcher
    s = Searcher(corpus_index)
    try:
        assert not any(shared.get("table") for shared in s.engine.archive._variants.values())
        s.warm()
        for t in threading.enumerate():
            if t.name == "akhbar-names":
                t.join(timeout=120)
        tables = [shared.get("table") for shared in s.engine.archive._variants.values()]
        assert len(tables) == 1 and tables[0]      # the sample has Latin and Cyrillic names
    finally:
        s.close()
