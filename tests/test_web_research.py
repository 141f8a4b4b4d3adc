"""The research pages as HTML: /timeline (SVG, links, CSV), /kwic, /forms, whole-set downloads."""
import csv
import io
import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup

from helpers import cli_json

UN = "الأمم المتحدة"


@pytest.fixture(scope="module")
def client(corpus_index):
    from web.app import create_app
    app = create_app(corpus_index)
    yield app.test_client()
    app.extensions["akhbar"].close()


def page(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, r.get_data(as_text=True)[:500]
    return BeautifulSoup(r.get_data(as_text=True), "html.parser")


def total_of(client, url):
    """The article count a results page shows."""
    return int(page(client, url).select_one("p.count strong").text.replace(",", ""))


def test_every_results_page_links_to_the_research_views(client):
    soup = page(client, "/?q=%s&lang=ar&sort=newest" % UN)
    links = {a.get("class", [""])[0]: a["href"] for a in soup.select("p.research-links a")}
    timeline = parse_qs(urlparse(links["to-timeline"]).query)
    assert timeline["q"] == [UN] and timeline["lang"] == ["ar"]
    downloads = [a["href"] for a in soup.select("p.research-links a[download]")]
    assert [urlparse(h).path for h in downloads] == ["/export.csv", "/export.jsonl"]
    assert all(parse_qs(urlparse(h).query)["sort"] == ["newest"] for h in downloads)


def test_the_svg_bars_link_to_the_search_narrowed_to_their_period(client, corpus_index):
    soup = page(client, "/timeline?q=" + UN)
    bars = soup.select("svg.chart a.bar-link")
    facet = cli_json("search", UN, "--index", corpus_index)["facets"]["month"]
    assert len(bars) == len(facet)
    for a in bars:
        month = parse_qs(urlparse(a["href"]).query)["month"][0]
        assert total_of(client, a["href"]) == facet[month]
        assert ": %d (" % facet[month] in a.select_one("title").text


@pytest.mark.parametrize("by", ["day", "week", "year"])
def test_other_periods_link_with_from_and_to(client, corpus_index, by):
    data = cli_json("timeline", UN, "--by", by, "--index", corpus_index)
    counts = [p["count"] for p in data["series"][0]["points"] if p["count"]]
    bars = page(client, "/timeline?by=%s&q=%s" % (by, UN)).select("svg.chart a.bar-link")
    assert len(bars) == len(counts)
    for a, n in zip(bars, counts):
        args = parse_qs(urlparse(a["href"]).query)
        assert args["from"] and args["to"] and "month" not in args
        assert total_of(client, a["href"]) == n


def test_share_view_and_compared_queries(client):
    soup = page(client, "/timeline?q=%s&vs=election&vs=الانتخابات&show=share" % UN)
    assert len(soup.select(".legend li")) == 3
    assert {c for r in soup.select("svg.chart rect.bar") for c in r["class"]} >= {"bar-0", "bar-1", "bar-2"}
    assert any(t.text.endswith("%") for t in soup.select("svg.chart text.value-label"))


def test_arabic_interface_runs_time_right_to_left(client):
    soup = page(client, "/timeline?ui=ar&q=" + UN)
    assert soup.html["dir"] == "rtl"
    xs = [float(r["x"]) for r in soup.select("svg.chart rect.bar")]
    assert xs == sorted(xs, reverse=True)
    assert "المقالات عبر الزمن" in soup.h1.text
    labels = [t.text for t in soup.select("svg.chart text.period-label")]
    assert any("فبراير" in label or "ديسمبر" in label for label in labels)


def test_csv_download_equals_the_command_line(client, corpus_index):
    r = client.get("/timeline.csv?by=year&q=" + UN)
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    data = cli_json("timeline", UN, "--by", "year", "--index", corpus_index)
    assert [(r["period"], int(r["count"])) for r in rows if r["period"] != "undated"] == \
        [(p["period"], p["count"]) for p in data["series"][0]["points"]]


def test_kwic_page_shows_matches_as_written_with_the_met_part_marked(client):
    soup = page(client, "/kwic?q=الانتخابات")
    cells = soup.select("table.kwic[dir=rtl] td.match")
    assert cells
    assert {c.get_text() for c in cells} >= {"للانتخابات", "الانتخابات"}
    assert {c.mark.text for c in cells if c.get_text() == "للانتخابات"} == {"انتخابات"}
    panel = soup.select_one("section.forms-panel")
    assert panel and "للانتخابات" in panel.text and panel.select("tr.exact")


def test_kwic_sort_links_and_csv(client):
    soup = page(client, "/kwic?q=الانتخابات&sort=right")
    assert soup.select_one(".research-switch strong").text == "word after"
    r = client.get("/kwic.csv?q=الانتخابات&sort=right")
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert [row["match"] for row in rows][:5] == [c.get_text() for c in soup.select("td.match")][:5]


def test_forms_page(client):
    soup = page(client, "/forms?w=الإنتخابات")
    forms = [td.get_text(strip=True).rstrip("★").strip() for td in soup.select("table.forms td:first-child")]
    assert {"الانتخابات", "للانتخابات", "انتخابات"} <= set(forms)
    assert page(client, "/forms").select_one("form.research-form")


def test_forms_page_lists_spellings_as_written_with_the_form_searched(client):
    soup = page(client, "/forms?w=إسرائيل")
    rows = {tr.select_one("td").get_text(strip=True).rstrip("★").strip(): tr
            for tr in soup.select("table.forms tbody tr")}
    assert {"إسرائيل", "اسرائيل"} <= set(rows)
    assert rows["إسرائيل"].select_one("td.read-as").text == "اسرائيل" and "exact" in rows["إسرائيل"]["class"]
    assert rows["اسرائيل"].select_one("td.read-as").text == ""


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_downloads_hold_the_whole_result_set(client, fmt):
    total = total_of(client, "/?q=الأمم OR election")
    r = client.get("/export.%s?q=الأمم OR election" % fmt)
    assert r.status_code == 200 and r.headers["X-Akhbar-Total"] == str(total) > "10"
    text = r.get_data(as_text=True)
    if fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(text)))) == total
    else:
        hits = [json.loads(line) for line in text.splitlines()]
        assert len(hits) == total and {"id", "title", "snippet_html", "score"} <= set(hits[0])


