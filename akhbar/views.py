"""The research views in Python: timeline, concordance and forms as data, frames and displays.

Each wraps what the view returns (its ``--json`` shape, kept as ``.data``)
and computes nothing of its own; the terminal ``repr`` is the command line's
text (akhbar.research), the notebook's HTML akhbar.notebook's.
"""
from collections import namedtuple

from .frames import FORMS_COLUMNS, KWIC_COLUMNS, TIMELINE_COLUMNS, frame
from .hits import as_date
from .notebook import forms_html, kwic_html, timeline_html
from .research import forms_lines, kwic_lines, timeline_lines

Period = namedtuple("Period", "period start end count share all")
Period.__doc__ = ("One period of a timeline: its label ('2018-03', '2018-W09'...), first and last day "
                  "(datetime.date), matching articles, their share of all articles of the period, and that all.")
Series = namedtuple("Series", "query total undated partial points expansions")
Series.__doc__ = ("One query of a timeline: its distinct matching articles, those undated, its Periods, and "
                  "the name variants counted with it (as Results.expansions).")
Line = namedtuple("Line", "id date source lang field left match right mark")
Line.__doc__ = ("One concordance line: the article (id, date, source, lang), the field (title or body), "
                "the context read before the match, the match as written, the context after, and the "
                "(start, end) of the part of the match the query met.")
Form = namedtuple("Form", "form normalized articles exact")
Form.__doc__ = ("One spelling of a word: as written, the form it is searched as, the articles writing it, "
                "and whether an exact =WORD query keeps it.")


class _View:
    def __init__(self, data):
        self.data = data
        self.partial = data["partial"]
        self.missing = list(data.get("missing") or [])


class Timeline(_View):
    """Distinct matching articles per period, for each query, with their share of all articles.

    ``by`` (day, week, month or year), ``series`` (a Series per query, each
    with its Periods), ``undated_all`` (undated articles of the archive under
    the same filters), ``partial``, ``missing``.  ``to_frame()``: one row per
    query and period.  In Jupyter it shows as the results page's bar chart.
    """

    def __init__(self, data):
        super().__init__(data)
        self.by, self.undated_all = data["by"], data["undated_all"]
        self.series = [Series(s["query"], s["total"], s["undated"], s["partial"],
                              [Period(p["period"], as_date(p["first"]), as_date(p["last"]), p["count"], p["share"],
                                      p["all"]) for p in s["points"]], list(s.get("expansions") or []))
                       for s in data["series"]]

    def to_frame(self):
        """Columns query, period, start and end (datetime64: the period's first and last day), count,
        share (of all articles of the period under the same filters), all."""
        return frame([(s.query,) + tuple(p) for s in self.series for p in s.points], TIMELINE_COLUMNS)

    def __repr__(self):
        return "\n".join(timeline_lines(self.data))

    def _repr_html_(self):
        return timeline_html(self.data)


class Concordance(_View):
    """Every occurrence of a query's words or phrases in context (KWIC).

    ``lines`` (Line tuples in the sort asked for), ``total`` (occurrences in
    the articles read), ``articles`` (matching articles), ``articles_read``,
    ``complete`` (every matching article read, so ``total`` counts all),
    ``partial``, ``missing``, ``sort``, ``width``.  Iterate it for its lines.
    """

    def __init__(self, data):
        super().__init__(data)
        for name in ("total", "articles", "articles_read", "complete", "sort", "width"):
            setattr(self, name, data[name])
        self.lines = [Line(x["id"], as_date(x["date"]), x["source"], x["lang"], x["in"], x["left"], x["match"],
                           x["right"], tuple(x["mark"])) for x in data["lines"]]

    def __iter__(self):
        return iter(self.lines)

    def __len__(self):
        return len(self.lines)

    def to_frame(self):
        """Columns id, date (datetime64), source, lang, field, left, match, right."""
        return frame([tuple(line)[:8] for line in self.lines], KWIC_COLUMNS)

    def __repr__(self):
        return "\n".join(kwic_lines(self.data, self.width))

    def _repr_html_(self):
        return kwic_html(self.data)


class Forms(_View):
    """The archive's spellings of a word that a search for it meets, commonest first.

    ``word``, ``normalized`` (how the word is read), ``stems``, ``forms``
    (Form tuples), ``total_forms``, ``partial``, ``missing``.
    """

    def __init__(self, data):
        super().__init__(data)
        self.word, self.normalized, self.stems = data["word"], data["normalized"], list(data["stems"])
        self.total_forms = data.get("total_forms", 0)
        self.forms = [Form(f["form"], f["normalized"], f["articles"], f["exact"]) for f in data["forms"]]

    def __iter__(self):
        return iter(self.forms)

    def __len__(self):
        return len(self.forms)

    def to_frame(self):
        """Columns form, normalized, articles, exact."""
        return frame([tuple(f) for f in self.forms], FORMS_COLUMNS)

    def __repr__(self):
        return "\n".join(forms_lines(self.data))

    def _repr_html_(self):
        return forms_html(self.data)
