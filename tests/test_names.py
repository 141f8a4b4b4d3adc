"""Names across spellings and scripts, and exact matching with ``=``, on the sample corpus.

Corpus articles 61-65 (corpus/MANIFEST.md, D15) write one invented name in
three scripts and Norway in four languages; article 61 writes كَتَبَ with its
harakat and article 62 الكُتُب.
"""
import re

import pytest

from indexer.analysis.marks import carries, marked_form, written_terms
from indexer.analysis.translit import arabic_spellings, compatible, signature

from helpers import cli_json, run_cli

AR_1 = "madar-2024-0917-svalbard-glaciers"      # كولبيك, لكولبيك, كَتَبَ
AR_2 = "shorouk-2024-1002-kolbeck-lecture"      # كولبك, الكُتُب
EN_TITLE = "Svalbard glaciers retreating faster than forecast, Kolbeck report says"
RU_TITLE = "Ледники Шпицбергена тают быстрее прогнозов, говорится в докладе Кольбека"
FR_TITLE = "Svalbard : les glaciers reculent plus vite que prévu selon le rapport Kolbeck"
KOLBECK_ARTICLES = {AR_1, AR_2, EN_TITLE, RU_TITLE, FR_TITLE}


def found(results):
    """Arabic articles by id (stable), the others by title (their ids are file paths)."""
    return {h.id if h.lang == "ar" else h.title for h in results.hits}


def variant_forms(results):
    return {v["form"] for e in results.expansions for v in e["variants"]}


@pytest.mark.parametrize("typed", ["كولبيك", "Kolbeck", "Кольбек"])
def test_a_name_typed_in_any_script_finds_all_three_scripts(searcher, typed):
    r = searcher.search(typed, limit=20)
    assert found(r) == KOLBECK_ARTICLES
    assert {"kolbeck", "кольбек", "كولبك", "كولبيك"} - {typed.lower()} <= variant_forms(r) | {"кольбек"}


def test_russian_case_forms_and_arabic_proclitics_are_part_of_the_variants(searcher):
    r = searcher.search("Kolbeck", limit=20)
    terms = {t for e in r.expansions for v in e["variants"] for t in v["terms"]}
    assert "لكولبيك" in terms                  # proclitic form present in article 61
    ru = [v for e in r.expansions for v in e["variants"] if v["script"] == "cyrillic"]
    # Кольбека is a variant term; Кольбеку (used once) is found through the Russian stem.
    assert ru and {"кольбек", "кольбека"} <= set(ru[0]["terms"])
    assert RU_TITLE in found(r)


def test_no_variants_matches_only_the_typed_form(searcher):
    assert found(searcher.search("Kolbeck", limit=20, variants=False)) == {EN_TITLE, FR_TITLE}
    off = searcher.search("كولبيك", limit=20, variants=False)
    assert found(off) == {AR_1} and off.expansions == []


def test_a_dropped_variant_no_longer_matches(searcher):
    r = searcher.search("Kolbeck", limit=20, drop_variants=("كولبك",))
    assert AR_2 not in found(r) and AR_1 in found(r)
    dropped = [v for e in r.expansions for v in e["variants"] if v["form"] == "كولبك"]
    assert dropped and dropped[0]["used"] is False


def test_cldr_names_a_place_in_every_language(searcher):
    r = searcher.search("النرويج", limit=20)
    assert {"norway", "norvège", "норвегия"} <= variant_forms(r)
    assert r.expansions[0]["evidence"] == "CLDR"
    assert {EN_TITLE, FR_TITLE, RU_TITLE} <= found(r)     # Норвегии: a case form, through the stem


@pytest.mark.parametrize("word", ["قال", "الجليد", "glaciers", "report", "ледники", "forecast", "النرويجية"])
def test_common_words_are_not_expanded(searcher, word):
    assert searcher.search(word).expansions == []


def test_variants_never_outweigh_a_common_typed_form(searcher):
    # كولبيك (typed) and كولبك are as common as each other: the typed form's article ranks first.
    r = searcher.search("كولبيك", limit=20)
    assert r.hits[0].id == AR_1


