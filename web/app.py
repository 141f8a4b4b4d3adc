"""The local results page: a Flask app made by ``create_app``.

Server-rendered HTML, autoescaped, no JavaScript needed.  It reads the index
through ``search.Searcher``, exactly as the command line does.
"""
import re
import threading

from flask import Flask, abort, render_template, request, url_for

from search.query.reference import SYNTAX
from search.query.syntax import QueryError
from indexer.schema import IndexVersionError
from indexer.store.check import READ_ERRORS, find_damage
from search.searcher import SORTS
from search.searcher import ShardsUnavailable, open_searcher

from . import display
from .display import text_dir
from .i18n import OTHER_UI, UI_LANGS, choose_ui, translator
from .research import RESEARCH_PAGES, RESEARCH_PARAMS, blueprint as research_pages
from .params import FILTERS, MAX_URL_QUERY_CHARS, BadParameter, SearchParams, read_params

MAX_ID_CHARS = 1000
# The names this machine answers to on its own (DNS rebinding: a page elsewhere
# can point a name of its own at 127.0.0.1, so the Host header is checked).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# The parameters a page's own links carry; nothing else of a URL reaches url_for,
# whose own keywords (endpoint, _external, _method...) must never come from it.
LINK_PARAMS = ("q",) + FILTERS + ("sort", "page", "id") + RESEARCH_PARAMS
BUSY_WAIT = 2.0
FACET_NAMES = ("lang", "source", "month")
FACET_SHOWN = 12


class Busy(Exception):
    """Every search slot is taken: the reader is asked to try again shortly."""


class SharedSearcher:
    """One Searcher for all serving threads, opened on first use, searched side by side.

    No lock is held across a search: a slow one must not make every other
    reader wait.  The Searcher gives each thread its own Whoosh searcher over
    tables shared by all (see search.searcher), and the time limit bounds
    every search.  The app keeps it as ``app.extensions["akhbar"]``.
    """

    def __init__(self, index_dir, at_once=None):
        self.index_dir = index_dir
        self._searcher = None
        self._lock = threading.RLock()
        # At most ``at_once`` searches run together, so a server thread is always
        # left for pages and static files; one more waits a moment, then is told to retry.
        self._slots = threading.BoundedSemaphore(at_once) if at_once else None

    def run(self, work, *args):
        """``work(searcher, *args)``; the Searcher reopens the index when a build has committed.

        Raises Busy when every search slot stays taken for BUSY_WAIT seconds.
        """
        if self._slots is None:
            return self._run(work, *args)
        if not self._slots.acquire(timeout=BUSY_WAIT):
            raise Busy()
        try:
            return self._run(work, *args)
        finally:
            self._slots.release()

    def _run(self, work, *args):
        searcher = self._searcher
        if searcher is None:
            with self._lock:
                if self._searcher is None:
                    self._searcher = open_searcher(self.index_dir)
                searcher = self._searcher
        return work(searcher, *args)

    def warm_up(self):
        """Open the index and build its tables now rather than on the first request."""
        self.run(lambda s: s.warm())

    def close(self):
        """Close the Searcher; the next request opens the index afresh."""
        with self._lock:
            searcher, self._searcher = self._searcher, None
            if searcher is not None:
                searcher.close()


