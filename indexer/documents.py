"""Raw archive files to ``Article`` records, one reader per format.

``iter_articles`` (and ``read_file``, the same as a list) detects the format
of each file from its name and its first characters, never from a flag, and
gives its articles one at a time; a file it cannot read raises
``UnreadableFile`` with the reason, so the caller can report it and go on.

Files are read as a stream (``indexer.encoding.open_text``) and split into
records as they are read (``indexer.records``): memory holds the record
being read, at most MAX_RECORD_CHARS characters, whatever the file's size.  A
record over that size is reported and skipped without being read whole; a
bad record costs itself, never the records around it.
"""
import os
import re
from dataclasses import dataclass, field
from typing import List, Optional

from .dates import parse_date
from .encoding import NotText, open_text
from .pages import is_scraped_page, paragraphs as _paragraphs, parse_page, parse_plain
from .records import csv_rows, json_lines, json_values, trec_documents
from .window import Window


@dataclass
class Article:
    """One news article as the index sees it."""
    id: str
    title: str
    body: str
    path: str                       # where it was found, relative to the indexed folder
    date: Optional[str] = None      # ISO 8601 or None
    sources: List[str] = field(default_factory=list)
    tags: List[str] = field(default_factory=list)
    lang: Optional[str] = None
    url: Optional[str] = None
    author: Optional[str] = None
    category: Optional[str] = None
    abstract: Optional[str] = None
    related: List[str] = field(default_factory=list)   # headlines of a related-articles list


# One article (or one record of an export) larger than this is not news but
# a runaway export or a binary blob: it is reported and skipped, and the rest
# of its file kept.  The largest article of the ANT corpus is 38 KB.
MAX_ARTICLE_CHARS = 1_000_000
# One record as written in its file (a CSV row, a JSON Lines line, a value of
# a JSON file, a TREC document) or a file read whole (a page, plain text):
# room for an article at the limit written with JSON's \uXXXX escapes.  A
# record over it is skipped unread; a page or text file over it is refused.
MAX_RECORD_CHARS = 6 * MAX_ARTICLE_CHARS
# Lines of problems reported for one file; further ones are counted.
MAX_PROBLEMS = 100


class UnreadableFile(Exception):
    """A file that cannot be read as an archive; the message says why."""


class EmptyRecord(ValueError):
    """A record with neither a title nor a text: counted, not reported one by one."""


class _Report:
    """What went wrong inside one file, appended to the caller's ``problems``: at most
    MAX_PROBLEMS lines and then their count; empty records counted and reported once."""

    def __init__(self, path, problems, noun="record"):
        self.path, self.problems, self.first, self.noun = path, problems, len(problems), noun
        self.more, self.empty, self.empty_where = 0, 0, []

    def add(self, what):
        if len(self.problems) - self.first < MAX_PROBLEMS:
            self.problems.append("%s: %s" % (self.path, what))
        else:
            self.more += 1

    def add_empty(self, where):
        self.empty += 1
        if len(self.empty_where) < 3:
            self.empty_where.append(where)

    def finish(self, kept, unreadable):
        """Add the counts; when nothing was ``kept``, raise UnreadableFile (the file's one
        problem, the empty records' count or ``unreadable`` as its reason)."""
        where = ", ".join(self.empty_where) + (", …" if self.empty > 3 else "")
        empty = self.empty and ("%s has neither a title nor a text, skipped" % where if self.empty == 1 else
                                "%s %ss have neither a title nor a text, skipped (%s)" % (
                                    format(self.empty, ","), self.noun, where))
        if not kept:
            if len(self.problems) - self.first == 1 and not self.empty:
                raise UnreadableFile(self.problems.pop()[len(self.path) + 2:])
            raise UnreadableFile("no article found in it: " + empty if empty else unreadable)
        if empty:
            self.problems.append("%s: %s" % (self.path, empty))
        if self.more:
            self.problems.append("%s: %s more problems in this file, not listed" % (self.path, format(self.more, ",")))


