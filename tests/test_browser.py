"""The real page in headless Chromium: typing, submitting, following links, layout.

Screenshots go to tests/screenshots/ (or $AKHBAR_SCREENSHOTS) for a person to
look at.  Without Chromium these tests skip, saying how to install it; in CI
(the CI variable set) a missing browser is a failure, never a skip.
"""
import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

from helpers import run_cli

pytestmark = pytest.mark.browser

UN = "الأمم المتحدة"
MIXED = "election OR élections OR выборы OR الانتخابات"
SHOTS = Path(os.environ.get("AKHBAR_SCREENSHOTS") or Path(__file__).parent / "screenshots")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]
INSTALL = ("headless Chromium is needed for the browser tests: apt-get install chromium chromium-driver "
           "(and pip install -e '.[test]' for selenium)")


def _find(names, extra=()):
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return next((p for p in extra if os.path.exists(p)), None)


def _missing():
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    if not _find(["chromium", "chromium-browser", "google-chrome"]):
        return "no chromium binary on PATH"
    if not _find(["chromedriver"], ["/usr/lib/chromium/chromedriver"]):
        return "no chromedriver on PATH"
    return None


def require_browser():
    """Skip (on a laptop) or fail (in CI) when headless Chromium cannot be driven."""
    problem = _missing()
    if problem:
        if os.environ.get("CI"):
            pytest.fail("%s; %s" % (problem, INSTALL))
        pytest.skip("%s; %s" % (problem, INSTALL))


def test_without_chromium_the_tests_skip_with_how_to_install_but_fail_in_ci(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(os.path, "exists", lambda path: False)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium chromium-driver"):
        require_browser()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium chromium-driver"):
        require_browser()


@pytest.fixture(scope="module")
def browser():
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="akhbar-chromium-")
    options.add_argument("--user-data-dir=" + profile)
    options.binary_location = _find(["chromium", "chromium-browser", "google-chrome"])
    service = Service(_find(["chromedriver"], ["/usr/lib/chromium/chromedriver"]))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(60)
    SHOTS.mkdir(parents=True, exist_ok=True)
    print("\nscreenshots in %s" % SHOTS)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def server(corpus_index):
    """The page served by waitress with several threads on a free loopback port."""
    from waitress import create_server
    from web.app import create_app
    app = create_app(corpus_index)
    srv = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%s" % srv.effective_port
    srv.close()
    app.extensions["akhbar"].close()


def shot(driver, name, width):
    """Save the first screen and a full-height screenshot of the page at ``width`` CSS pixels."""
    driver.set_window_size(width, 844 if width < 600 else 900)
    driver.save_screenshot(str(SHOTS / ("%s-top.png" % name)))
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(height + 140, 4000))
    driver.save_screenshot(str(SHOTS / ("%s.png" % name)))


def search_by_typing(driver, base, query):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait
    driver.get(base + "/")
    box = driver.find_element(By.NAME, "q")
    box.clear()
    box.send_keys(query)
    box.send_keys(Keys.ENTER)
    WebDriverWait(driver, 30).until(ec.presence_of_element_located((By.CSS_SELECTOR, "li.hit, .notice")))


def css(driver, selector):
    from selenium.webdriver.common.by import By
    return driver.find_elements(By.CSS_SELECTOR, selector)


def direction(driver, element):
    return driver.execute_script("return getComputedStyle(arguments[0]).direction", element)


def sideways_overflow(driver):
    """The elements that stick out sideways past the window (empty when none do)."""
    return driver.execute_script("""
        const width = document.documentElement.clientWidth, out = [];
        for (const el of document.querySelectorAll('body *')) {
          const r = el.getBoundingClientRect();
          if (r.width && (r.right > width + 1 || r.left < -1))
            out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
        }
        if (document.documentElement.scrollWidth > width + 1) out.push('page ' + document.documentElement.scrollWidth);
        return out;""")


def test_type_a_query_and_see_rtl_and_ltr_results(browser, server):
    browser.set_window_size(1280, 900)
    search_by_typing(browser, server, MIXED)
    assert "q=" in browser.current_url
    hits = css(browser, "li.hit")
    assert len(hits) >= 4
    seen = set()
    for hit in hits:
        lang = hit.get_attribute("lang")
        seen.add(lang)
        assert direction(browser, hit) == ("rtl" if lang == "ar" else "ltr"), lang
        # Laid out on its own side: an Arabic title starts at the right edge of the list.
        title = hit.find_element("css selector", "h2 a")
        box, line = title.rect, hit.rect
        if lang == "ar":
            assert abs((box["x"] + box["width"]) - (line["x"] + line["width"])) < 4
        else:
            assert abs(box["x"] - line["x"]) < 4
    assert {"ar", "en", "fr", "ru"} <= seen
    assert css(browser, "input[name=q]")[0].get_attribute("value") == MIXED
    shot(browser, "laptop-mixed-results", 1280)
    browser.get(server + "/?ui=ar&q=" + MIXED)
    assert direction(browser, css(browser, "main")[0]) == "rtl"
    assert direction(browser, css(browser, "li.hit[lang=en]")[0]) == "ltr"
    shot(browser, "laptop-arabic-interface", 1280)


