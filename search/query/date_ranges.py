"""Dates as people write them in ``date:``, ``--from``/``--to`` and the page's
from/to fields, read into the span of time they mean.

A year, a month or a day (``2018``, ``2018-3``, ``2018-03-01``, Arabic-Indic
digits too), or a ``..`` range of them open at either end.  Nothing here
knows the index: ``search.query.compile`` makes the query, ``web.params`` checks
the page's dates with the same reading.
"""
import re
from datetime import datetime, timedelta

from indexer.analysis.arabic import normalize

from search.query.syntax import QueryError

_DATE_PART = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_TICK = timedelta(microseconds=1)


def date_bounds(value):
    """(start, end) datetimes of '2018', '2018-03', '2018-03-01' (end exclusive).

    A span in the last year a datetime can hold (9999) ends at datetime.max,
    since the instant after it cannot be written.
    """
    m = _DATE_PART.match(value)
    if not m:
        raise QueryError("cannot read the date “%s”: write 2018, 2018-03 or 2018-03-01" % value)
    y, mo, d = (int(g) if g else None for g in m.groups())
    try:
        start = datetime(y, mo or 1, d or 1)
    except ValueError:
        raise QueryError("“%s” is not a real date" % value)
    try:
        if d:
            return start, start + timedelta(days=1)
        if mo:
            return start, datetime(y + (mo == 12), mo % 12 + 1, 1)
        return start, datetime(y + 1, 1, 1)
    except (ValueError, OverflowError):
        return start, datetime.max


def date_range(value):
    """(first, last) instants of VALUE (a day, month, year, or a .. range of them).

    Both ends are inclusive; an open end of a range is None.  Raises
    QueryError, with what to write instead, for what cannot be read.
    """
    value = normalize(value.strip())
    if ".." in value:
        lo, hi = value.split("..", 1)
        start = date_bounds(lo)[0] if lo else None
        end = date_bounds(hi)[1] - _TICK if hi else None
        if start is None and end is None:
            raise QueryError("a date range needs at least one end, like date:2018-03..")
        return start, end
    start, end = date_bounds(value)
    return start, end - _TICK