# ---------------------------------------------------------------- TREC SGML

_TAG_CACHE = {}


def _tag(doc, *names):
    """Text of the first ``<NAME>…</NAME>`` of the first name present.

    Found with two linear searches (the first opening tag, then the first
    closing tag after it) rather than ``<NAME>(.*?)</NAME>``, which rescans
    to the end of the document from every unclosed opening tag.
    """
    for name in names:
        rx = _TAG_CACHE.get(name)
        if rx is None:
            rx = _TAG_CACHE[name] = (re.compile("<%s>" % name, re.I), re.compile("</%s>" % name, re.I))
        opening = rx[0].search(doc)
        if opening:
            closing = rx[1].search(doc, opening.end())
            if closing:
                return doc[opening.end():closing.start()].strip()
    return None


def _trec_articles(w, path, report):
    """TREC-style SGML: every <DOC> in the file.

    A ``<DOC>`` whose ``</DOC>`` is missing is read up to the next ``<DOC>``,
    so the documents after it are kept; a last one cut off by the file's end
    is left out.  Both are reported, as is a document holding a NUL byte; a
    document with neither a title nor a text (a bare ``<DOC>``) is counted.
    """
    kept = 0
    for n, (line, doc, problem) in enumerate(trec_documents(w), 1):
        if problem is not None:
            report.add(problem)
            continue
        doc, ending = doc
        if ending != "cut" and not _NOT_BLANK.search(doc):
            report.add_empty("document %d" % n)
            report.noun = "document"
            continue
        docno = _tag(doc, "DOCNO") or ("%s#%d" % (path, n) if n > 1 else path)
        if ending == "cut":
            if kept:
                report.add("document %d (%s) is cut off (no </DOC> before the end of the file), skipped"
                           % (n, docno))
            continue
        if "\x00" in doc:
            report.add("document %d (%s) holds a NUL byte (binary data), skipped" % (n, docno))
            continue
        source = _tag(doc, "SRC", "SOURCE")
        article = Article(
            id=docno, path=path,
            title=_tag(doc, "TITLE", "HEADLINE") or "",
            body=_paragraphs((_tag(doc, "TEXT") or "").splitlines()),
            date=parse_date(_tag(doc, "DATE", "TIME", "DATE_TIME")),
            sources=[source] if source else [],
            url=_tag(doc, "URL"), category=_tag(doc, "CAT"),
            author=_tag(doc, "AUTHOR"), abstract=_tag(doc, "ABSTRACT"),
        )
        if not (article.title or article.body or article.abstract):
            report.add_empty("document %d" % n)
            report.noun = "document"
            continue
        if ending == "next":
            report.add("document %d (%s) has no </DOC>; read up to the next <DOC>" % (n, docno))
        kept += 1
        yield article


# ---------------------------------------------------------------- JSON, JSONL, CSV

FIELD_NAMES = {
    "title": ("title", "headline", "heading_title", "name"),
    "body": ("text", "content", "article", "body", "story"),
    "date": ("date", "published", "published_at", "date_extracted", "time", "datetime"),
    "source": ("source", "publisher", "agency", "site"),
    "url": ("url", "link"),
    "lang": ("lang", "language"),
    "tags": ("tags", "keywords", "categories"),
    "author": ("author", "authors", "byline"),
    "abstract": ("abstract", "summary", "heading", "description"),
    "category": ("category", "cat", "section"),
}


def _first(record, names):
    for n in names:
        v = record.get(n)
        if v not in (None, "", []):
            return v
    return None


def _as_list(v):
    if v is None:
        return []
    if isinstance(v, (list, tuple)):
        return [str(x).strip() for x in v if str(x).strip()]
    return [t.strip() for t in re.split(r"[،,;؛]", str(v)) if t.strip()]


