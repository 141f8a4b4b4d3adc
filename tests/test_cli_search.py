"""`akhbar search` and `akhbar similar` as a user calls them, over corpus/."""
import html

import pytest

from helpers import cli_json, run_cli

OLIVE_AR = "ar/pages/tunisia-olive-oil-exports.txt"
OLIVE_EN = "en/tunisia-olive-oil-drought.txt"
SFAX_AR = "ar/pages/municipal-elections-sfax.txt"


def search(index, *args):
    return cli_json("search", *args, "--index", index)


def ids(data):
    return [h["id"] for h in data["hits"]]


def test_free_words_rank_the_article_first(corpus_index):
    assert ids(search(corpus_index, "صادرات زيت الزيتون التونسي"))[0] == OLIVE_AR


@pytest.mark.parametrize("query", ['"زيت الزيتون"', "«زيت الزيتون»", "“زيت الزيتون”", '"زَيْتِ الزَّيْتُونِ"'])
def test_phrases_in_any_quotes_and_with_diacritics(corpus_index, query):
    data = search(corpus_index, query)
    assert OLIVE_AR in ids(data)
    # "زيت" alone also occurs in the Sfax article, but not followed by "الزيتون".
    assert SFAX_AR not in ids(data)


def test_phrase_keeps_word_order(corpus_index):
    assert OLIVE_AR not in ids(search(corpus_index, '"الزيتون زيت"'))


@pytest.mark.parametrize("query", ["زيت OR انتخابات", "زيت أو انتخابات"])
def test_or(corpus_index, query):
    found = set(ids(search(corpus_index, query, "--limit", 50)))
    assert {OLIVE_AR, SFAX_AR} <= found


def test_and_and_plus(corpus_index):
    both = ids(search(corpus_index, "زيت AND الجفاف"))
    assert OLIVE_AR in both and SFAX_AR not in both
    assert ids(search(corpus_index, "+زيت +الجفاف")) == both


@pytest.mark.parametrize("query", ["زيت NOT القيروان", "زيت ليس القيروان", "زيت -القيروان", 'زيت -"زيت الزيتون"'])
def test_not(corpus_index, query):
    found = ids(search(corpus_index, query))
    assert SFAX_AR in found and OLIVE_AR not in found


def test_parentheses(corpus_index):
    found = ids(search(corpus_index, "(الزيتون OR الانتخابات) AND عقارب", "--limit", 50))
    assert SFAX_AR in found and OLIVE_AR not in found


@pytest.mark.parametrize("query", ["title:الزيتون", "عنوان:الزيتون"])
def test_title_field(corpus_index, query):
    data = search(corpus_index, query)
    assert OLIVE_AR in ids(data)
    assert all("زيتون" in h["title"] for h in data["hits"])


@pytest.mark.parametrize("field", ["source", "مصدر"])
def test_source_field(corpus_index, field):
    data = search(corpus_index, "%s:الشروق" % field, "--limit", 100)
    assert data["total"] > 0
    assert all(any("الشروق" in s for s in h["sources"]) for h in data["hits"])


@pytest.mark.parametrize("query", ["lang:en", "لغة:en", "lang:english", "لغة:الانجليزية"])
def test_lang_field(corpus_index, query):
    data = search(corpus_index, query, "--limit", 100)
    assert OLIVE_EN in ids(data)
    assert {h["lang"] for h in data["hits"]} == {"en"}


@pytest.mark.parametrize("query,month", [
    ("date:2024-10", "2024-10"), ("تاريخ:٢٠٢٤-١٠", "2024-10"),
    ("date:2024-10-01..2024-10-31", "2024-10"),
])
def test_date_field(corpus_index, query, month):
    data = search(corpus_index, query, "--limit", 100)
    assert OLIVE_AR in ids(data)
    assert set(data["facets"]["month"]) == {month}


