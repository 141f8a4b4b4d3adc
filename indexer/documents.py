"""Raw archive files to ``Article`` records, one reader per format.

``read_file`` detects the format of each file from its name and its first
bytes, never from a flag, and yields articles; a file it cannot read raises
``UnreadableFile`` with the reason, so the caller can report it and go on.
"""
import csv
import io
import json
import os
import re
from dataclasses import dataclass, field
from typing import List, Optional

from .dates import parse_date
from .encoding import NotText, decode
from .pages import is_scraped_page, paragraphs as _paragraphs, parse_page, parse_plain


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
# CSV and JSON Lines exports (and TREC files, by their first tag) are read
# record by record, so a few NUL bytes spoil only the records holding them.
RECORD_FORMATS = (".csv", ".jsonl", ".ndjson")


class UnreadableFile(Exception):
    """A file that cannot be read as an archive; the message says why."""


# ---------------------------------------------------------------- TREC SGML

_DOC_OPEN = re.compile(r"<DOC>", re.I)
_DOC_CLOSE = re.compile(r"</DOC>", re.I)
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


def _trec_docs(text):
    """(document text, how it ends) of every ``<DOC>``: "closed" at its ``</DOC>``;
    when that is missing, "next" (read up to the next ``<DOC>``) or "cut" (the file ends)."""
    starts = [m.end() for m in _DOC_OPEN.finditer(text)]
    for n, start in enumerate(starts):
        end = starts[n + 1] - len("<DOC>") if n + 1 < len(starts) else len(text)
        closing = _DOC_CLOSE.search(text, start, end)
        if closing:
            yield text[start:closing.start()], "closed"
        else:
            yield text[start:end], "next" if n + 1 < len(starts) else "cut"


def parse_trec(text, path, problems=None):
    """TREC-style SGML: every <DOC> in the file.

    A ``<DOC>`` whose ``</DOC>`` is missing is read up to the next ``<DOC>``,
    so the documents after it are kept; a last one cut off by the file's end
    is left out.  Both are reported in ``problems``.
    """
    problems = problems if problems is not None else []
    articles = []
    for n, (doc, ending) in enumerate(_trec_docs(text), 1):
        docno = _tag(doc, "DOCNO") or ("%s#%d" % (path, n) if n > 1 else path)
        if ending == "cut":
            if articles:
                problems.append("%s: document %d (%s) is cut off (no </DOC> before the end of the file), "
                                "skipped" % (path, n, docno))
            continue
        if "\x00" in doc:
            problems.append("%s: document %d (%s) holds a NUL byte (binary data), skipped" % (path, n, docno))
            continue
        if ending == "next":
            problems.append("%s: document %d (%s) has no </DOC>; read up to the next <DOC>" % (path, n, docno))
        source = _tag(doc, "SRC", "SOURCE")
        articles.append(Article(
            id=docno, path=path,
            title=_tag(doc, "TITLE", "HEADLINE") or "",
            body=_paragraphs((_tag(doc, "TEXT") or "").splitlines()),
            date=parse_date(_tag(doc, "DATE", "TIME", "DATE_TIME")),
            sources=[source] if source else [],
            url=_tag(doc, "URL"), category=_tag(doc, "CAT"),
            author=_tag(doc, "AUTHOR"), abstract=_tag(doc, "ABSTRACT"),
        ))
    if not articles:
        raise UnreadableFile("no complete <DOC>...</DOC> element")
    return articles


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


def _language(value):
    """A record's language as the index stores it: two letters of its primary subtag (``ar-EG``
    and ``ara`` are ``ar``); None for ``und`` (undetermined), which leaves it to detection."""
    code = re.split(r"[-_]", str(value).strip().lower(), maxsplit=1)[0]
    return code[:2] if code and code != "und" else None


def article_from_record(record, path, n, field_map=None):
    """An Article from one JSON/CSV record; ``field_map`` maps our names to theirs."""
    if not isinstance(record, dict):
        raise ValueError("record is not an object")
    rec = {str(k).lower(): v for k, v in record.items()}
    names = dict(FIELD_NAMES)
    for ours, theirs in (field_map or {}).items():
        names[ours] = (theirs.lower(),) + names.get(ours, ())
    title = _first(rec, names["title"])
    body = _first(rec, names["body"])
    if not title and not body:
        raise ValueError("record has neither a title nor a text field")
    rid = _first(rec, names.get("id", ()) + ("id", "docno", "url")) or ("%s#%d" % (path, n) if n > 1 else path)
    author = _first(rec, names["author"])
    lang = _first(rec, names["lang"])
    return Article(
        id=str(rid), path=path, title=str(title or "").strip(),
        body=_paragraphs(str(body or "").splitlines()),
        date=parse_date(_first(rec, names["date"])),
        sources=_as_list(_first(rec, names["source"])),
        tags=_as_list(_first(rec, names["tags"])),
        url=_text(_first(rec, names["url"])),
        lang=_language(lang) if lang else None,
        author=_text(author),
        abstract=_text(_first(rec, names["abstract"])),
        category=_text(_first(rec, names["category"])),
    )


def parse_json(text, path, problems, field_map=None):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        records = _array_prefix(text)
        if not records:
            raise UnreadableFile("malformed JSON: %s" % e)
        # A cut-off or spoiled array keeps the records before the damage.
        problems.append("%s: malformed JSON after record %d (%s), the rest skipped" % (path, len(records), e))
        return _records(records, path, problems, field_map)
    records = data if isinstance(data, list) else [data]
    return _records(records, path, problems, field_map)