def _text(v):
    """A record's value as one string: lists joined, numbers written out, None kept."""
    if v is None:
        return None
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x).strip() for x in v if str(x).strip()) or None
    return str(v).strip() or None


# Lone surrogates (an escaped "\ud83d" in JSON; decoded bytes never hold one)
# cannot be written as UTF-8: the character is dropped, as a stray byte is.
# Deeper values reach the article through repr(), which escapes them.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(v):
    if isinstance(v, list):
        return [_SURROGATE.sub("", x) if isinstance(x, str) else x for x in v]
    return _SURROGATE.sub("", v) if isinstance(v, str) else v


def _language(value):
    """A record's language as the index stores it: two letters of its primary subtag (``ar-EG``
    and ``ara`` are ``ar``); None for ``und`` (undetermined), which leaves it to detection."""
    code = re.split(r"[-_]", str(value).strip().lower(), maxsplit=1)[0]
    return code[:2] if code and code != "und" else None


def article_from_record(record, path, n, field_map=None):
    """An Article from one JSON/CSV record; ``field_map`` maps our names to theirs."""
    if not isinstance(record, dict):
        raise ValueError("record is not an object")
    rec = {str(k).lower(): _no_surrogates(v) for k, v in record.items()}
    names = dict(FIELD_NAMES)
    for ours, theirs in (field_map or {}).items():
        names[ours] = (theirs.lower(),) + names.get(ours, ())
    title = str(_first(rec, names["title"]) or "").strip()
    body = _paragraphs(str(_first(rec, names["body"]) or "").splitlines())
    if not title and not body:
        raise EmptyRecord("record has neither a title nor a text field")
    rid = _first(rec, names.get("id", ()) + ("id", "docno", "url")) or ("%s#%d" % (path, n) if n > 1 else path)
    author = _first(rec, names["author"])
    lang = _first(rec, names["lang"])
    return Article(
        id=str(rid), path=path, title=title, body=body,
        date=parse_date(_first(rec, names["date"])),
        sources=_as_list(_first(rec, names["source"])),
        tags=_as_list(_first(rec, names["tags"])),
        url=_text(_first(rec, names["url"])),
        lang=_language(lang) if lang else None,
        author=_text(author),
        abstract=_text(_first(rec, names["abstract"])),
        category=_text(_first(rec, names["category"])),
    )


def _record_articles(items, path, report, field_map):
    """Articles of ``(line, record, problem)`` items, record ``n`` being the n-th item."""
    for n, (_line, record, problem) in enumerate(items, 1):
        if problem is not None:
            report.add(problem)
            continue
        try:
            yield article_from_record(record, path, n, field_map)
        except EmptyRecord:
            report.add_empty("record %d" % n)
        except (ValueError, TypeError, RecursionError) as e:
            # A value that cannot be written out (a list nested too deep) is this record's problem.
            report.add("record %d: %s" % (n, str(e)[:200] or type(e).__name__))


def _csv_records(w):
    """Each CSV row as a dict of the header's names (csv.DictReader's way: extra fields under
    None, missing ones None); raises UnreadableFile for a file without a header."""
    rows = csv_rows(w)
    for _line, header, problem in rows:
        if problem is not None:
            raise UnreadableFile("CSV header cannot be read: %s" % problem)
        break
    else:
        raise UnreadableFile("CSV without a header line")
    for line, row, problem in rows:
        if problem is None:
            record = dict(zip(header, row))
            if len(row) > len(header):
                record[None] = row[len(header):]
            for name in header[len(row):]:
                record[name] = None
            row = record
        yield line, row, problem


def _too_long(chars):
    return "%s characters, over the limit of %s for one article, skipped" % (
        format(chars, ","), format(MAX_ARTICLE_CHARS, ","))


# ---------------------------------------------------------------- dispatch