def test_open_date_ranges(corpus_index):
    before = search(corpus_index, "date:..2023", "--limit", 100)
    after = search(corpus_index, "date:2024..", "--limit", 100)
    assert all(h["date"] < "2024" for h in before["hits"])
    assert all(h["date"] >= "2024" for h in after["hits"])
    assert OLIVE_AR in ids(after)


def test_prefix(corpus_index):
    data = search(corpus_index, "الزيتو*", "--explain")
    assert OLIVE_AR in ids(data)


def test_fuzzy_finds_a_misspelled_word(corpus_index):
    assert ids(search(corpus_index, "صفاقص")) == []
    assert SFAX_AR in ids(search(corpus_index, "صفاقص~"))


@pytest.mark.parametrize("query", ['"', "(", ")", "AND", "OR", "NOT", "-", "+", "((زيت", "زيت))",
                                   "foo:bar", "title:", "*", "~", "في من على", "زيت " * 2500,
                                   "(" * 3000])
def test_malformed_queries_never_fail(corpus_index, query):
    result = run_cli("search", query, "--index", corpus_index, "--explain")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "query read as:" in result.output


@pytest.mark.parametrize("query,message", [
    ("date:2018-13", "not a real date"),
    ("date:yesterday", "cannot read the date"),
    ("lang:klingon", "not a language"),
])
def test_unreadable_filters_get_a_clear_message(corpus_index, query, message):
    result = run_cli("search", query, "--index", corpus_index)
    assert result.exit_code == 1
    assert message in result.output and "akhbar search --help" in result.output


def test_long_query_says_it_was_cut(corpus_index):
    data = search(corpus_index, "زيت " * 2500)
    assert "cut" in data["interpretation"]
    assert OLIVE_AR in ids(data)


def test_time_limit_marks_results_partial(corpus_index):
    data = search(corpus_index, "زيت", "--time-limit", "0")
    assert data["partial"] is True
    text = run_cli("search", "زيت", "--time-limit", "0", "--index", corpus_index).output
    assert "partial" in text
    assert search(corpus_index, "زيت")["partial"] is False


def test_options_filter(corpus_index):
    data = search(corpus_index, "olive OR زيت", "--lang", "en")
    assert ids(data) == [OLIVE_EN]
    data = search(corpus_index, "زيت", "--source", "الشروق")
    assert ids(data) == [SFAX_AR]
    data = search(corpus_index, "زيت", "--from", "2024-01", "--to", "2024-12")
    assert ids(data) == [OLIVE_AR]


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_date_sorts_put_undated_articles_last(corpus_index, sort):
    data = search(corpus_index, "lang:en OR lang:ar", "--sort", sort, "--limit", 1000)
    dates = [h["date"] for h in data["hits"]]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=(sort == "newest"))
    assert None in dates and dates.index(None) == len(dated)
    assert len(ids(data)) == data["total"]


def test_facets_count_the_whole_result_set(corpus_index):
    data = search(corpus_index, "lang:ar", "--limit", 1)
    assert len(data["hits"]) == 1 and data["total"] > 1
    assert data["facets"]["lang"] == {"ar": data["total"]}
    assert sum(data["facets"]["month"].values()) <= data["total"]
    assert sum(data["facets"]["source"].values()) >= 1


def test_facets_in_the_terminal_output(corpus_index):
    out = run_cli("search", "زيت", "--index", corpus_index).output
    assert "languages: ar 2" in out
    assert "months:" in out and "2024-10 1" in out
    assert "sources:" in out


