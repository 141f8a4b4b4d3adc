"""The search page's URL parameters: read, checked, and turned back into links.

Every state of the page (query, page, sort, filters) lives in the URL so a
results page can be bookmarked and shared.  Anything out of range is refused
with a message that says what is allowed, never passed on to the searcher.
"""
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from search.query.date_ranges import date_range
from search.query.syntax import QueryError
from search.query.options import MAX_PAGE, SORTS, QueryOptions

from .i18n import UI_LANGS

# A longer q= is refused with a message (the searcher itself reads only the
# first search.query.syntax.QUERY_CHARS_READ characters of what it is given).
MAX_URL_QUERY_CHARS = 2000
MAX_SOURCE_CHARS = 200
PAGE_SIZE = 10
FILTERS = ("lang", "source", "month", "from", "to")
# The order parameters are written in links, so equal states give equal URLs.
ORDER = ("q",) + FILTERS + ("sort", "variants", "drop", "page", "ui")

_LANG = re.compile(r"^[a-z]{2,3}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class BadParameter(ValueError):
    """A URL parameter the page cannot use; the message is shown to the reader."""


@dataclass
class SearchParams:
    q: str = ""
    page: int = 1
    sort: str = "relevance"
    filters: dict = field(default_factory=dict)      # only the ones given, non-empty
    ui: str = ""                                     # interface language asked for in the URL
    variants: bool = True                            # variants=0: names only as typed
    drop: tuple = ()                                 # name variants the reader removed (drop=a,b)

    @property
    def active(self):
        """True when there is anything to search for."""
        return bool(self.q.strip() or self.filters)

    def options(self):
        """The search.query.options.QueryOptions of this page: what every view of it counts."""
        f = self.filters
        date_from, date_to = f.get("from"), f.get("to")
        if f.get("month"):
            date_from = date_to = f["month"]
        return QueryOptions(text=self.q, page=self.page, limit=PAGE_SIZE, lang=f.get("lang"),
                            source=f.get("source"), date_from=date_from, date_to=date_to, sort=self.sort,
                            variants=self.variants, drop_variants=self.drop)

    def carried(self):
        """The filters and name-variant choices, as URL parameters: what every view of this page is
        asked with, so it counts the articles the page counts."""
        d = dict(self.filters)
        if not self.variants:
            d["variants"] = "0"
        if self.drop:
            d["drop"] = ",".join(self.drop)
        return d

    def as_dict(self):
        d = {"q": self.q, "sort": self.sort if self.sort != "relevance" else "", "page": self.page,
             "ui": self.ui, "variants": "" if self.variants else "0", "drop": ",".join(self.drop)}
        d.update(self.filters)
        if d["page"] == 1:
            d["page"] = ""
        return d

    def url(self, base="/", **changes):
        """A link to this search with some parameters changed; None or '' removes one.

        Changing anything but the page goes back to page 1.
        """
        d = self.as_dict()
        if "page" not in changes:
            d["page"] = ""
        if "month" in changes and changes["month"]:
            d["from"] = d["to"] = ""
        if ("from" in changes or "to" in changes) and (changes.get("from") or changes.get("to")):
            d["month"] = ""
        d.update(changes)
        if d.get("page") == 1:
            d["page"] = ""
        pairs = [(k, d[k]) for k in ORDER if d.get(k) not in (None, "")]
        return base + ("?" + urlencode(pairs) if pairs else "")


def _check_date(name, value):
    """Read a from/to date exactly as the searcher will (so 2018-3 and ٢٠١٨ pass here too)."""
    if ".." in value:
        raise BadParameter("%s must be one date such as 2018-03-01, not a range" % name)
    try:
        date_range(value)
    except QueryError as e:
        raise BadParameter("%s: %s" % (name, e))
    return value


def _clip(value, n=40):
    return value if len(value) <= n else value[:n] + "…"


def read_params(args):
    """SearchParams from a request's query string; raises BadParameter."""
    q = args.get("q", "")
    if len(q) > MAX_URL_QUERY_CHARS:
        raise BadParameter("the query is too long: %d characters, at most %d are read"
                           % (len(q), MAX_URL_QUERY_CHARS))
    raw_page = args.get("page", "").strip()
    page = 1
    if raw_page:
        if not re.fullmatch(r"[+-]?\d{1,12}", raw_page):
            raise BadParameter("page must be a whole number, not “%s”" % _clip(raw_page))
        page = int(raw_page)
        if not 1 <= page <= MAX_PAGE:
            raise BadParameter("page must be between 1 and %d" % MAX_PAGE)
    sort = args.get("sort", "") or "relevance"
    if sort not in SORTS:
        raise BadParameter("sort must be one of %s, not “%s”" % (", ".join(SORTS), _clip(sort)))
    filters = {}
    for name in FILTERS:
        value = args.get(name, "").strip()
        if value:
            filters[name] = value
    if "lang" in filters and not _LANG.match(filters["lang"]):
        raise BadParameter("lang must be a language code such as ar, en, fr or ru, not “%s”"
                           % _clip(filters["lang"]))
    if len(filters.get("source", "")) > MAX_SOURCE_CHARS:
        raise BadParameter("source is too long (at most %d characters)" % MAX_SOURCE_CHARS)
    if "month" in filters:
        m = _MONTH.match(filters["month"])
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise BadParameter("month must be written 2018-03, not “%s”" % _clip(filters["month"]))
    for name in ("from", "to"):
        if name in filters:
            _check_date(name, filters[name])
    variants = args.get("variants", "").strip()
    if variants not in ("", "0", "1"):
        raise BadParameter("variants must be 0 (names only as typed) or 1, not “%s”" % _clip(variants))
    drop = tuple(d for d in (x.strip() for x in args.get("drop", "").split(",")) if d)
    if len(drop) > 50 or any(len(d) > 100 for d in drop):
        raise BadParameter("drop names too many variants, or too long a one")
    # An unknown interface language is not worth refusing a search over.
    ui = args.get("ui", "") if args.get("ui", "") in UI_LANGS else ""
    return SearchParams(q=q, page=page, sort=sort, filters=filters, ui=ui, variants=variants != "0",
                        drop=drop)
