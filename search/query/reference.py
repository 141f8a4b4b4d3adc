"""The query language in one table, from which every place that documents it is made.

README's "Query syntax" table (between ``<!-- syntax:start -->`` and
``<!-- syntax:end -->``: ``python -m search.query.reference --markdown``
prints it), the query syntax in ``akhbar search --help`` (``help_text``) and
the page's ``/help`` table, in English and Arabic (``SYNTAX``, rendered by
web/templates/pages/help.html), all come from ``SYNTAX`` below.
tests/test_docs.py checks that README's block is the generated one and that
every field, operator and mark the parser reads (search.query.syntax) is in each
place; tests/test_web_app.py that every example finds articles in the sample
archive.

In the meanings, text between backticks is a query or part of one (code on
the page and in README, plain in the terminal).
"""
import re
import sys
import textwrap
from dataclasses import dataclass
from typing import Tuple

from search.query.compile import PREFIX_EXPANSION_CAP


@dataclass(frozen=True)
class Syntax:
    typed: Tuple[str, ...]    # the ways it is typed, ``word``/``a``/``b`` standing for any word
    example: str              # a query that finds articles in corpus/: a link on the page
    en: str                   # what it finds, in English
    ar: str                   # the same in Arabic, for the page's Arabic interface

    def meaning(self, ui="en"):
        return self.ar if ui == "ar" else self.en

    def spans(self, ui="en"):
        """The meaning as (text, is_code) pieces: what is between backticks is code."""
        pieces = re.split(r"`([^`]*)`", self.meaning(ui))
        return [(text, i % 2 == 1) for i, text in enumerate(pieces) if text]


