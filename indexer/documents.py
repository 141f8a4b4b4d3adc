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


class UnreadableFile(Exception):
    """A file that cannot be read as an archive; the message says why."""


# ---------------------------------------------------------------- TREC SGML

_DOC = re.compile(r"<DOC>(.*?)</DOC>", re.S | re.I)
_TAG_CACHE = {}


def _tag(doc, *names):
    for name in names:
        rx = _TAG_CACHE.get(name)
        if rx is None:
            rx = _TAG_CACHE[name] = re.compile(r"<%s>(.*?)</%s>" % (name, name), re.S | re.I)
        m = rx.search(doc)
        if m:
            return m.group(1).strip()
    return None


def parse_trec(text, path):
    """TREC-style SGML: every <DOC> in the file."""
    docs = _DOC.findall(text)
    if not docs:
        raise UnreadableFile("no complete <DOC>...</DOC> element")
    articles = []
    for n, doc in enumerate(docs, 1):
        docno = _tag(doc, "DOCNO") or ("%s#%d" % (path, n) if n > 1 else path)
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
        lang=str(lang).lower()[:2] if lang else None,
        author=_text(author),
        abstract=_text(_first(rec, names["abstract"])),
        category=_text(_first(rec, names["category"])),
    )


def parse_json(text, path, problems, field_map=None):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise UnreadableFile("malformed JSON: %s" % e)
    records = data if isinstance(data, list) else [data]
    return _records(records, path, problems, field_map)


def parse_jsonl(text, path, problems, field_map=None):
    def records():
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as e:
                problems.append("%s: line %d: malformed JSON (%s)" % (path, lineno, e.msg))
                yield None
    return _records(records(), path, problems, field_map)


def parse_csv(text, path, problems, field_map=None):
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise UnreadableFile("CSV without a header line")
    return _records(reader, path, problems, field_map)


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


# ---------------------------------------------------------------- dispatch

def detect_format(name, text):
    """One of 'trec', 'json', 'jsonl', 'csv', 'page', 'plain'."""
    ext = os.path.splitext(name)[1].lower()
    head = text.lstrip()[:2000]
    if ext in (".jsonl", ".ndjson"):
        return "jsonl"
    if ext == ".csv":
        return "csv"
    if ext != ".json" and re.match(r"<DOC>", head, re.I):
        return "trec"
    if ext == ".json" or head.startswith(("{", "[")):
        # A whole object on the first line with more lines after it is JSON
        # Lines, whatever the file is called (exports often name it .json).
        first = head.split("\n", 1)[0].strip()
        return "jsonl" if first.startswith("{") and first.endswith("}") and "\n" in head.rstrip() else "json"
    return "page" if is_scraped_page(text) else "plain"


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
        text, _encoding = decode(data)
    except NotText as e:
        raise UnreadableFile(str(e))
    if not text.strip():
        raise UnreadableFile("empty file")
    fmt = detect_format(relpath, text)
    if fmt == "trec":
        articles = parse_trec(text, relpath)
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
    return articles
