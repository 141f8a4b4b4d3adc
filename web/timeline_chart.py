"""A timeline (``search.views.timeline``) as the geometry of an SVG bar chart.

The page draws it with no JavaScript: each period is a group of bars, one
per query, each bar a link to the search narrowed to that period.  In the
Arabic interface the time axis runs right to left, earliest period on the
right, as the page around it reads; the value axis then stands on the right.
"""
from dataclasses import dataclass
from typing import List, Optional

WIDTH, HEIGHT = 640, 280
TOP, BOTTOM, SIDE, FAR = 12, 44, 56, 12       # margins: above, below, value-axis side, the other side
MAX_LABELS = 12
CHAR_WIDTH = 7.5            # of the 13px axis font, generously


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    url: Optional[str]
    title: str


@dataclass
class Label:
    x: float
    y: float
    text: str
    anchor: str


@dataclass
class Chart:
    width: int
    height: int
    bars: List[Bar]
    period_labels: List[Label]
    value_labels: List[Label]
    gridlines: List[float]
    axis_y: float
    plot: tuple                # (left, right) of the plotting area


def nice_ceiling(value):
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is >= value (1 for 0)."""
    if value <= 0:
        return 1
    power = 1.0
    while power * 10 <= value:
        power *= 10
    while power > value:
        power /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def build_chart(data, show, rtl, period_name, period_url, value_text):
    """The Chart of timeline ``data`` drawing counts (show='count') or shares (show='share').

    ``period_name(label)`` gives an axis label, ``period_url(series, point)`` a
    bar's link (None for none), ``value_text(series, point)`` its tooltip.
    """
    series = data["series"]
    points = len(series[0]["points"]) if series else 0
    left, right = (FAR, WIDTH - SIDE) if rtl else (SIDE, WIDTH - FAR)
    bottom = HEIGHT - BOTTOM
    key = "share" if show == "share" else "count"
    top_value = nice_ceiling(max([p[key] for s in series for p in s["points"]] or [0]))
    scale = (bottom - TOP) / top_value
    group = (right - left) / max(points, 1)
    bar = group * 0.8 / max(len(series), 1)
    bars = []
    for i in range(points):
        # Mirror the time axis in a right-to-left interface.
        start = (right - (i + 1) * group if rtl else left + i * group) + group * 0.1
        for k, s in enumerate(series):
            p = s["points"][i]
            h = p[key] * scale
            x = start + (len(series) - 1 - k if rtl else k) * bar
            bars.append(Bar(round(x, 2), round(bottom - h, 2), round(max(bar - 1, 1), 2), round(h, 2), k,
                            period_url(s, p) if p["count"] else None, value_text(s, p)))
    names = [period_name(p["period"]) for p in series[0]["points"]] if series else []
    # Labels never overlap: one every so many periods, from the longest label's width.
    room = max((len(n) for n in names), default=1) * CHAR_WIDTH + 10
    every = max(1, -(-points // MAX_LABELS), int(-(-room // group)))
    labels = []
    if series:
        for i, p in enumerate(series[0]["points"]):
            if i % every == 0:
                centre = (right - (i + 0.5) * group) if rtl else left + (i + 0.5) * group
                labels.append(Label(round(centre, 2), bottom + 18, names[i], "middle"))
    values = []
    grid = []
    for f in (0, 0.25, 0.5, 0.75, 1):
        v = top_value * f
        if key == "count" and v != int(v):
            continue            # no half articles on the axis
        y = round(bottom - v * scale, 2)
        grid.append(y)
        text = ("%g%%" % round(v * 100, 3)) if key == "share" else "{:,}".format(int(v)) if v == int(v) else "%g" % v
        values.append(Label(right + 6 if rtl else left - 6, y + 4, text, "start" if rtl else "end"))
    return Chart(WIDTH, HEIGHT, bars, labels, values, grid, bottom, (left, right))