def test_explain_and_json_show_the_variants_with_counts(corpus_index):
    out = run_cli("search", "Kolbeck", "--index", corpus_index, "--explain").output
    line = [l for l in out.splitlines() if l.startswith("name variants of kolbeck")]
    assert line and re.search(r"кольбек \d", line[0]) and re.search(r"كولبك \d", line[0])
    data = cli_json("search", "Kolbeck", "--index", corpus_index)
    entry = data["expansions"][0]
    assert entry["word"] == "kolbeck" and entry["articles"] == 2
    assert {v["form"]: v["articles"] for v in entry["variants"]}["كولبك"] == 1
    off = cli_json("search", "Kolbeck", "--index", corpus_index, "--no-variants")
    assert off["expansions"] == [] and off["total"] == 2


def test_the_page_lists_variants_with_links_that_drop_them(corpus_index):
    from web.app import create_app
    client = create_app(corpus_index).test_client()
    html = client.get("/?q=Kolbeck").get_data(as_text=True)
    assert 'class="variants"' in html and "كولبك" in html
    drop = re.search(r'<a href="([^"]*drop=[^"]*)" class="drop-variant"', html)
    assert drop and "<script" not in html
    dropped = client.get(drop.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "restore-variant" in dropped
    off = re.search(r'<a href="([^"]*variants=0[^"]*)" class="variants-off"', html)
    page_off = client.get(off.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "drop-variant" not in page_off and "variants-on" in page_off
    assert "2</strong> articles" in page_off
    assert client.get("/?q=Kolbeck&variants=maybe").status_code == 400


def test_exact_word_is_not_stemmed_nor_expanded(searcher):
    assert EN_TITLE in found(searcher.search("present", limit=50))      # presented, presentation
    assert EN_TITLE not in found(searcher.search("=present", limit=50))
    r = searcher.search("=كولبيك", limit=20)
    assert found(r) == {AR_1} and r.expansions == []


def test_exact_word_with_harakat_needs_them_on_the_article_word(searcher):
    assert {AR_1, AR_2} <= found(searcher.search("كتب", limit=50))
    assert found(searcher.search("=كَتَبَ", limit=50)) == {AR_1}
    assert found(searcher.search("=كَتَب", limit=50)) == {AR_1}         # fewer marks: still carried
    assert found(searcher.search("=كُتُب", limit=50)) == set()          # no article writes it so
    assert found(searcher.search("=الكُتُب", limit=50)) == {AR_2}
    assert found(searcher.search('="كما كَتَبَ"', limit=50)) == {AR_1}
    assert found(searcher.search('="كما كُتِبَ"', limit=50)) == set()


def test_exact_syntax_reads_sensibly(searcher):
    r = searcher.search("=Kolbeck")
    assert r.interpretation.startswith("=kolbeck")
    for q in ("=", "= =", "=)", '="', "title:=", "a = b"):
        searcher.search(q)                   # read without an error


def test_sound_rules_keep_names_apart():
    assert compatible(signature("بوش"), signature("bush"))
    assert not compatible(signature("بوش"), signature("buschmann"))
    assert compatible(signature("ترمب"), signature("trump"))
    assert compatible(signature("трамп"), signature("trump"))
    assert compatible(signature("putin"), signature("poutine"))
    assert not compatible(signature("بوتين"), signature("béthune"))     # و is not é
    assert not compatible(signature("bush"), signature("beach"))
    assert "ترامب" in arabic_spellings(signature("trump"))


def test_written_terms_keep_each_spelling_normalisation_changes():
    assert written_terms("كتب الولد Trump") == set()
    assert written_terms("كَتَبَ الولدُ") == {"كتب=كَتَبَ", "الولد=الولدُ"}
    # Written both ways in one text: the plain spelling is kept beside the other.
    assert written_terms("الإنتخابات ثم الانتخابات والانتخابات") == {"الانتخابات=الإنتخابات", "الانتخابات=الانتخابات"}
    assert written_terms("المتحدة") == {"المتحده=المتحدة"}
    assert carries(marked_form("كَتَب"), marked_form("كَتَبَ"))
    assert not carries(marked_form("كُتُب"), marked_form("كَتَبَ"))


def test_a_sharded_index_expands_names_and_turns_them_off(tmp_path_factory):
    from search.searcher import open_searcher
    from helpers import build_corpus
    s = open_searcher(build_corpus(tmp_path_factory, "names-sharded", "--shards", "2"))
    try:
        on = s.search("Kolbeck", limit=20)
        assert found(on) == KOLBECK_ARTICLES and on.expansions
        off = s.search("Kolbeck", limit=20, variants=False)
        assert found(off) == {EN_TITLE, FR_TITLE} and off.expansions == []
    finally:
        s.close()
