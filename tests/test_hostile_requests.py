"""Inputs that once gave a traceback or a 500: far dates, phrases of marks alone,
parameters Flask reserves, and Host headers the page does not serve."""
import pytest
from bs4 import BeautifulSoup

from helpers import run_cli
from search.query.date_ranges import date_range
from search.query.syntax import QueryError
from web.app import create_app


@pytest.fixture(scope="module")
def client(corpus_index):
    app = create_app(corpus_index)
    yield app.test_client()
    app.extensions["akhbar"].close()


# ------------------------------------------------------------------ the last representable dates

@pytest.mark.parametrize("value", ["9999", "9999-12", "9999-12-31", "2020..9999-12-31", "9999-12-31..",
                                   "..9999"])
def test_the_last_year_a_date_can_hold_is_a_date(value, searcher):
    start, end = date_range(value)
    assert end is None or end.year == 9999 and (end.month, end.day) == (12, 31)
    results = searcher.search("date:" + value)
    assert results.partial is False
    if value.startswith("9999"):
        assert results.total == 0


def test_a_range_to_the_last_day_finds_every_dated_article(searcher):
    dated = searcher.search("date:1900..").total
    assert dated > 0 and searcher.search("date:1900..9999-12-31").total == dated


def test_to_the_last_day_on_the_command_line_and_the_page(corpus_index, client):
    result = run_cli("search", "الأمم", "--index", corpus_index, "--to", "9999-12-31")
    assert result.exit_code == 0, result.output
    assert "articles" in result.output
    r = client.get("/", query_string={"q": "الأمم", "to": "9999-12-31"})
    assert r.status_code == 200
    r = client.get("/", query_string={"q": "الأمم", "from": "9999"})
    assert r.status_code == 200


@pytest.mark.parametrize("value", ["0000", "10000", "2018-13", "2018-02-30"])
def test_dates_outside_the_calendar_are_still_refused(value):
    with pytest.raises(QueryError):
        date_range(value)


# ------------------------------------------------------------------ phrases with no letters

@pytest.mark.parametrize("query", ['"ـ ـ"', '"ً ٌ"', 'title:"ً ٌ"', '"\u200f \u200e"', '«ـــ ًٌ»',
                                   '"ـ ـ" الأمم', 'title:"ً ٌ" OR الأمم'])
def test_a_phrase_of_marks_alone_matches_nothing_and_raises_nothing(query, searcher):
    results = searcher.search(query)
    if "الأمم" in query:
        assert results.total == searcher.search("الأمم").total
    else:
        assert results.total == 0 and results.hits == []


def test_a_phrase_that_keeps_one_word_is_that_word(searcher):
    assert searcher.search('"ـ الأمم ً"').total == searcher.search("الأمم").total


# ------------------------------------------------------------------ parameters Flask reserves

@pytest.mark.parametrize("path", ["/", "/?q=olive", "/article?id=x", "/help", "/nowhere"])
@pytest.mark.parametrize("name", ["endpoint", "_method", "_external", "_anchor", "_scheme", "values"])
def test_reserved_parameter_names_are_ignored(client, path, name):
    sep = "&" if "?" in path else "?"
    r = client.get(path + sep + name + "=x")
    expected = 404 if path in ("/nowhere", "/article?id=x") else 200
    assert r.status_code == expected, (path, name, r.status_code)


def test_external_links_are_never_built_from_the_request(client):
    r = client.get("/?q=olive&_external=1&_scheme=https")
    assert r.status_code == 200
    page = BeautifulSoup(r.get_data(as_text=True), "html.parser")
    for a in page.find_all("a"):
        assert not a["href"].startswith(("http://localhost", "https://localhost")), a


def test_the_error_page_itself_survives_reserved_names(client):
    r = client.get("/?page=zero&endpoint=x&_method=x")
    assert r.status_code == 400 and "page must be a whole number" in r.get_data(as_text=True)


# ------------------------------------------------------------------ host names (DNS rebinding)

@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST",
                                  "127.0.0.1"])
def test_the_names_of_this_machine_are_served(client, host):
    assert client.get("/?q=olive", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example",
                                  "localhost.evil.example:8000", "10.0.0.7:8000", "[::2]:8000"])
@pytest.mark.parametrize("path", ["/?q=olive", "/static/style.css", "/article?id=x", "/help"])
def test_other_host_names_are_refused(client, host, path):
    r = client.get(path, headers={"Host": host})
    assert r.status_code == 400
    body = r.get_data(as_text=True)
    assert "olive" not in body and "evil" not in body


def test_a_forged_host_never_reaches_a_link(client):
    r = client.get("/?q=olive&_external=1", headers={"Host": "evil.example:8000"})
    assert r.status_code == 400 and "evil.example" not in r.get_data(as_text=True)


def test_the_served_address_and_extra_names_are_allowed(corpus_index):
    app = create_app(corpus_index, hosts=["192.168.1.5", "news.lan", "fe80::1"])
    try:
        c = app.test_client()
        for host in ("192.168.1.5:8000", "news.lan", "NEWS.LAN:80", "[fe80::1]:8000", "localhost"):
            assert c.get("/help", headers={"Host": host}).status_code == 200, host
        assert c.get("/help", headers={"Host": "news.lan.evil.example"}).status_code == 400
    finally:
        app.extensions["akhbar"].close()


def test_serve_answers_its_own_address_and_allowed_names(corpus_index):
    from akhbar.cli import served_names
    assert served_names("192.168.1.5") == ["192.168.1.5"]
    assert len(served_names("0.0.0.0")) == 3
    out = run_cli("serve", "--index", corpus_index, "--allow-host", "news.lan", "--get", "/help")
    assert out.exit_code == 0 and "query" in out.output.lower()