@pytest.mark.parametrize("url, message", [
    ("/timeline", "give a query"),
    ("/timeline?q=x&by=decade", "by must be one of"),
    ("/timeline?q=x&show=both", "show must be one of"),
    ("/timeline?q=x&from=2018-13", "not a real date"),
    ("/timeline?q=lang:klingon", "not a language"),
    ("/timeline.csv?q=x&by=decade", "by must be one of"),
    ("/kwic?q=x&sort=middle", "sort must be one of"),
    ("/kwic?q=x&width=5000", "width must be"),
    ("/kwic?q=x&width=abc", "width must be"),
    ("/kwic", "give a query"),
    ("/export.xml?q=x", "export.csv or export.jsonl"),
    ("/export.csv", "give a query"),
    ("/export.csv?q=x&sort=sideways", "sort must be one of"),
    ("/forms?w=" + "ب" * 300, "too long"),
])
def test_bad_input_is_a_400_that_says_why(client, url, message):
    soup = page(client, url, status=400)
    assert message in soup.text


@pytest.mark.parametrize("address", [
    "q=Kolbeck", "q=Kolbeck&variants=0", "q=Kolbeck&drop=كولبيك", "q=Kolbeck&drop=كولبيك,кольбек",
    "q=%s&lang=ar&from=2023-01&to=2023-12" % UN, "q=%s&source=Levant+Wire" % UN,
])
def test_the_page_and_every_view_it_links_to_count_the_same_articles(client, corpus_index, address):
    # One truth per number: the results page, the timeline and concordance it links to, its
    # downloads and the command line count the same articles for the same address.
    soup = page(client, "/?" + address)
    total = int(soup.select_one("p.count strong").text.replace(",", ""))
    links = {a.get("class", [""])[0]: a["href"] for a in soup.select("p.research-links a")}
    timeline = page(client, links["to-timeline"])
    csv_link = timeline.select_one("a[href^='/timeline.csv']")["href"]
    rows = list(csv.reader(io.StringIO(client.get(csv_link).get_data(as_text=True))))
    assert sum(int(r[2]) for r in rows[1:] if r[1] != "undated") + \
        sum(int(r[2]) for r in rows[1:] if r[1] == "undated") == total
    summary = page(client, links["to-kwic"]).select_one("p.summary-line").get_text(" ")
    read, of = re.search(r"occurrences in ([\d,]+)(?: of ([\d,]+))? matching articles", summary).groups()
    assert int((of or read).replace(",", "")) == total
    for download in soup.select("p.research-links a[download]"):
        r = client.get(download["href"])
        body = r.get_data(as_text=True)
        assert int(r.headers["X-Akhbar-Total"]) == total
        assert len(body.strip().splitlines()) - (1 if download["href"].startswith("/export.csv") else 0) == total
    args = parse_qs(address)
    cli = ["search", args["q"][0], "--index", corpus_index]
    cli += ["--no-variants"] if args.get("variants") == ["0"] else []
    for name, option in (("lang", "--lang"), ("source", "--source"), ("from", "--from"), ("to", "--to")):
        cli += [option, args[name][0]] if name in args else []
    if "drop" not in args:
        assert cli_json(*cli)["total"] == total


def test_a_timeline_says_which_name_variants_it_counted(client, corpus_index):
    from helpers import run_cli
    data = cli_json("timeline", "Kolbeck", "--index", corpus_index)
    used = {v["form"] for e in data["series"][0]["expansions"] for v in e["variants"] if v["used"]}
    assert used and "counted with name variants of kolbeck" in run_cli("timeline", "Kolbeck", "--index", corpus_index).output
    shown = {b.text for b in page(client, "/timeline?q=Kolbeck").select(".counted-with bdi")[1:]}
    assert shown == used
    assert cli_json("timeline", "Kolbeck", "--no-variants", "--index", corpus_index)["series"][0]["expansions"] == []
    assert not page(client, "/timeline?q=Kolbeck&variants=0").select(".counted-with")
