"""Attention over time: how many distinct articles match a query per period.

Each query's whole result set (``Searcher.result_set``: the query language,
filters, duplicate collapsing and time limit of ``search``) is counted by
day, ISO week, month or year, beside the number of all articles of the same
period under the same filters, so a rise that is only a bigger crawl shows as
a flat share.  Undated articles are counted apart, never put in a period.

Dates are handled as numpy day numbers (days since 1970-01-01), one array per
index generation; periods are integer keys worked out for the whole set at
once, so the cost is a few array passes however many articles match.
"""
import time
import weakref
from datetime import date, timedelta

import numpy as np

from indexer.store import terms

from search.engine.collector import Collector

BY = ("day", "week", "month", "year")
UNDATED = np.iinfo(np.int64).min
# Whoosh keeps a DATETIME as microseconds since 0001-01-01.
_TICKS_PER_DAY = 86_400_000_000
_EPOCH_DAYS = date(1970, 1, 1).toordinal() - 1
_EPOCH = date(1970, 1, 1)

_days_cache = weakref.WeakKeyDictionary()
_all_cache = weakref.WeakKeyDictionary()


def day_numbers(table):
    """Days since 1970-01-01 of every document of ``table`` (UNDATED where none), cached."""
    try:
        return _days_cache[table]
    except (KeyError, TypeError):
        pass
    days = np.where(table.dated, table.date // _TICKS_PER_DAY - _EPOCH_DAYS, UNDATED)
    try:
        _days_cache[table] = days
    except TypeError:       # a table that cannot be weakly referenced is simply not cached
        pass
    return days


def period_keys(days, by):
    """Integer period keys of an array of dated day numbers."""
    if by == "day":
        return days
    if by == "week":
        # 1970-01-01 was a Thursday: shifting by 3 makes every key start on a Monday.
        return (days + 3) // 7
    d = days.astype("datetime64[D]")
    if by == "month":
        return d.astype("datetime64[M]").astype(np.int64)
    if by == "year":
        return d.astype("datetime64[Y]").astype(np.int64)
    raise ValueError("by must be one of %s" % ", ".join(BY))


def period_label(key, by):
    """'2018-03-02', '2018-W09', '2018-03' or '2018' for a period key."""
    key = int(key)
    if by == "week":
        year, week, _ = (_EPOCH + timedelta(days=key * 7 - 3)).isocalendar()
        return "%04d-W%02d" % (year, week)
    unit = {"day": "D", "month": "M", "year": "Y"}[by]
    return str(np.datetime64(key, unit))


def period_span(key, by):
    """(first day, last day) of a period, as ISO dates, for narrowing a search to it."""
    key = int(key)
    if by == "day":
        first = last = _EPOCH + timedelta(days=key)
    elif by == "week":
        first = _EPOCH + timedelta(days=key * 7 - 3)
        last = first + timedelta(days=6)
    else:
        unit = {"month": "M", "year": "Y"}[by]
        start = np.datetime64(key, unit)
        first = start.astype("datetime64[D]").astype(date)
        last = ((start + 1).astype("datetime64[D]") - 1).astype(date)
    return first.isoformat(), last.isoformat()


def count_periods(docnums, days, by):
    """({period key: count}, undated count) of documents ``docnums`` (an int array)."""
    d = days[np.asarray(docnums, dtype=np.int64)]
    dated = d[d != UNDATED]
    keys, counts = np.unique(period_keys(dated, by), return_counts=True)
    return dict(zip(keys.tolist(), counts.tolist())), int(len(d) - len(dated))


def all_articles(table, reader):
    """The distinct live articles of the archive (as this shard holds them): the shares'
    denominator when no filter is set, computed once per index generation."""
    try:
        return _all_cache[table]
    except (KeyError, TypeError):
        pass
    live = sorted(table.distinct(terms.live_documents(reader)))
    docs = np.fromiter(live, dtype=np.int64, count=len(live))
    try:
        _all_cache[table] = docs
    except TypeError:
        pass
    return docs


def timeline(engine, queries, options, by="month"):
    """Counts per period of each query, with shares of all articles (the ``timeline --json`` shape).

    ``queries`` are query texts, each read with the filters and options of
    QueryOptions ``options`` (whose own text is not used).  Raises QueryError
    for a query that cannot be read and ValueError for an unknown ``by``.
    One deadline covers the request: reading every query and counting them
    all (a series read after it has passed says partial).  Each shard counts its articles
    (an article's copies share its shard, so duplicates collapse there) and
    the counts are added up; ``missing`` names the shards that did not answer.
    """
    if by not in BY:
        raise ValueError("by must be one of %s, not “%s”" % (", ".join(BY), by))
    deadline = engine.deadline(options)
    prepared = [engine.read(options.with_text(q), deadline) for q in queries]
    base = engine.read(options.with_text(""), deadline) if options.filtered() else None
    left = max(0.0, deadline - time.perf_counter())
    return engine.collect(PeriodCounts(prepared, base, by, left), wait=left)


class PeriodCounts(Collector):
    """Counts per period key of each prepared query and of all articles (``base``: the filters alone,
    or None for every article)."""

    def __init__(self, queries, base, by, time_limit):
        self.queries, self.base, self.by, self.time_limit = queries, base, by, time_limit

    def collect(self, shard):
        deadline = time.perf_counter() + self.time_limit
        matched = [shard.match(q, deadline) for q in self.queries]
        table = matched[0].table if matched else shard.table()
        reader = (matched[0].searcher if matched else shard.searcher()).reader()
        days = day_numbers(table)
        if self.base is not None:
            rs = shard.match(self.base, deadline)
            base, base_partial = rs.docnums(), rs.partial
        else:
            base, base_partial = all_articles(table, reader), False
        base_counts, base_undated = count_periods(base, days, self.by)
        series = []
        for rs in matched:
            counts, undated = count_periods(rs.docnums(), days, self.by)
            series.append({"query": rs.query, "total": rs.total, "undated": undated, "partial": rs.partial,
                           "interpretation": rs.interpretation, "expansions": rs.expansions, "counts": counts})
        return {"series": series, "base": base_counts, "base_undated": base_undated,
                "base_partial": base_partial}

    def merge(self, parts, missing):
        return merged_timeline(self.by, [part for _, part in parts], missing)


def _added(dicts):
    out = {}
    for d in dicts:
        for k, v in d.items():
            out[k] = out.get(k, 0) + v
    return out


def merged_timeline(by, parts, missing=()):
    """The ``timeline --json`` shape from the period_counts of every shard (or of the one index)."""
    base_counts = _added(p["base"] for p in parts)
    series = []
    for n, first in enumerate(parts[0]["series"]):
        of_query = [p["series"][n] for p in parts]
        series.append(dict(first, total=sum(s["total"] for s in of_query),
                           undated=sum(s["undated"] for s in of_query),
                           partial=any(s["partial"] for s in of_query) or bool(missing),
                           counts=_added(s["counts"] for s in of_query)))
    keys = set()
    for s in series:
        keys.update(s["counts"])
    # Every period from the first match to the last, so a silent month shows as 0.
    span = range(min(keys), max(keys) + 1) if keys else range(0)
    for s in series:
        counts, points = s.pop("counts"), []
        for k in span:
            n, of = counts.get(k, 0), base_counts.get(k, 0)
            first, last = period_span(k, by)
            points.append({"period": period_label(k, by), "count": n, "share": round(n / of, 6) if of else 0.0,
                           "all": of, "first": first, "last": last})
        s["points"] = points
    return {"by": by, "series": series, "undated_all": sum(p["base_undated"] for p in parts),
            "partial": any(p["base_partial"] for p in parts) or any(s["partial"] for s in series) or bool(missing),
            "missing": list(missing)}


def timeline_rows(data):
    """CSV rows of a timeline: a header, each point, then each series' undated count."""
    yield ["query", "period", "count", "share", "all"]
    for s in data["series"]:
        for p in s["points"]:
            yield [s["query"], p["period"], p["count"], "%.6f" % p["share"], p["all"]]
        yield [s["query"], "undated", s["undated"], "", data["undated_all"]]