def _array_prefix(text):
    """The complete records at the start of a JSON array that is malformed further on."""
    decoder, records = json.JSONDecoder(), []
    pos = len(text) - len(text.lstrip())
    if not text.startswith("[", pos):
        return records
    pos += 1
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        try:
            record, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            return records
        records.append(record)


def _lines(text):
    """(line number, line) of ``text`` split at newlines only, one at a time.

    Not ``splitlines()``: that also splits at U+2028 and the other Unicode
    line separators, which JSON allows inside a string, and it copies every
    line of a large export at once.
    """
    start, lineno = 0, 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        lineno += 1
        yield lineno, text[start:end]
        start = end + 1


def parse_jsonl(text, path, problems, field_map=None):
    def records():
        for lineno, line in _lines(text):
            if not line.strip():
                continue
            if len(line) > MAX_ARTICLE_CHARS:
                problems.append("%s: line %d: %s" % (path, lineno, _too_long(len(line))))
                yield None
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as e:
                problems.append("%s: line %d: malformed JSON (%s)" % (path, lineno, e.msg))
                yield None
    return _records(records(), path, problems, field_map)


def parse_csv(text, path, problems, field_map=None):
    # The csv module refuses fields over 128 KB by default; ours is the article limit.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_ARTICLE_CHARS))
    reader = csv.DictReader(io.StringIO(text))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as e:
        raise UnreadableFile("CSV header cannot be read: %s" % e)
    if not fieldnames:
        raise UnreadableFile("CSV without a header line")

    def rows():
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                problems.append("%s: line %d: %s" % (path, reader.line_num, e))
                yield None
                continue
            if any("\x00" in v for v in row.values() if isinstance(v, str)):
                # A NUL byte is binary data spilled into the row, not text.
                problems.append("%s: line %d: holds a NUL byte (binary data)" % (path, reader.line_num))
                yield None
                continue
            yield row
    return _records(rows(), path, problems, field_map)


def _records(records, path, problems, field_map):
    articles = []
    for n, rec in enumerate(records, 1):
        if rec is None:
            continue
        try:
            articles.append(article_from_record(rec, path, n, field_map))
        except ValueError as e:
            problems.append("%s: record %d: %s" % (path, n, e))
    return articles


def _too_long(chars):
    return "%s characters, over the limit of %s for one article, skipped" % (
        format(chars, ","), format(MAX_ARTICLE_CHARS, ","))


def _within_limit(articles, problems):
    """The articles no longer than MAX_ARTICLE_CHARS, the others reported;
    UnreadableFile when none is."""
    kept, over = [], []
    for a in articles:
        chars = len(a.title) + len(a.body) + len(a.abstract or "")
        if chars > MAX_ARTICLE_CHARS:
            over.append("article %s: %s" % (a.id, _too_long(chars)))
        else:
            kept.append(a)
    if not kept:
        raise UnreadableFile("; ".join(over[:3]) + ("; …" if len(over) > 3 else ""))
    problems.extend("%s: %s" % (articles[0].path, o) for o in over)
    return kept


# ---------------------------------------------------------------- dispatch

# A <DOC> opening a line near the top: stray text before the first one (a
# stray line, a comment) must not make a TREC file plain text.
_TREC_START = re.compile(r"^[^\S\n]*<DOC>", re.I | re.M)
_TREC_START_BYTES = re.compile(rb"^[ \t\r]*<DOC>", re.I | re.M)


def detect_format(name, text):
    """One of 'trec', 'json', 'jsonl', 'csv', 'page', 'plain'."""
    ext = os.path.splitext(name)[1].lower()
    head = text.lstrip()[:2000]
    if ext in (".jsonl", ".ndjson"):
        return "jsonl"
    if ext == ".csv":
        return "csv"
    if ext != ".json" and _TREC_START.search(head):
        return "trec"
    if ext == ".json" or head.startswith(("{", "[")):
        # A whole object on the first line with more lines after it is JSON
        # Lines, whatever the file is called (exports often name it .json).
        first = head.split("\n", 1)[0].strip()
        return "jsonl" if first.startswith("{") and first.endswith("}") and "\n" in head.rstrip() else "json"
    return "page" if is_scraped_page(text) else "plain"


def _holds_records(name, data):
    """Whether a file is records its reader takes one by one (CSV, JSON Lines, TREC)."""
    return os.path.splitext(name)[1].lower() in RECORD_FORMATS or _TREC_START_BYTES.search(data[:2000]) is not None


def read_file(fullpath, relpath, field_map=None, problems=None):
    """Articles of one file; raises UnreadableFile with the reason.

    Problems inside a file that do not spoil the rest of it (a malformed
    line of a JSON Lines export) are appended to ``problems``.
    """
    problems = problems if problems is not None else []
    try:
        with open(fullpath, "rb") as f:
            data = f.read()
    except OSError as e:
        raise UnreadableFile("cannot read: %s" % (e.strerror or e))
    if not data.strip():
        raise UnreadableFile("empty file")
    try:
        text, _encoding = decode(data, nul_ok=_holds_records(relpath, data))
    except NotText as e:
        raise UnreadableFile(str(e))
    if not text.strip():
        raise UnreadableFile("empty file")
    fmt = detect_format(relpath, text)
    if fmt == "trec":
        articles = parse_trec(text, relpath, problems)
    elif fmt == "json":
        articles = parse_json(text, relpath, problems, field_map)
    elif fmt == "jsonl":
        articles = parse_jsonl(text, relpath, problems, field_map)
    elif fmt == "csv":
        articles = parse_csv(text, relpath, problems, field_map)
    elif fmt == "page":
        articles = parse_page(text, relpath, Article)
    else:
        articles = parse_plain(text, relpath, Article)
    if not articles:
        raise UnreadableFile("no article found in it")
    return _within_limit(articles, problems)
