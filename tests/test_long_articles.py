"""A very long article costs a results page and its own page no more than a
bounded part of it: the page shows MAX_ARTICLE_CHARS and says what is left out."""
import re

import pytest
from bs4 import BeautifulSoup

from helpers import run_cli
from search.engine.shard import MAX_ARTICLE_CHARS
from search.searcher import Searcher
from search.snippets import Matcher, snippet
from web.app import create_app

PARAGRAPH = ("يعمل المزارعون في الحقول منذ الفجر ويجمعون المحصول قبل المطر ثم يبيعونه في السوق "
             "القريب من القرية الصغيرة على ضفة النهر. ") * 6
LONG = 900_000          # under the indexer's cap on one article


@pytest.fixture(scope="module")
def long_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("long")
    paragraphs = []
    while sum(len(p) + 2 for p in paragraphs) < LONG:
        paragraphs.append(PARAGRAPH)
    paragraphs.insert(3, "ويشتهر الزيتون في هذه القرية بجودته.")
    paragraphs.append("وفي الختام عاد الحديث إلى الزيتون مرة أخرى.")
    (folder / "long-olive.txt").write_text("مقال طويل عن الحقول والزيتون\n\n" + "\n\n".join(paragraphs),
                                           encoding="utf-8")
    (folder / "short.txt").write_text("مقال قصير\n\nالزيتون والزيت في السوق.", encoding="utf-8")
    index_dir = folder / "ix"
    result = run_cli("index", folder, "--index", index_dir)
    assert result.exit_code == 0, result.output
    return str(index_dir)


def test_the_article_page_shows_a_bounded_part_and_says_how_much_is_left(long_index):
    app = create_app(long_index)
    try:
        client = app.test_client()
        page = BeautifulSoup(client.get("/", query_string={"q": "الزيتون"}).get_data(as_text=True),
                             "html.parser")
        link = [a["href"] for a in page.select("li.hit h2 a") if "long-olive" in a["href"]][0]
        r = client.get(link)
        assert r.status_code == 200
        html = r.get_data(as_text=True)
    finally:
        app.extensions["akhbar"].close()
    article = BeautifulSoup(html, "html.parser")
    shown = sum(len(p.get_text()) for p in article.select(".body p"))
    assert MAX_ARTICLE_CHARS - 1000 <= shown <= MAX_ARTICLE_CHARS
    assert len(html) < 3 * MAX_ARTICLE_CHARS
    note = article.select_one(".omitted").get_text()
    omitted = int(re.search(r"[\d,]+", note).group().replace(",", ""))
    assert "long-olive.txt" in note and omitted + shown >= LONG - 10_000
    assert article.select(".body mark")                     # the early mention is still marked


def test_a_short_article_says_nothing_is_left_out(long_index):
    s = Searcher(long_index)
    try:
        hit = [h for h in s.search("الزيتون").hits if "short" in h.path][0]
        page = s.article(hit.id, "الزيتون")
    finally:
        s.close()
    assert page.omitted == 0 and page.marks >= 1


def test_a_snippet_reads_a_bounded_start_of_the_text():
    matcher = Matcher({"الزيتون"}, set())
    text = PARAGRAPH * 2000 + " الزيتون"
    assert not snippet(text, matcher).spans           # a mention past the scanned part is not looked for
    assert snippet("الزيتون " + text, matcher).spans


def test_more_like_this_reads_a_bounded_part_of_the_article(long_index, monkeypatch):
    import search.views.similar as similar_module
    asked = []
    real = similar_module.index_terms
    monkeypatch.setattr(similar_module, "index_terms", lambda text, lang=None: asked.append(len(text)) or
                        real(text, lang))
    s = Searcher(long_index)
    try:
        hit = [h for h in s.search("الزيتون").hits if "long-olive" in h.path][0]
        s.similar(hit.id)
    finally:
        s.close()
    assert asked and max(asked) <= similar_module.CHARS_READ
