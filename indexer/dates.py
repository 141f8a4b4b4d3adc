"""Reading the dates news archives write, into ISO 8601.

A date that cannot be read is ``None``: a date is never invented.
"""
import re
from datetime import date

from .analysis.arabic import normalize

# Both Arabic month-name families: the Egyptian/Maghrebi one (يناير ...) and the
# Levantine/Iraqi one (كانون الثاني ...), plus common spelling variants.  Keys
# are normalised the same way the text is before lookup.
_AR_MONTHS = {
    "يناير": 1, "جانفي": 1, "كانون الثاني": 1,
    "فبراير": 2, "فيفري": 2, "شباط": 2,
    "مارس": 3, "آذار": 3, "اذار": 3,
    "أبريل": 4, "ابريل": 4, "إبريل": 4, "أفريل": 4, "نيسان": 4,
    "مايو": 5, "ماي": 5, "أيار": 5, "ايار": 5,
    "يونيو": 6, "يونيه": 6, "جوان": 6, "حزيران": 6,
    "يوليو": 7, "يوليه": 7, "جويلية": 7, "تموز": 7,
    "أغسطس": 8, "اغسطس": 8, "أوت": 8, "آب": 8, "اب": 8,
    "سبتمبر": 9, "أيلول": 9, "ايلول": 9,
    "أكتوبر": 10, "اكتوبر": 10, "تشرين الأول": 10,
    "نوفمبر": 11, "تشرين الثاني": 11,
    "ديسمبر": 12, "كانون الأول": 12,
}
_LATIN_MONTHS = {
    "january": 1, "jan": 1, "janvier": 1, "января": 1, "январь": 1,
    "february": 2, "feb": 2, "février": 2, "fevrier": 2, "февраля": 2, "февраль": 2,
    "march": 3, "mar": 3, "mars": 3, "марта": 3, "март": 3,
    "april": 4, "apr": 4, "avril": 4, "апреля": 4, "апрель": 4,
    "may": 5, "mai": 5, "мая": 5, "май": 5,
    "june": 6, "jun": 6, "juin": 6, "июня": 6, "июнь": 6,
    "july": 7, "jul": 7, "juillet": 7, "июля": 7, "июль": 7,
    "august": 8, "aug": 8, "août": 8, "aout": 8, "августа": 8, "август": 8,
    "september": 9, "sep": 9, "sept": 9, "septembre": 9, "сентября": 9, "сентябрь": 9,
    "october": 10, "oct": 10, "octobre": 10, "октября": 10, "октябрь": 10,
    "november": 11, "nov": 11, "novembre": 11, "ноября": 11, "ноябрь": 11,
    "december": 12, "dec": 12, "décembre": 12, "decembre": 12, "декабря": 12, "декабрь": 12,
}
MONTHS = {normalize(k).lower(): v for k, v in {**_AR_MONTHS, **_LATIN_MONTHS}.items()}
# Longest names first so "كانون الثاني" wins over a shorter overlap.
_MONTH_ALT = "|".join(sorted((re.escape(k) for k in MONTHS), key=len, reverse=True))

_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DMY = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")
# "9 ديسمبر/كانون الأول 2022", "09 ديسمبر 2022", "3 October 2023"
_NAMED = re.compile(r"(?<!\d)(\d{1,2})\s+(%s)(?:\s*/\s*(?:%s))?,?\s+(\d{4})(?!\d)" % (_MONTH_ALT, _MONTH_ALT))
# "October 3, 2023"
_NAMED_MDY = re.compile(r"(?<![\w])(%s)\s+(\d{1,2}),?\s+(\d{4})(?!\d)" % _MONTH_ALT)


def _make(y, m, d):
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def parse_date(text):
    """ISO date (YYYY-MM-DD) from a date as written, or None if it cannot be read."""
    if not text:
        return None
    return _find(normalize(str(text)).lower())[0]


def _find(t):
    """(ISO date or None, the match) of the first date written in normalised text ``t``."""
    m = _ISO.search(t)
    if m:
        return _make(*m.groups()), m
    m = _NAMED.search(t)
    if m:
        return _make(m.group(3), MONTHS[m.group(2)], m.group(1)), m
    m = _NAMED_MDY.search(t)
    if m:
        return _make(m.group(3), MONTHS[m.group(1)], m.group(2)), m
    m = _DMY.search(t)
    if m:
        return _make(m.group(3), m.group(2), m.group(1)), m
    return None, None


_WEEKDAYS = {normalize(w).lower() for w in (
    "السبت الأحد الاحد الإثنين الاثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة "
    "monday tuesday wednesday thursday friday saturday sunday "
    "lundi mardi mercredi jeudi vendredi samedi dimanche "
    "понедельник вторник среда четверг пятница суббота воскресенье").split()}
_TIME_OR_MARK = re.compile(r"^(?:\d{1,2}[:.]\d{2}(?::\d{2})?|[apm.]+|gmt|utc|[-–/|،,:]+)$")


def looks_like_date_line(line):
    """True when a line is nothing but a date, perhaps with a weekday and a time.

    A short sentence that merely contains a date ("the council meets on
    12 May 2023") is body text and must not be taken for the date line.
    """
    if len(line) > 60:
        return False
    t = normalize(line).lower()
    iso, m = _find(t)
    if iso is None:
        return False
    rest = (t[:m.start()] + " " + t[m.end():]).split()
    return all(w.strip("،,") in _WEEKDAYS or _TIME_OR_MARK.match(w) for w in rest)
