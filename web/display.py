"""How values look on the page: dates, months, languages, text direction, marked words.

Dates are written the way a reader of each language writes them, so an
Arabic result shows "9 ديسمبر 2023" and an English one "9 December 2023".
"""
import re
from html import escape

from markupsafe import Markup

RTL_LANGS = {"ar", "fa", "ur", "he"}

# The month names of the Arabic press of Egypt and the Gulf (the Levantine
# كانون/شباط names are also common, but one set has to be chosen).
MONTHS = {
    "ar": ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
           "أكتوبر", "نوفمبر", "ديسمبر"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
    # Russian dates take the genitive ("9 декабря"), month headings the nominative.
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
           "октября", "ноября", "декабря"],
}
RU_NOMINATIVE = ["Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август",
                 "Сентябрь", "Октябрь", "Ноябрь", "Декабрь"]

LANGUAGE_NAMES = {"ar": "العربية", "en": "English", "fr": "Français", "ru": "Русский",
                  "und": "unknown language"}

_ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")


def text_dir(lang):
    """'rtl' for the languages written right to left, 'auto' when unknown, else 'ltr'."""
    if lang in RTL_LANGS:
        return "rtl"
    return "auto" if lang in (None, "", "und") else "ltr"


def readable_date(iso, lang="en"):
    """'2022-12-09' -> '9 December 2022' (month names in ``lang``); '' when absent."""
    m = _ISO.match(iso or "")
    if not m:
        return iso or ""
    year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
    if not 1 <= month <= 12:
        return iso
    name = MONTHS.get(lang, MONTHS["en"])[month - 1]
    if day is None:
        return month_label(iso[:7], lang)
    return "%d %s %d" % (int(day), name, year)


def month_label(value, lang="en"):
    """'2018-03' -> 'March 2018'."""
    m = _ISO.match((value or "") + "-01" if len(value or "") == 7 else value or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        return value or ""
    month = int(m.group(2))
    if lang == "ru":
        name = RU_NOMINATIVE[month - 1]
    else:
        name = MONTHS.get(lang, MONTHS["en"])[month - 1]
    return "%s %s" % (name, m.group(1))


def language_name(code):
    """A language's own name for itself, or the code when unknown."""
    return LANGUAGE_NAMES.get(code, code)


def web_url(url):
    """``url`` when it is an http(s) address, else None: a javascript: link from an
    ingested file must never become clickable."""
    if url and re.match(r"^https?://", url.strip(), re.I):
        return url.strip()
    return None


def marked_html(marked):
    """A ``search.results.Marked`` as HTML: the text escaped, its spans in ``<mark>``.

    The JSON output's ``snippet_html`` and ``title_html`` are this too.
    """
    return Markup("".join("<mark>%s</mark>" % escape(piece) if is_marked else escape(piece)
                          for piece, is_marked in marked.pieces()))


def hit_json(hit):
    """One hit as ``--json`` writes it; ``snippet_html`` and ``title_html`` are the page's HTML."""
    return {
        "id": hit.id, "title": hit.title, "date": hit.date, "source": hit.source, "sources": hit.sources,
        "lang": hit.lang, "score": hit.score, "snippet": hit.snippet.text,
        "snippet_html": str(marked_html(hit.snippet)), "title_html": str(marked_html(hit.marked_title)),
        "path": hit.path, "url": hit.url,
        "also": [{"id": c.id, "path": c.path, "source": c.source} for c in hit.also],
    }


def register(env):
    """Make these helpers available to every template of ``env``."""
    env.globals.update(text_dir=text_dir, language_name=language_name)
    env.filters.update(readable_date=readable_date, month_label=month_label, web_url=web_url,
                       marked=marked_html)