def test_follow_a_facet_link_then_remove_it(browser, server):
    browser.set_window_size(1280, 900)
    search_by_typing(browser, server, MIXED)
    before = len(css(browser, "li.hit"))
    css(browser, ".facet-lang a[lang=ru]")[0].click()
    assert "lang=ru" in browser.current_url
    hits = css(browser, "li.hit")
    assert hits and len(hits) < before and {h.get_attribute("lang") for h in hits} == {"ru"}
    assert all(direction(browser, h) == "ltr" for h in hits)
    shot(browser, "laptop-facet-russian", 1280)
    css(browser, "ul.filters a.remove")[0].click()
    assert "lang=" not in browser.current_url and len(css(browser, "li.hit")) == before


def test_follow_a_page_link(browser, server):
    browser.set_window_size(1280, 900)
    search_by_typing(browser, server, UN)
    first = [a.get_attribute("href") for a in css(browser, "li.hit h2 a")]
    shot(browser, "laptop-arabic-page1", 1280)
    css(browser, "nav.pager a[data-page='2']")[0].click()
    assert "page=2" in browser.current_url
    assert css(browser, "nav.pager .current")[0].text == "2"
    second = [a.get_attribute("href") for a in css(browser, "li.hit h2 a")]
    assert second and not set(first) & set(second)
    assert all(direction(browser, h) == "rtl" for h in css(browser, "li.hit"))
    shot(browser, "laptop-arabic-page2", 1280)
    # Printed, the page is the results alone: no query box, facets or pager.
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for selector in ("header.top", "aside.facets", "nav.pager"):
            assert not css(browser, selector)[0].is_displayed(), selector
        assert css(browser, "li.hit")[0].is_displayed()
        assert UN in css(browser, "h1.print-query")[0].text
        shot(browser, "print-arabic-page2", 800)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_phone_width_has_no_sideways_scrolling(browser, server):
    browser.set_window_size(390, 844)
    for name, path in (("phone-arabic-results", "/?q=" + UN), ("phone-mixed-results", "/?q=" + MIXED),
                       ("phone-help", "/help"), ("phone-article", "/article?id=LEV-politics-0112-20230215&q=" + UN),
                       ("phone-arabic-interface", "/?ui=ar&q=" + MIXED), ("phone-help-arabic", "/help?ui=ar")):
        browser.get(server + path)
        assert not sideways_overflow(browser), (name, sideways_overflow(browser))
        shot(browser, name, 390)
    browser.get(server + "/?q=" + UN)
    # Facets come before the results on a phone, so narrowing needs no scrolling.
    facets, first_hit = css(browser, "aside.facets")[0], css(browser, "li.hit")[0]
    assert facets.rect["y"] < first_hit.rect["y"]


def test_article_page_and_bad_input_pages(browser, server):
    browser.set_window_size(1280, 900)
    browser.get(server + "/article?id=khaleej-2024-0417-banks-phishing&q=" + "البنوك")
    article = css(browser, "article")[0]
    assert direction(browser, article) == "rtl"
    assert css(browser, "article .body mark") and len(css(browser, "#places li")) == 2
    shot(browser, "laptop-article", 1280)
    browser.get(server + "/?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert browser.execute_script("return document.scripts.length") == 0
    browser.get(server + "/?q=x&page=-4")
    assert "between 1 and" in css(browser, "[role=alert]")[0].text
    shot(browser, "laptop-bad-page", 1280)


def test_static_export_opens_from_disk_without_network(browser, corpus_index, tmp_path):
    out = tmp_path / "export.html"
    assert run_cli("search", MIXED, "--index", corpus_index, "--html", out).exit_code == 0
    browser.set_window_size(1280, 900)
    browser.get(out.as_uri())
    hits = css(browser, "li.hit")
    assert len(hits) >= 4
    for hit in hits:
        assert direction(browser, hit) == ("rtl" if hit.get_attribute("lang") == "ar" else "ltr")
    # The inline stylesheet applied, and the page asked for nothing from anywhere.
    mark = css(browser, "li.hit mark")[0]
    assert browser.execute_script("return getComputedStyle(arguments[0]).backgroundColor", mark) == "rgb(255, 229, 136)"
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    shot(browser, "export-from-file", 1280)