SYNTAX = (
    Syntax(("words",), "الامم المتحده",
           "articles with the words, those with most of them (and those with them in the title) first",
           "المقالات التي فيها الكلمات، وأولها ما فيه أكثرها (وما كانت في عنوانه)"),
    Syntax(('"a phrase"', "«…»", "“…”"), '"الأمن السيبراني"',
           'the words side by side, in this order, with or without diacritics: '
           '`"زَيْتِ الزَّيْتُونِ"` is `"زيت الزيتون"`',
           'الكلمات متجاورة بهذا الترتيب، بالتشكيل أو بدونه: `"زَيْتِ الزَّيْتُونِ"` هي `"زيت الزيتون"`'),
    Syntax(("a OR b", "a أو b"), "cholera OR كوليرا",
           "either word",
           "إحدى الكلمتين"),
    Syntax(("a AND b",), "زيت AND تونس",
           "both words",
           "الكلمتان كلتاهما"),
    Syntax(("+word",), "+الأمم السودان",
           "only articles with the word; `+a +b`: both words",
           "المقالات التي فيها الكلمة فقط؛ و`+a +b`: الكلمتان كلتاهما"),
    Syntax(("-word", "NOT word", "ليس word"), "المياه -العراق",
           'articles without the word; `-"…"`, `-( … )` and `-title:…` exclude too',
           'المقالات الخالية من الكلمة؛ و`-"…"` و`-( … )` و`-title:…` تستبعد كذلك'),
    Syntax(("( … )",), "(السودان OR ليبيا) الأمم",
           "grouping: `(a OR b) AND c`",
           "تجميع: `(a OR b) AND c`"),
    Syntax(("title:word", "عنوان:word"), "title:اتفاقية",
           'the word in a title; a phrase too: `title:"…"`',
           'الكلمة في العنوان؛ والعبارة كذلك: `title:"…"`'),
    Syntax(("source:name", "مصدر:name"), 'source:"Levant Wire"',
           "articles from a source whose name contains the words",
           "مقالات مصدر يحوي اسمه هذه الكلمات"),
    Syntax(("lang:code", "لغة:code"), "lang:fr",
           "articles in a language: `ar`, `en`, `fr`, `ru` or their names, another ISO 639 code, "
           "`und` where the language could not be told",
           "المقالات بلغة ما: `ar` أو `en` أو `fr` أو `ru` أو أسماؤها، أو رمز آخر من ISO 639، "
           "و`und` حيث لم تُعرف اللغة"),
    Syntax(("tag:word", "وسم:word"), "tag:الذكاء",
           "articles carrying that tag",
           "المقالات الموسومة بهذه الكلمة"),
    Syntax(("date:2018", "date:2018-03", "date:2018-03-01", "تاريخ:2018"), "date:2023-12",
           "a year, a month or a day; Arabic-Indic digits too: `تاريخ:٢٠١٨-٠٣`",
           "سنة أو شهر أو يوم؛ وبالأرقام المشرقية أيضاً: `تاريخ:٢٠١٨-٠٣`"),
    Syntax(("date:2018-03-01..2018-04-15", "date:2018-03..", "date:..2018-06"), "date:2023-01..2023-06",
           "a range of dates, open at either end",
           "مدة بين تاريخين، ويجوز ترك أحد طرفيها مفتوحاً"),
    Syntax(("word*",), "انتخاب*",
           "words starting with `word` (the %d commonest)" % PREFIX_EXPANSION_CAP,
           "الكلمات التي تبدأ بـ`word` (أشيع %d منها)" % PREFIX_EXPANSION_CAP),
    Syntax(("word~",), "elecion~",
           "words within one letter of `word` (two for long words)",
           "الكلمات التي تختلف عن `word` بحرف واحد (وبحرفين في الكلمات الطويلة)"),
    Syntax(("=word",), "=كَتَبَ",
           "this written form only, after normalisation: no stemming, no name variants "
           "(`=Putin` searches neither `بوتين` nor `Путин`); diacritics typed must be on the "
           "article's word (`=كَتَبَ` finds neither `كُتُب` nor a bare `كتب`)",
           "هذه الصيغة كما كُتبت فقط، بعد التوحيد: بلا صيغ الكلمة الأخرى ولا كتابات الاسم الأخرى "
           "(`=Putin` لا تبحث عن `بوتين` ولا `Путин`)؛ والتشكيل المكتوب يجب أن يكون على كلمة المقال "
           "(`=كَتَبَ` لا تجد `كُتُب` ولا `كتب` بلا تشكيل)"),
    Syntax(('="a phrase"',), '="الأمم المتحدة"',
           'an exact phrase, diacritics likewise; `"…"` without `=` is unchanged',
           'عبارة كما كُتبت، والتشكيل كذلك؛ أما `"…"` بلا `=` فكما سبق'),
)


def markdown():
    """README's table of the query syntax."""
    lines = ["| you type | example | it finds |", "| --- | --- | --- |"]
    for row in SYNTAX:
        typed = ", ".join("`%s`" % t for t in row.typed)
        lines.append("| %s | `%s` | %s |" % (typed, row.example, row.en))
    return "\n".join(lines) + "\n"


def _packed(forms, width):
    """``forms`` on lines of at most ``width`` characters, two spaces apart, none split."""
    lines = []
    for form in forms:
        if lines and len(lines[-1]) + 2 + len(form) <= width:
            lines[-1] += "  " + form
        else:
            lines.append(form)
    return lines


def help_text(width=74, column=24):
    """The query syntax as ``akhbar search --help`` prints it: the ways a row is typed
    on the left, what it finds on the right (below them when they are too long)."""
    lines = []
    for row in SYNTAX:
        typed = _packed(row.typed, column - 2)
        meaning = textwrap.wrap(row.en.replace("`", ""), width - column, break_long_words=False)
        if len(typed[0]) > column - 2:
            lines.append(typed.pop(0))
        for i in range(max(len(typed), len(meaning))):
            left = typed[i] if i < len(typed) else ""
            right = meaning[i] if i < len(meaning) else ""
            lines.append(("%-*s%s" % (column, left, right)).rstrip())
    return "\n".join(lines)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--markdown"]:
        sys.stdout.write(markdown())
    elif argv == ["--help-text"]:
        sys.stdout.write(help_text() + "\n")
    else:
        sys.stderr.write("usage: python -m search.query.reference --markdown | --help-text\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
