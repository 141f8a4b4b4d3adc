"""The results page through Flask's test client, read as parsed HTML."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from web.app import create_app
from search.results import Marked
from web.display import marked_html, month_label, readable_date, text_dir, web_url

UN = "الأمم المتحدة"                     # 12 Arabic articles in corpus/: two pages
MIXED = "election OR élections OR выборы OR الانتخابات"   # ar, en, fr and ru articles on one page
ARABIC_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
                 "أكتوبر", "نوفمبر", "ديسمبر"]


@pytest.fixture(scope="module")
def app(corpus_index):
    app = create_app(corpus_index)
    yield app
    app.extensions["akhbar"].close()


@pytest.fixture()
def get(app):
    client = app.test_client()

    def fetch(path, query_string=None, status=200):
        r = client.get(path, query_string=query_string)
        assert r.status_code == status, (path, query_string, r.status_code)
        assert r.mimetype == "text/html" or path.startswith("/static/")
        return BeautifulSoup(r.get_data(as_text=True), "html.parser")

    return fetch


def hits(page):
    return page.select("ol.hits > li.hit")


def params(href):
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def total(page):
    return int(page.select_one(".summary .count strong").get_text().replace(",", ""))


# ------------------------------------------------------------------ search page

def test_front_page_has_a_query_box_and_no_results(get):
    page = get("/")
    box = page.select_one("form.searchbox input[name=q]")
    assert box["dir"] == "auto" and box.get("value", "") == ""
    assert page.select_one("form.searchbox")["method"] == "get"
    assert not hits(page)


def test_results_show_title_date_source_language_and_highlighted_snippet(get, searcher):
    page = get("/", {"q": UN})
    expected = searcher.search(UN, limit=10)
    assert total(page) == expected.total
    assert "ms" in page.select_one(".summary .count").get_text()
    shown = hits(page)
    assert [params(h.select_one("h2 a")["href"])["id"] for h in shown] == [h.id for h in expected.hits]
    first, want = shown[0], expected.hits[0]
    assert first.select_one("h2").get_text() == want.title
    assert first.select_one(".source").get_text() == want.source
    assert first.select_one(".lang").get_text() == "العربية"
    assert first.select_one("time")["datetime"] == want.date
    assert first.select(".snippet mark"), "the matched words are marked in the snippet"
    assert first.select("h2 mark")


def test_the_query_box_keeps_the_query(get):
    box = get("/", {"q": UN}).select_one("input[name=q]")
    assert box["value"] == UN and box["dir"] == "auto"


def test_arabic_results_are_rtl_and_latin_or_cyrillic_ones_ltr_in_the_same_list(get):
    shown = hits(get("/", {"q": MIXED}))
    langs = {h["lang"] for h in shown}
    assert {"ar", "en", "fr", "ru"} <= langs, langs
    for h in shown:
        assert h["dir"] == ("rtl" if h["lang"] == "ar" else "ltr"), h["lang"]


def test_dates_are_written_in_the_language_of_the_result(get):
    for h in hits(get("/", {"q": MIXED})):
        t = h.select_one("time")
        if t is None:
            continue
        text = t.get_text()
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", t["datetime"])
        if h["lang"] == "ar":
            assert any(m in text for m in ARABIC_MONTHS), text
        elif h["lang"] == "fr":
            assert re.fullmatch(r"\d{1,2} [a-zéû]+ \d{4}", text), text


def test_marked_text_is_escaped_and_its_spans_wrapped_in_mark():
    text = 'a <b> & "c" d\'e f'
    assert marked_html(Marked(text, ((0, 1), (16, 17)))) == \
        '<mark>a</mark> &lt;b&gt; &amp; &quot;c&quot; d&#x27;e <mark>f</mark>'
    assert marked_html(Marked(text)) == 'a &lt;b&gt; &amp; &quot;c&quot; d&#x27;e f'
    assert marked_html(Marked("")) == ""


def test_readable_dates_and_months():
    assert readable_date("2022-12-09", "en") == "9 December 2022"
    assert readable_date("2022-12-09", "ar") == "9 ديسمبر 2022"
    assert readable_date("2023-05-01", "ru") == "1 мая 2023"
    assert readable_date("2023-08-15T10:00:00", "fr") == "15 août 2023"
    assert readable_date(None) == "" and readable_date("sometime") == "sometime"
    assert month_label("2018-03") == "March 2018"
    assert text_dir("ar") == "rtl" and text_dir("ru") == "ltr" and text_dir("und") == "auto"


def test_a_language_facet_narrows_the_search_and_can_be_removed(get):
    page = get("/", {"q": MIXED})
    before = total(page)
    link = page.select_one('.facet-lang a[data-facet=lang][lang=fr]')
    count = int(link.find_next_sibling(class_="count").get_text())
    narrowed = get(link["href"])
    assert params(link["href"]) == {"q": MIXED, "lang": "fr"}
    assert total(narrowed) == count < before
    assert {h["lang"] for h in hits(narrowed)} == {"fr"}
    chip = narrowed.select_one("ul.filters li")
    assert "Français" in chip.get_text()
    assert narrowed.select_one('.facet-lang li.selected')
    widened = get(chip.select_one("a.remove")["href"])
    assert total(widened) == before


def test_source_and_month_facets_narrow_the_search(get):
    page = get("/", {"q": UN})
    source = page.select_one(".facet-source a")
    narrowed = get(source["href"])
    name = params(source["href"])["source"]
    assert hits(narrowed) and all(name in h.select_one(".source").get_text() for h in hits(narrowed))
    month = page.select_one(".facet-month a")
    value = params(month["href"])["month"]
    narrowed = get(month["href"])
    assert hits(narrowed)
    assert all(h.select_one("time")["datetime"].startswith(value) for h in hits(narrowed))
    assert total(narrowed) == int(month.find_next_sibling(class_="count").get_text())


def test_paging_links_lead_to_the_next_page(get):
    page = get("/", {"q": UN})
    nxt = page.select_one("nav.pager a[rel=next]")
    assert params(nxt["href"])["page"] == "2"
    second = get(nxt["href"])
    assert second.select_one("ol.hits")["start"] == "11"
    first_ids = {h.select_one("h2 a")["href"] for h in hits(page)}
    second_ids = {h.select_one("h2 a")["href"] for h in hits(second)}
    assert second_ids and not first_ids & second_ids
    assert second.select_one("nav.pager .current").get_text() == "2"
    prev = second.select_one("nav.pager a[rel=prev]")
    assert "page" not in params(prev["href"])


def test_a_page_past_the_end_says_so_and_links_back(get):
    page = get("/", {"q": UN, "page": "7"})
    notice = page.select_one(".notice")
    assert "past the end" in notice.get_text()
    assert params(notice.select_one("a")["href"])["page"] == "2"


@pytest.mark.parametrize("sort, newest_first", [("newest", True), ("oldest", False)])
def test_sorting_by_date(get, sort, newest_first):
    page = get("/", {"q": UN, "sort": sort})
    dates = [h.select_one("time")["datetime"] for h in hits(page)]
    assert len(dates) == 10 and dates == sorted(dates, reverse=newest_first)
    assert page.select_one(".sort strong").get_text() == sort
    # Sorting is kept when following a facet.
    assert params(page.select_one(".facet-month a")["href"])["sort"] == sort


def test_did_you_mean_is_a_link(get):
    page = get("/", {"q": "electoin"})
    link = page.select_one("a.did-you-mean")
    assert link.get_text() == "election"
    assert params(link["href"])["q"] == "election"
    assert hits(get(link["href"]))


def test_no_results_page_is_helpful(get):
    page = get("/", {"q": "zzqxv", "lang": "fr"})
    notice = page.select_one(".notice.empty")
    assert "zzqxv" in notice.h1.get_text()
    assert params(notice.select_one("a.drop-filters")["href"]) == {"q": "zzqxv"}
    assert notice.select_one('a[href="/help"]')


def test_a_malformed_query_answers_400_with_a_readable_message(get):
    page = get("/", {"q": "date:2023-13"}, status=400)
    alert = page.select_one("[role=alert]")
    assert "2023-13" in alert.get_text() and alert.select_one('a[href="/help"]')
    assert page.select_one("input[name=q]")["value"] == "date:2023-13"


# ------------------------------------------------------------------ safety

def test_a_script_in_the_query_is_shown_not_run(get):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    for path in ("/", "/article"):
        page = get(path, {"q": evil, "id": "nonexistent"} if path == "/article" else {"q": evil},
                   status=200 if path == "/" else 404)
        assert not page.find("script") and not page.find("img")
    page = get("/", {"q": evil})
    assert page.select_one("input[name=q]")["value"] == evil
    assert page.title.get_text().startswith(evil[:80])


def test_filter_values_are_escaped(get):
    page = get("/", {"q": UN, "source": "<b>x</b>"})
    assert not page.find("b") and "<b>x</b>" in page.select_one("ul.filters").get_text()


@pytest.mark.parametrize("query, message", [
    ({"q": "x", "page": "-1"}, "between 1 and"),
    ({"q": "x", "page": "0"}, "between 1 and"),
    ({"q": "x", "page": "99999999999"}, "between 1 and"),
    ({"q": "x", "page": "9" * 400}, "whole number"),
    ({"q": "x", "page": "two"}, "whole number"),
    ({"q": "x", "page": "1.5"}, "whole number"),
    ({"q": "x", "sort": "random"}, "sort must be one of"),
    ({"q": "x" * 100_000}, "too long"),
    ({"q": "x", "from": "2023-13-01"}, "not a real date"),
    ({"q": "x", "to": "2023-02-30"}, "not a real date"),
    ({"q": "x", "from": "yesterday"}, "cannot read the date"),
    ({"q": "x", "from": "2018..2019"}, "not a range"),
    ({"q": "x", "month": "2023-1"}, "month must be"),
    ({"q": "x", "month": "2023-00"}, "month must be"),
    ({"q": "x", "lang": "english!"}, "lang must be"),
    ({"q": "x", "source": "s" * 5000}, "too long"),
])
def test_bad_parameters_answer_400_with_a_message(get, query, message):
    page = get("/", query, status=400)
    assert message in page.select_one("[role=alert]").get_text()
    assert page.select_one("form.searchbox")


def test_filters_alone_list_articles(get):
    page = get("/", {"lang": "ru", "sort": "newest"})
    assert hits(page) and {h["lang"] for h in hits(page)} == {"ru"}


def test_unknown_pages_and_methods_get_a_page_not_a_traceback(app, get):
    assert get("/nowhere", status=404).select_one("[role=alert]")
    assert app.test_client().post("/").status_code == 405


@pytest.mark.parametrize("path", ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py",
                                  "/static//etc/passwd", "/static/%2fetc%2fpasswd"])
def test_static_files_cannot_reach_outside_their_folder(app, path):
    # A doubled slash is first redirected to its merged form, which must then be refused.
    r = app.test_client().get(path, follow_redirects=True)
    assert r.status_code == 404
    assert b"create_app" not in r.data and b"root:" not in r.data


def test_the_stylesheet_is_served_and_pages_forbid_outside_resources(app):
    client = app.test_client()
    assert client.get("/static/style.css").status_code == 200
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    page = BeautifulSoup(client.get("/", query_string={"q": UN}).data, "html.parser")
    for tag in page.find_all(["link", "script", "img", "iframe"]):
        assert not re.match(r"^(https?:)?//", tag.get("href") or tag.get("src") or ""), tag


def test_only_web_addresses_become_links():
    assert web_url("https://a.example/x") == "https://a.example/x"
    assert web_url("javascript:alert(1)") is None and web_url(None) is None


# ------------------------------------------------------------------ article and help pages

def test_article_page_shows_the_whole_article_with_the_query_marked(get, searcher):
    hit = searcher.search(UN, limit=1).hits[0]
    page = get("/article", {"id": hit.id, "q": UN})
    art = page.select_one("article")
    assert art["lang"] == "ar" and art["dir"] == "rtl"
    assert art.h1.get_text() == hit.title
    body = art.select_one(".body").get_text()
    assert len(body) > len(hit.snippet.text) / 2 and art.select(".body mark")
    assert art.select_one("time")["datetime"] == hit.date
    assert page.select_one("input[name=q]")["value"] == UN
    assert params(page.select_one(".back a")["href"]) == {"q": UN}
    plain = get("/article", {"id": hit.id})
    assert not plain.select("mark") and not plain.select_one(".back")


def test_article_page_lists_the_places_it_appeared(get):
    # corpus/MANIFEST.md D12: one story filed both as a page and in the JSON Lines export.
    page = get("/article", {"id": "khaleej-2024-0417-banks-phishing"})
    places = page.select("#places li")
    assert len(places) == 2
    other = places[1].select_one("a")
    assert "banks-phishing-warning.txt" in other.get_text()
    back = get(other["href"])
    assert any("news.jsonl" in li.get_text() for li in back.select("#places li"))


def test_more_like_this_links_open_other_articles(get):
    page = get("/article", {"id": "LEV-politics-0112-20230215"})
    links = page.select(".similar a")
    assert links
    for a in links:
        assert params(a["href"])["id"] != "LEV-politics-0112-20230215"
        assert get(a["href"]).select_one("article h1").get_text() == a.get_text()


def test_an_unknown_article_is_a_404_page(get):
    assert "no article" in get("/article", {"id": "no-such-article"}, status=404).get_text()
    get("/article", status=404)


def test_every_help_example_is_a_link_that_finds_articles(get):
    examples = get("/help").select("a.example")
    assert len(examples) >= 10
    for a in examples:
        assert params(a["href"])["q"] == a.get_text()
        assert hits(get(a["href"])), a.get_text()


# ------------------------------------------------------------------ interface language

def test_an_arabic_browser_gets_an_arabic_right_to_left_interface(app):
    r = app.test_client().get("/", query_string={"q": MIXED}, headers={"Accept-Language": "ar,en;q=0.5"})
    page = BeautifulSoup(r.data, "html.parser")
    assert page.html["lang"] == "ar" and page.html["dir"] == "rtl"
    assert page.select_one("form.searchbox button").get_text() == "بحث"
    assert page.select_one(".facet-lang h3").get_text() == "اللغة"
    # The results keep their own language and direction whatever the interface.
    assert {(h["lang"], h["dir"]) for h in hits(page)} >= {("ar", "rtl"), ("en", "ltr"), ("ru", "ltr")}
    assert "Accept-Language" in r.headers["Vary"]


def test_the_interface_language_in_the_url_wins_and_is_kept_in_links(app):
    client = app.test_client()
    english = BeautifulSoup(client.get("/", query_string={"q": UN, "ui": "en"},
                                       headers={"Accept-Language": "ar"}).data, "html.parser")
    assert english.html["dir"] == "ltr" and english.select_one("form.searchbox button").get_text() == "Search"
    arabic = BeautifulSoup(client.get("/", query_string={"q": UN, "ui": "ar"}).data, "html.parser")
    assert arabic.html["dir"] == "rtl"
    for a in arabic.select(".facets a, nav.pager a, li.hit h2 a, .sort a"):
        assert params(a["href"]).get("ui") == "ar", a["href"]
    assert arabic.select_one("input[name=ui]")["value"] == "ar"
    switch = arabic.select_one("a.ui-switch")
    assert params(switch["href"]) == {"q": UN, "ui": "en"} and switch.get_text() == "English"


def test_an_unknown_interface_language_is_ignored(get):
    page = get("/", {"q": UN, "ui": "xx"})
    assert page.html["lang"] == "en" and hits(page)


def test_the_help_page_in_arabic_keeps_its_runnable_examples(get):
    page = get("/help", {"ui": "ar"})
    assert page.html["dir"] == "rtl" and page.h1.get_text() == "كيف تكتب البحث"
    assert all(params(a["href"])["ui"] == "ar" for a in page.select("a.example"))


def test_the_date_form_narrows_to_a_range_and_keeps_the_search(get):
    page = get("/", {"q": UN, "sort": "oldest", "lang": "ar"})
    form = page.select_one("form.dates")
    fields = {i["name"]: i.get("value", "") for i in form.select("input")}
    assert fields["q"] == UN and fields["sort"] == "oldest" and fields["lang"] == "ar"
    fields.update({"from": "2024-01", "to": "2024-06-30"})
    narrowed = get(form["action"], fields)
    dates = [h.select_one("time")["datetime"] for h in hits(narrowed)]
    assert dates and all("2024-01-01" <= d <= "2024-06-30" for d in dates)
    assert dates == sorted(dates)
    chips = narrowed.select_one("ul.filters").get_text()
    assert "2024-01" in chips and "2024-06-30" in chips


def test_the_abstract_is_marked_too(get):
    page = get("/article", {"id": "LEV-politics-0112-20230215", "q": UN})
    assert page.select(".abstract mark")


@pytest.mark.parametrize("value", ["2023-5", "٢٠٢٣-٠٥"])
def test_page_reads_dates_as_the_command_line_does(get, value):
    """The page once refused dates the searcher reads (2023-5, Arabic-Indic digits)."""
    page = get("/", {"q": "", "lang": "ar", "from": value, "to": value})
    dates = [li.select_one("time") for li in page.select("li.hit")]
    assert dates and all(d is not None and d["datetime"].startswith("2023-05") for d in dates)
