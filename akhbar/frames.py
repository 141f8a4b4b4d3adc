"""The API's answers as pandas DataFrames: columns named once here, dtypes fixed.

pandas is imported only when a frame is asked for (``pip install
'akhbar[notebook]'``), so the command line never pays for it.
"""

HIT_COLUMNS = ("rank", "id", "score", "title", "date", "source", "lang", "url", "snippet", "path")
RUN_COLUMNS = ("qid", "docno", "rank", "score", "query")
TIMELINE_COLUMNS = ("query", "period", "start", "end", "count", "share", "all")
KWIC_COLUMNS = ("id", "date", "source", "lang", "field", "left", "match", "right")
FORMS_COLUMNS = ("form", "normalized", "articles", "exact")

_INT, _FLOAT, _BOOL, _DATE = "int64", "float64", "bool", "date"
DTYPES = {"rank": _INT, "score": _FLOAT, "count": _INT, "share": _FLOAT, "all": _INT, "articles": _INT,
          "exact": _BOOL, "date": _DATE, "start": _DATE, "end": _DATE}


def pandas():
    """The pandas module, or an ImportError saying which extra brings it."""
    try:
        import pandas
    except ImportError as e:
        raise ImportError("this needs pandas: pip install 'akhbar[notebook]'") from e
    return pandas


def frame(rows, columns):
    """A DataFrame of ``rows`` (tuples in ``columns``' order): numbers as int64/float64, dates as
    datetime64[ns] (NaT where there is none), text in pandas' own text dtype (``object`` before
    pandas 3, ``str`` from it)."""
    pd = pandas()
    values = list(zip(*rows)) if rows else [()] * len(columns)
    data = {}
    for name, column in zip(columns, values):
        kind = DTYPES.get(name)
        if kind == _DATE:
            data[name] = pd.Series(pd.to_datetime(pd.Series(column, dtype=object), errors="coerce"),
                                   dtype="datetime64[ns]")
        elif kind is not None:
            data[name] = pd.Series(column, dtype=kind)
        else:
            data[name] = pd.Series(list(column), dtype=text_dtype(pd))
    return pd.DataFrame(data, columns=list(columns))


def text_dtype(pd):
    """What this pandas makes of a column of text when left to itself."""
    return pd.Series(["text"]).dtype
