"""search.query.date_ranges: the span of time a date as people write it means."""
from datetime import datetime

import pytest

from search.query.compile import date_query
from search.query.date_ranges import date_range
from search.query.syntax import QueryError


@pytest.mark.parametrize("value,start,end", [
    ("2018", datetime(2018, 1, 1), datetime(2019, 1, 1)),
    ("2018-03", datetime(2018, 3, 1), datetime(2018, 4, 1)),
    ("2018-12", datetime(2018, 12, 1), datetime(2019, 1, 1)),
    ("2018-03-01", datetime(2018, 3, 1), datetime(2018, 3, 2)),
    ("2018-03-01..2018-04-15", datetime(2018, 3, 1), datetime(2018, 4, 16)),
    ("٢٠١٨-٠٣", datetime(2018, 3, 1), datetime(2018, 4, 1)),
])
def test_dates(value, start, end):
    first, last = date_range(value)
    assert first == start
    assert last < end and (end - last).total_seconds() < 1


def test_open_date_ranges():
    assert date_range("2018-03..") == (datetime(2018, 3, 1), None)
    assert date_range("..2018-06")[0] is None


@pytest.mark.parametrize("value", ["abc", "2018-13", "2018-02-30", "..", "2018/03"])
def test_unreadable_dates_say_so(value):
    with pytest.raises(QueryError):
        date_range(value)


def test_the_date_query_covers_the_same_span():
    q = date_query("2018-03")
    assert (q.startdate, q.enddate) == date_range("2018-03")
