"""The timeline and concordance pages in headless Chromium, both interfaces, laptop and phone.

Screenshots go beside the other browser tests' (tests/screenshots/).
"""
from urllib.parse import parse_qs, urlparse

import pytest

from test_browser import browser, css, direction, server, shot, sideways_overflow  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

UN = "الأمم المتحدة"
ELECTIONS = "الانتخابات"
WIDTHS = {"laptop": 1280, "phone": 390}


@pytest.mark.parametrize("ui", ["en", "ar"])
def test_timeline_bars_link_to_the_search_narrowed_to_their_month(browser, server, ui):  # noqa: F811
    browser.set_window_size(1280, 900)
    browser.get(server + "/?ui=%s&q=%s" % (ui, UN))
    css(browser, "a.to-timeline")[0].click()
    assert urlparse(browser.current_url).path == "/timeline"
    bars = css(browser, "svg.chart a.bar-link rect.bar")
    assert bars
    heights = [float(b.get_attribute("height")) for b in bars]
    assert all(h > 0 for h in heights)
    total = int(css(browser, ".legend strong")[0].text.replace(",", ""))
    # Bars are drawn left to right in English, right to left in Arabic.
    xs = [float(b.get_attribute("x")) for b in bars]
    assert xs == (sorted(xs, reverse=True) if ui == "ar" else sorted(xs))
    assert direction(browser, css(browser, "main")[0]) == ("rtl" if ui == "ar" else "ltr")
    for name, width in WIDTHS.items():
        shot(browser, "%s-timeline-%s" % (name, ui), width)
        if name == "phone":
            # A phone scrolls the chart inside its frame (its labels stay legible); the page stays put.
            assert [o for o in sideways_overflow(browser) if o.startswith("page")] == []
            assert browser.execute_script(
                "const f = document.querySelector('figure.timeline').getBoundingClientRect();"
                "return f.left >= 0 && f.right <= document.documentElement.clientWidth + 1")
    browser.set_window_size(1280, 900)
    # An SVG link's href is not a string property: read the attribute as written.
    href = css(browser, "svg.chart a.bar-link")[0].get_dom_attribute("href")
    month = parse_qs(urlparse(href).query)["month"][0]
    browser.get(server + href)
    hits = css(browser, "li.hit")
    assert hits and len(hits) <= total
    assert parse_qs(urlparse(browser.current_url).query)["month"] == [month]
    assert css(browser, "ul.filters")


def test_timeline_compares_queries_and_offers_the_csv(browser, server):  # noqa: F811
    browser.set_window_size(1280, 900)
    browser.get(server + "/timeline?q=%s&vs=election&by=year&show=share" % UN)
    assert len(css(browser, ".legend li")) == 2
    assert {b.get_attribute("class") for b in css(browser, "svg.chart rect.bar")} >= {"bar bar-0"}
    csv_link = css(browser, "p.downloads a[download]")[0].get_attribute("href")
    assert urlparse(csv_link).path == "/timeline.csv"
    shot(browser, "laptop-timeline-vs", 1280)


def _line_boxes(browser, table):
    return browser.execute_script("""
        return Array.from(arguments[0].querySelectorAll('tr')).map(tr => {
          const r = s => tr.querySelector(s).getBoundingClientRect();
          const span = s => tr.querySelector(s + ' span').getBoundingClientRect();
          return {before: r('td.before'), match: r('td.match'), after: r('td.after'),
                  beforeText: span('td.before'), afterText: span('td.after')};
        });""", table)


@pytest.mark.parametrize("ui", ["en", "ar"])
def test_concordance_lines_align_on_the_match_in_both_directions(browser, server, ui):  # noqa: F811
    browser.set_window_size(1280, 900)
    browser.get(server + "/?ui=%s&q=%s OR election" % (ui, ELECTIONS))
    css(browser, "a.to-kwic")[0].click()
    assert urlparse(browser.current_url).path == "/kwic"
    tables = {t.get_attribute("dir"): t for t in css(browser, "table.kwic")}
    assert set(tables) == {"rtl", "ltr"}
    for line_dir, table in tables.items():
        boxes = _line_boxes(browser, table)
        assert boxes
        # Every match starts and ends at the same place: one column.
        assert len({round(b["match"]["left"]) for b in boxes}) == 1
        for b in boxes:
            if line_dir == "rtl":
                # Read before the match = on its right; the words next to the match show.
                assert b["before"]["left"] >= b["match"]["right"] - 1
                assert b["after"]["right"] <= b["match"]["left"] + 1
                assert abs(b["beforeText"]["left"] - b["before"]["left"]) < 8
                assert abs(b["afterText"]["right"] - b["after"]["right"]) < 8
            else:
                assert b["before"]["right"] <= b["match"]["left"] + 1
                assert abs(b["beforeText"]["right"] - b["before"]["right"]) < 8
                assert abs(b["afterText"]["left"] - b["after"]["left"]) < 8
    marks = [m.text for m in css(browser, "table.kwic[dir=rtl] td.match mark")]
    assert "انتخابات" in marks            # للانتخابات: the part the query met
    for name, width in WIDTHS.items():
        shot(browser, "%s-kwic-%s" % (name, ui), width)
        if name == "phone":
            # Contexts and long ids are clipped inside their cells by design: neither the
            # page nor a concordance table may scroll sideways.
            assert [o for o in sideways_overflow(browser) if o.startswith("page")] == []
            assert browser.execute_script(
                "return Array.from(document.querySelectorAll('.kwic-wrap')).every("
                "w => w.scrollWidth <= w.clientWidth + 1)")


def test_concordance_sorts_by_the_word_read_before(browser, server):  # noqa: F811
    browser.set_window_size(1280, 900)
    browser.get(server + "/kwic?ui=ar&q=" + ELECTIONS)
    css(browser, "a[data-sort=left]")[0].click()
    assert "sort=left" in browser.current_url
    befores = [td.text.split()[-1] if td.text.split() else "" for td in css(browser, "table.kwic td.before")]
    from indexer.analysis import normalize_word
    keys = [normalize_word(w) for w in befores]
    assert keys == sorted(keys) and len(set(keys)) > 2
    shot(browser, "laptop-kwic-sorted-ar", 1280)


@pytest.mark.parametrize("ui", ["en", "ar"])
def test_forms_page_lists_each_spelling_as_written(browser, server, ui):  # noqa: F811
    browser.set_window_size(1280, 900)
    browser.get(server + "/forms?ui=%s&w=%s" % (ui, "الأمم"))
    spellings = [cell.text.rstrip("★").strip() for cell in css(browser, "table.forms tbody td:first-child")]
    assert {"الأمم", "الامم", "الأُمَمُ"} <= set(spellings)
    assert direction(browser, css(browser, "main")[0]) == ("rtl" if ui == "ar" else "ltr")
    for name, width in WIDTHS.items():
        shot(browser, "%s-forms-%s" % (name, ui), width)
        if name == "phone":
            assert [o for o in sideways_overflow(browser) if o.startswith("page")] == []