def create_app(index_dir, hosts=(), searches_at_once=None):
    """The page's Flask app over the index in ``index_dir`` (opened on first use).

    It answers requests addressed to this machine's loopback names and to the
    names in ``hosts`` (the address it listens on, say), and refuses others.
    ``searches_at_once`` (a server's threads less one) caps the searches and
    article pages served together; by default there is no cap.
    """
    app = Flask(__name__)
    served = {_host_name(h) for h in LOOPBACK_HOSTS + tuple(hosts)} - {None}
    app.config["INDEX_DIR"] = index_dir
    # A year of caching would outlive a stylesheet edit; an hour is enough offline.
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 3600
    display.register(app.jinja_env)
    app.jinja_env.globals["PAGE_FILTERS"] = FILTERS
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.extensions["akhbar"] = shared = SharedSearcher(index_dir, searches_at_once)
    app.register_blueprint(research_pages)
    using_searcher = shared.run

    @app.before_request
    def check_host():
        host = request.environ.get("HTTP_HOST")
        if host is not None and _host_name(host) not in served:
            # Plain text: nothing of the archive goes to a name it is not served under.
            return ("This page answers only to the names it is served under (%s); open it through "
                    "one of them.\n" % ", ".join(sorted(served)), 400,
                    {"Content-Type": "text/plain; charset=utf-8"})

    @app.context_processor
    def interface_language():
        ui = choose_ui(request.args.get("ui", ""), request.accept_languages)
        kept = asked_ui() or None

        def link(endpoint, **values):
            # Links keep an interface language that was chosen in the URL.
            return url_for(endpoint, ui=kept, **values)

        other, other_name = OTHER_UI[ui]
        # The same page in the other interface language (the front page for errors).
        kept_args = {k: request.args[k] for k in LINK_PARAMS if k in request.args}
        if request.endpoint in ("home", "article", "help_page") + RESEARCH_PAGES and \
                all(len(v) <= MAX_URL_QUERY_CHARS for v in kept_args.values()):
            switch = url_for(request.endpoint, **dict(kept_args, ui=other))
        else:
            switch = url_for("home", ui=other)
        return {"ui": ui, "ui_dir": text_dir(ui), "t": translator(ui), "link": link,
                "switch_ui": (switch, other, other_name)}

    @app.after_request
    def protect(response):
        # Nothing on these pages comes from elsewhere; say so to the browser.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.vary.add("Accept-Language")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @app.route("/")
    def home():
        try:
            p = read_params(request.args)
        except BadParameter as e:
            return render_search(SearchParams(q=request.args.get("q", "")[:200], ui=asked_ui()), error=str(e)), 400
        if not p.active:
            return render_search(p)
        try:
            results = using_searcher(lambda s: s.search(p.options()))
        except QueryError as e:
            return render_search(p, error=str(e)), 400
        return render_search(p, results=results)

    @app.route("/article")
    def article():
        article_id = request.args.get("id", "")
        q = request.args.get("q", "")
        if not article_id or len(article_id) > MAX_ID_CHARS:
            abort(404, "There is no article with that id.")
        if len(q) > MAX_URL_QUERY_CHARS:
            q = ""
        page = using_searcher(lambda s: s.article(article_id, q))
        if page is None:
            abort(404, "There is no article with that id. It may have been removed when the archive "
                       "was indexed again.")
        p = SearchParams(q=q, ui=asked_ui())
        return render_template("pages/article.html", a=page.article, page=page, q=q, p=p,
                               back=p.url() if q.strip() else None)

    @app.route("/help")
    def help_page():
        return render_template("pages/help.html", p=SearchParams(ui=asked_ui()), rows=SYNTAX)

    @app.errorhandler(400)
    @app.errorhandler(404)
    @app.errorhandler(405)
    def client_error(e):
        return render_template("pages/error.html", code=e.code, message=e.description,
                               p=SearchParams(ui=asked_ui())), e.code

    @app.errorhandler(IndexVersionError)
    @app.errorhandler(FileNotFoundError)
    def index_unusable(e):
        # The index was deleted, damaged or rebuilt by another version while
        # serving. The Searcher is dropped so that a rebuilt index is opened afresh.
        try:
            shared.close()
        except READ_ERRORS:
            pass
        message = ("The index in %s cannot be read: %s. Rebuild it with akhbar index PATH --index %s "
                   "--rebuild, then reload this page." % (index_dir, e, index_dir))
        return render_template("pages/error.html", code=503, message=message, p=SearchParams()), 503

    @app.errorhandler(ShardsUnavailable)
    def shards_unavailable(e):
        # Every worker holding a shard is gone; the shards are reopened on the next request.
        return render_template("pages/error.html", code=503, message="%s. Try again in a moment." % e,
                               p=SearchParams()), 503

    @app.errorhandler(Busy)
    def busy(e):
        message = "Every search slot is busy. Try again in a moment."
        return (render_template("pages/error.html", code=503, message=message, p=SearchParams()), 503,
                {"Retry-After": "2"})

    @app.errorhandler(500)
    def server_error(e):
        failed = getattr(e, "original_exception", None)
        damage = find_damage(index_dir) if isinstance(failed, READ_ERRORS) else None
        if damage is not None:
            return index_unusable(damage)
        message = "Something went wrong on this page. The terminal running akhbar serve shows what."
        try:
            return render_template("pages/error.html", code=500, p=SearchParams(), message=message), 500
        except Exception:       # the error page itself failed: still answer, plainly
            app.logger.exception("the error page could not be shown")
            return message, 500, {"Content-Type": "text/plain; charset=utf-8"}

    return app


