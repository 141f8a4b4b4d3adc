"""akhbar timeline: distinct articles per period, shares, --vs, --csv/--json, bad input."""
import csv
import io
from datetime import date

import numpy as np
import pytest

from helpers import cli_json, run_cli
from search.views.timeline import BY, UNDATED, count_periods, period_keys, period_label, period_span

QUERIES = ["الأمم المتحدة", "الانتخابات", "election OR élections OR выборы", "زيت الزيتون"]


@pytest.mark.parametrize("query", QUERIES)
def test_monthly_counts_equal_the_month_facet_of_the_same_search(corpus_index, query):
    searched = cli_json("search", query, "--index", corpus_index)
    data = cli_json("timeline", query, "--index", corpus_index)
    (series,) = data["series"]
    assert series["total"] == searched["total"] > 0
    counted = {p["period"]: p["count"] for p in series["points"] if p["count"]}
    assert counted == searched["facets"]["month"]
    assert sum(counted.values()) + series["undated"] == series["total"]


def test_filters_narrow_the_timeline_as_they_narrow_search(corpus_index):
    args = ("--lang", "ar", "--from", "2023-06", "--to", "2024-06")
    searched = cli_json("search", "الأمم المتحدة", *args, "--index", corpus_index)
    data = cli_json("timeline", "الأمم المتحدة", *args, "--index", corpus_index)
    counted = {p["period"]: p["count"] for p in data["series"][0]["points"] if p["count"]}
    assert counted == searched["facets"]["month"]
    assert all("2023-06" <= p["period"] <= "2024-06" for p in data["series"][0]["points"])


@pytest.mark.parametrize("by", BY)
def test_every_period_size_counts_each_article_once(corpus_index, by):
    data = cli_json("timeline", "الأمم المتحدة", "--by", by, "--index", corpus_index)
    (series,) = data["series"]
    assert data["by"] == by
    assert sum(p["count"] for p in series["points"]) + series["undated"] == series["total"]
    periods = [p["period"] for p in series["points"]]
    assert periods == sorted(periods) and len(set(periods)) == len(periods)


def test_shares_are_counts_over_all_articles_of_the_period(corpus_index):
    everything = cli_json("search", "", "--lang", "ar", "--index", corpus_index)["facets"]["month"]
    data = cli_json("timeline", "الأمم المتحدة", "--lang", "ar", "--index", corpus_index)
    for p in data["series"][0]["points"]:
        assert p["all"] == everything.get(p["period"], 0)
        assert p["share"] == (round(p["count"] / p["all"], 6) if p["all"] else 0.0)
    assert any(0 < p["share"] < 1 for p in data["series"][0]["points"])


def test_vs_gives_one_series_per_query_on_the_same_periods(corpus_index):
    data = cli_json("timeline", QUERIES[0], "--vs", QUERIES[1], "--vs", QUERIES[2], "--index", corpus_index)
    assert [s["query"] for s in data["series"]] == QUERIES[:3]
    periods = [[p["period"] for p in s["points"]] for s in data["series"]]
    assert periods[0] == periods[1] == periods[2]
    for s in data["series"]:
        alone = cli_json("timeline", s["query"], "--index", corpus_index)["series"][0]
        assert s["total"] == alone["total"]
        assert {p["period"]: p["count"] for p in s["points"] if p["count"]} == \
            {p["period"]: p["count"] for p in alone["points"] if p["count"]}


def test_csv_and_json_agree(corpus_index):
    args = ("timeline", QUERIES[0], "--vs", QUERIES[1], "--by", "year", "--index", corpus_index)
    data = cli_json(*args)
    result = run_cli(*args, "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    expected = []
    for s in data["series"]:
        expected += [(s["query"], p["period"], str(p["count"]), "%.6f" % p["share"]) for p in s["points"]]
        expected.append((s["query"], "undated", str(s["undated"]), ""))
    assert [(r["query"], r["period"], r["count"], r["share"]) for r in rows] == expected


def test_text_output_lists_each_query_and_period(corpus_index):
    result = run_cli("timeline", "الأمم المتحدة", "--by", "year", "--index", corpus_index)
    assert result.exit_code == 0, result.output
    assert "2023" in result.output and "2024" in result.output and "الأمم المتحدة" in result.output


@pytest.mark.parametrize("args, message", [
    (("--from", "2018-13"), "not a real date"),
    (("--to", "yesterday"), "cannot read the date"),
    (("--vs", "lang:klingon"), "not a language"),
])
def test_bad_input_gets_a_message_not_a_traceback(corpus_index, args, message):
    result = run_cli("timeline", "الأمم", *args, "--index", corpus_index)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_unknown_period_is_refused_by_the_option(corpus_index):
    result = run_cli("timeline", "الأمم", "--by", "decade", "--index", corpus_index)
    assert result.exit_code == 2 and "decade" in result.output


def test_iso_weeks_start_on_monday_and_cross_the_new_year():
    days = np.array([(date(2018, 12, 30) - date(1970, 1, 1)).days,      # Sunday, 2018-W52
                     (date(2018, 12, 31) - date(1970, 1, 1)).days,      # Monday, 2019-W01
                     (date(2019, 1, 6) - date(1970, 1, 1)).days], dtype=np.int64)
    keys = period_keys(days, "week")
    assert [period_label(k, "week") for k in keys] == ["2018-W52", "2019-W01", "2019-W01"]
    assert period_span(keys[1], "week") == ("2018-12-31", "2019-01-06")


@pytest.mark.parametrize("by, label, span", [
    ("day", "2020-02-29", ("2020-02-29", "2020-02-29")),
    ("month", "2020-02", ("2020-02-01", "2020-02-29")),
    ("year", "2020", ("2020-01-01", "2020-12-31")),
])
def test_period_labels_and_spans(by, label, span):
    day = np.array([(date(2020, 2, 29) - date(1970, 1, 1)).days], dtype=np.int64)
    key = period_keys(day, by)[0]
    assert period_label(key, by) == label
    assert period_span(key, by) == span


def test_undated_documents_are_counted_apart():
    days = np.array([10, UNDATED, 40, UNDATED, 41], dtype=np.int64)
    counts, undated = count_periods(np.array([0, 1, 2, 3, 4]), days, "month")
    assert undated == 2
    assert {period_label(k, "month"): n for k, n in counts.items()} == {"1970-01": 1, "1970-02": 2}