# A <DOC> opening a line near the top: stray text before the first one (a
# stray line, a comment) must not make a TREC file plain text.
_TREC_START = re.compile(r"^[^\S\n]*<DOC>", re.I | re.M)
_NOT_BLANK = re.compile(r"\S")
# What only JSON records start with: an object's first key, or an array of
# objects (or arrays, or strings).  A text whose title is "[Update] ..." is text.
_JSON_START = re.compile(r'\{\s*["}]|\[\s*[{\["\]]')


def detect_format(name, text):
    """One of 'trec', 'json', 'jsonl', 'csv', 'page', 'plain' (``text``: the file's text, or its start)."""
    ext = os.path.splitext(name)[1].lower()
    head = text.lstrip()[:2000]
    if ext in (".jsonl", ".ndjson"):
        return "jsonl"
    if ext == ".csv":
        return "csv"
    if ext != ".json" and _TREC_START.search(head):
        return "trec"
    if ext == ".json" or _JSON_START.match(head):
        # A whole object on the first line with more lines after it is JSON
        # Lines, whatever the file is called (exports often name it .json).
        first = head.split("\n", 1)[0].strip()
        return "jsonl" if first.startswith("{") and first.endswith("}") and "\n" in head.rstrip() else "json"
    return "page" if is_scraped_page(text) else "plain"


def _whole(w):
    """The whole text of a file read whole (a page, plain text), up to MAX_RECORD_CHARS."""
    w.keep = w.base
    while not w.eof:
        if w.end > MAX_RECORD_CHARS:        # characters read, blanks let go before included
            raise UnreadableFile("over %s characters: a page or plain text file is one article, and this is "
                                 "more than any article (the limit is %s)" % (
                                     format(MAX_RECORD_CHARS, ","), format(MAX_ARTICLE_CHARS, ",")))
        w.more(w.end)
    return w.buf.replace("\x00", "")     # a stray NUL byte costs itself, as other stray bytes do


def _articles(w, fmt, relpath, field_map, report):
    if fmt == "trec":
        return _trec_articles(w, relpath, report)
    if fmt in ("json", "jsonl", "csv"):
        records = {"json": json_values, "jsonl": json_lines, "csv": _csv_records}[fmt](w)
        return _record_articles(records, relpath, report, field_map)
    text = _whole(w)
    return (parse_page if is_scraped_page(text) else parse_plain)(text, relpath, Article)


def iter_articles(fullpath, relpath, field_map=None, problems=None):
    """The articles of one file, one at a time; raises UnreadableFile with the reason
    when it holds none (before the first or after the last).

    Problems inside a file that do not spoil the rest of it (a malformed
    line of a JSON Lines export) are appended to ``problems``.
    """
    problems = problems if problems is not None else []
    report = _Report(relpath, problems)
    try:
        # A few NUL bytes are damage, not binary data: a record holding one is reported.
        stream, _encoding = open_text(fullpath, nul_ok=lambda head: True)
    except OSError as e:
        raise UnreadableFile("cannot read: %s" % (e.strerror or e))
    except NotText as e:
        raise UnreadableFile(str(e))
    kept = 0
    try:
        w = Window(stream, MAX_RECORD_CHARS)
        if w.search(_NOT_BLANK, 0) is None:
            raise UnreadableFile("empty file")
        fmt = detect_format(relpath, w.buf)
        for article in _articles(w, fmt, relpath, field_map, report):
            chars = len(article.title) + len(article.body) + len(article.abstract or "")
            if chars > MAX_ARTICLE_CHARS:
                report.add("article %s: %s" % (article.id, _too_long(chars)))
                continue
            kept += 1
            yield article
    except OSError as e:
        raise UnreadableFile("cannot read: %s" % (e.strerror or e))
    finally:
        stream.close()
    report.finish(kept, "no complete <DOC>...</DOC> element" if fmt == "trec" else "no article found in it")


def read_file(fullpath, relpath, field_map=None, problems=None):
    """Articles of one file, as a list (iter_articles); raises UnreadableFile with the reason."""
    return list(iter_articles(fullpath, relpath, field_map, problems))