def test_paging_is_consistent(corpus_index):
    whole = search(corpus_index, "lang:ar", "--limit", 10)
    first = search(corpus_index, "lang:ar", "--limit", 5, "--page", 1)
    second = search(corpus_index, "lang:ar", "--limit", 5, "--page", 2)
    assert ids(first) + ids(second) == ids(whole)
    assert first["total"] == second["total"] == whole["total"]
    assert first["pages"] == -(-first["total"] // 5)
    last = search(corpus_index, "lang:ar", "--limit", 5, "--page", first["pages"])
    assert len(last["hits"]) == first["total"] - 5 * (first["pages"] - 1)


def test_page_past_the_end(corpus_index):
    out = run_cli("search", "زيت", "--page", 50, "--index", corpus_index).output
    assert "past the last page" in out


def test_duplicates_are_collapsed_into_one_hit(corpus_index):
    data = search(corpus_index, "البنوك تحذر عملاءها من رسائل تصيد", "--limit", 50)
    titles = [h["title"] for h in data["hits"]]
    assert len(titles) == len(set(titles))
    top = data["hits"][0]
    assert "تصيد" in top["title"] and len(top["also"]) == 1
    assert top["also"][0]["id"] != top["id"]
    # The total counts the article once, as the hits do.
    assert data["total"] == len(data["hits"])


def test_snippet_plain_and_marked(corpus_index):
    hit = search(corpus_index, "زيت الزيتون")["hits"][0]
    assert "<mark>" not in hit["snippet"]
    assert "<mark>الزيتون</mark>" in hit["snippet_html"]
    assert "زيت الزيتون" in hit["snippet"]


def test_snippet_keeps_the_diacritics_of_the_original(corpus_index):
    hit = search(corpus_index, "الوطن", "--lang", "ar")
    marked = [h for h in hit["hits"] if "الوَطَنُ" in h["snippet"]]
    assert marked, [h["snippet"] for h in hit["hits"]]
    assert "<mark>الوَطَنُ</mark>" in marked[0]["snippet_html"]


def test_snippet_html_is_escaped(corpus_index):
    # The French article writes "l'économie": its apostrophe must reach the HTML escaped.
    hits = search(corpus_index, "économie", "--lang", "fr")["hits"]
    hit = [h for h in hits if "l'économie" in h["snippet"]][0]
    assert "l&#x27;<mark>économie</mark>" in hit["snippet_html"]
    assert "<" not in hit["snippet_html"].replace("<mark>", "").replace("</mark>", "")
    assert html.unescape(hit["snippet_html"].replace("<mark>", "").replace("</mark>", "")) == hit["snippet"]


def test_terminal_output_is_plain_when_piped(corpus_index):
    out = run_cli("search", "زيت", "--index", corpus_index).output
    assert "\x1b[" not in out
    assert "1. " in out and OLIVE_AR in out


@pytest.mark.parametrize("query,expected", [
    ("olive drought", OLIVE_EN),
    ("тимбукту", "ru/ermitazh-rukopisi-timbuktu.txt"),
    ("выставка рукописи", "ru/ermitazh-rukopisi-timbuktu.txt"),       # inflected differently
    ("barrage dessalement",
     "https://courrier-maghreb.example/environnement/2024/03/14/barrages-souss-massa"),  # French stems
])
def test_other_languages(corpus_index, query, expected):
    assert ids(search(corpus_index, query))[0] == expected


def test_french_query_finds_french_articles(corpus_index):
    data = search(corpus_index, "rançongiciel hôpital")
    assert data["hits"][0]["lang"] == "fr" and "Irbid" in data["hits"][0]["title"]


def test_mixed_query_finds_both_languages(corpus_index):
    found = ids(search(corpus_index, "زيت olive"))
    assert OLIVE_AR in found and OLIVE_EN in found


@pytest.mark.parametrize("query,suggestion", [
    ("صفاقص", "صفاقس"),          # wrong letter
    ("تونسس", "تونس"),            # extra letter
    ("الزيون التونسي", "الزيتون التونسي"),   # missing letter
])
def test_did_you_mean(corpus_index, query, suggestion):
    data = search(corpus_index, query)
    assert data["suggestion"] == suggestion
    assert search(corpus_index, suggestion)["total"] > data["total"]
    out = run_cli("search", query, "--index", corpus_index).output
    assert "did you mean: %s" % suggestion in out


def test_no_suggestion_when_the_query_is_fine(corpus_index):
    assert search(corpus_index, "زيت الزيتون")["suggestion"] is None


def test_hamza_and_teh_marbuta_variants_need_no_suggestion(corpus_index):
    plain = search(corpus_index, "الاسعار العالميه")
    assert OLIVE_AR in ids(plain) and plain["suggestion"] is None


def test_batch_trec_ranks_as_interactive(corpus_index, tmp_path):
    queries = ["صادرات زيت الزيتون", "olive drought", "الانتخابات البلدية"]
    f = tmp_path / "q.tsv"
    f.write_text("".join("q%d\t%s\n" % (i, q) for i, q in enumerate(queries)), encoding="utf-8")
    out = run_cli("search", "--batch", f, "--format", "trec", "--limit", 5, "--index", corpus_index).output
    run = {}
    for line in out.splitlines():
        qid, _, docid, rank, score, tag = line.split()
        run.setdefault(qid, []).append(docid)
    for i, q in enumerate(queries):
        assert run["q%d" % i] == ids(search(corpus_index, q, "--limit", 5))


def test_similar_lists_related_articles(corpus_index):
    # The cup final and the transfer story share a club and a player.
    final = "ar/pages/arab-club-cup-final-tangier.txt"
    data = cli_json("similar", final, "--index", corpus_index, "--limit", 3)
    found = [h["id"] for h in data["similar"]]
    assert final not in found and 0 < len(found) <= 3
    assert "shorouk-2023-0709-guermadi-transfer" in found


def test_similar_excludes_copies_of_the_article(corpus_index):
    data = cli_json("similar", "ar/pages/banks-phishing-warning.txt", "--index", corpus_index)
    found = [h["id"] for h in data["similar"]]
    assert "khaleej-2024-0417-banks-phishing" not in found


def test_similar_unknown_id(corpus_index):
    result = run_cli("similar", "no-such-article", "--index", corpus_index)
    assert result.exit_code == 1 and "no article with id" in result.output


def test_similar_text_output(corpus_index):
    """The human listing names the article it started from."""
    out = run_cli("similar", OLIVE_AR, "--index", corpus_index).output
    assert "articles like %s" % OLIVE_AR in out


def test_help_documents_the_syntax():
    out = run_cli("search", "--help").output
    for piece in ("«…»", "أو", "ليس", "عنوان:", "مصدر:", "لغة:", "وسم:", "تاريخ:", "word*", "word~",
                  "date:2018-03-01..2018-04-15"):
        assert piece in out, piece


@pytest.mark.parametrize("query", ["tag:تونس", "وسم:تونس"])
def test_tag_field(corpus_index, query):
    found = ids(search(corpus_index, query))
    assert OLIVE_AR in found and "khaleej-2023-0611-sfax-desalination" in found
    assert OLIVE_EN not in found


def test_tag_phrase_is_spelling_insensitive(corpus_index):
    found = ids(search(corpus_index, 'tag:"الامن السيبراني"'))
    assert "khaleej-2024-0417-banks-phishing" in found


@pytest.mark.slow
def test_loading_a_large_index_does_not_eat_the_time_limit(corpus_index, monkeypatch):
    """A newly opened index builds its tables once; that must not count as matching time.

    On the full 31,525-article archive the first search of a process spent
    more than the 5 s limit building them and came back empty and "partial".
    """
    import time

    import search.engine.shard as searcher_module
    from search.searcher import Searcher

    real_table = searcher_module.ArticleTable

    # Loading takes longer than the whole limit; the limit is still ample
    # for the search itself on a busy machine.
    def slow_table(reader):
        time.sleep(2.5)
        return real_table(reader)

    monkeypatch.setattr(searcher_module, "ArticleTable", slow_table)
    s = Searcher(corpus_index, time_limit=2.0)
    try:
        results = s.search("زيت الزيتون")
    finally:
        s.close()
    assert results.partial is False
    assert OLIVE_AR in [h.id for h in results.hits]