# What may follow the name in a Host header: nothing, or a port.
_PORT = re.compile(r"(?::[0-9]*)?\Z")


def _host_name(host):
    """The host name in a Host header or a --host value: lower case, port dropped, IPv6 in
    brackets; None when it is not a name and a port (``[::1]evil.example``, ``localhost:x``)."""
    host = host.strip().lower()
    if host.startswith("["):              # [v6] or [v6]:port
        name, _, rest = host.partition("]")
        return name + "]" if _PORT.match(rest) else None
    if host.count(":") > 1:               # a bare IPv6 address, as --host takes it
        return "[%s]" % host
    name, colon, port = host.partition(":")
    return name.rstrip(".") if _PORT.match(colon + port) else None


def asked_ui():
    """The interface language named in the URL, or '' when none (or an unknown one) is."""
    asked = request.args.get("ui", "")
    return asked if asked in UI_LANGS else ""


def facet_view(p, results):
    """Each facet as a list of {value, label, count, url, selected}, for the template."""
    out = {}
    for name in FACET_NAMES:
        counts = (results.facets or {}).get(name) or {}
        items = list(counts.items())
        if name == "month":
            items.sort(key=lambda kv: kv[0], reverse=True)
        entries = []
        for value, count in items[:FACET_SHOWN]:
            entries.append({"value": value, "count": count, "selected": p.filters.get(name) == value,
                            "url": p.url(**{name: value})})
        if entries:
            out[name] = {"entries": entries, "more": max(0, len(items) - FACET_SHOWN)}
    return out


def active_filters(p):
    """The filters in force, each with the link that removes it."""
    return [{"name": name, "value": p.filters[name], "remove": p.url(**{name: ""})}
            for name in FILTERS if name in p.filters]


def page_links(p, results):
    """Page numbers around the current one: [(number or None for a gap, url)]."""
    last = results.pages
    wanted = {1, last} | set(range(max(1, p.page - 2), min(last, p.page + 2) + 1))
    out, prev = [], 0
    for n in sorted(wanted):
        if n - prev > 1:
            out.append((None, None))
        out.append((n, p.url(page=n)))
        prev = n
    return out


def variant_view(p, results):
    """Each expanded query word with its variants, and the links that drop or restore one."""
    words = []
    for e in results.expansions:
        entries = []
        for v in e["variants"]:
            others = [d for d in p.drop if d != v["form"]]
            toggled = others if not v["used"] else others + [v["form"]]
            entries.append(dict(v, url=p.url(drop=",".join(toggled))))
        words.append(dict(e, variants=entries))
    return {"words": words, "off": p.url(variants="0", drop=""), "on": p.url(variants=""),
            "is_off": not p.variants}


def search_context(p, results=None, error=None):
    """Everything the search templates need; shared by the page and the static export."""
    ctx = {"p": p, "q": p.q, "results": results, "error": error, "filters": active_filters(p),
           "unfiltered": p.url(**{name: "" for name in FILTERS})}
    if results is not None:
        ctx["facets"] = facet_view(p, results)
        ctx["names"] = variant_view(p, results)
        ctx["pager"] = page_links(p, results) if results.pages > 1 else []
        ctx["past_end"] = results.total > 0 and not results.hits and p.page > results.pages
        ctx["sorts"] = [(name, p.url(sort=name)) for name in SORTS]
        ctx["first"] = (results.page - 1) * results.limit + 1
        ctx["ms"] = "%.0f" % (results.seconds * 1000)
    return ctx


def render_search(p, results=None, error=None):
    def article_url(hit):
        return url_for("article", id=hit.id, q=p.q or None, ui=p.ui or None)
    return render_template("pages/search.html", article_url=article_url, **search_context(p, results, error))
