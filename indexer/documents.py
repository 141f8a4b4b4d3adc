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

from .analysis.arabic import normalize
from .dates import looks_like_date_line, parse_date


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


# ---------------------------------------------------------------- decoding

def decode(data):
    """Text of a file's bytes: UTF-8 (BOM or not), UTF-16, else detected legacy."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    best = from_bytes(data, cp_isolation=["utf_8", "cp1256", "iso8859_6", "cp1252", "latin_1", "cp1251"]).best()
    if best is not None and best.encoding != "utf_8":
        return str(best)
    # Mostly UTF-8 with a stray byte: lose that byte, keep the article.
    return data.decode("utf-8", errors="replace").replace("\ufffd", "")


# ---------------------------------------------------------------- scraped pages

_LANG_SWITCHER = re.compile(r"^(?:[A-Z][a-z]|[A-Z]{2})(?:\s+(?:[A-Z][a-z]|[A-Z]{2}))*$")
_SOURCE = re.compile(r"^\s*(?:المصدر|مصدر الخبر)\s*[:：]\s*(.+)$")
_TAGS = re.compile(r"^\s*(?:كلمات دلالية|كلمات مفتاحية|الوسوم)\s*[:：]\s*(.*)$")
_PHOTO = re.compile(r"^\s*(?:الصورة|صورة|تصوير|Photo|Фото)\s*[:：]")
_READ_ALSO = re.compile(r"^\s*[إا]قرأ\s+[أا]يض[اًا]*\s*[:：]?\s*$")
_RELATED = re.compile(r"^\s*(?:مقالات|أخبار|اخبار)\s+(?:مشابهة|ذات صلة)\s*[:：]?\s*$")
_BULLET = re.compile(r"^\s*[•·\-\*▪●]\s*")


def _paragraphs(lines):
    text = "\n".join(lines)
    paras = [re.sub(r"\s*\n\s*", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paras if p)


def _split_title_date(lines):
    """Title line, date (ISO or None) and the remaining lines of one article."""
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and _LANG_SWITCHER.match(lines[i].strip()):
        i += 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    title = lines[i].strip() if i < len(lines) else ""
    i += 1
    date = None
    j = i
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j < len(lines) and looks_like_date_line(lines[j].strip()):
        date = parse_date(lines[j].strip())
        i = j + 1
    return title, date, lines[i:]


def parse_page(text, path):
    """A scraped news page: its main article, then any "read also" article."""
    lines = text.splitlines()
    main, also, related = [], [], []
    sources, tags = [], []
    target = main
    in_related = False
    for line in lines:
        s = line.strip()
        if _READ_ALSO.match(s):
            target, in_related = also, False
            continue
        if _RELATED.match(s):
            in_related = True
            continue
        if in_related:
            if s:
                if _BULLET.match(line) or not _SOURCE.match(s):
                    related.append(_BULLET.sub("", s))
            continue
        m = _SOURCE.match(s)
        if m:
            sources.append(m.group(1).strip())
            continue
        m = _TAGS.match(s)
        if m:
            tags.extend(t for t in re.split(r"[،,;؛]\s*|\s{2,}", m.group(1).strip()) if t)
            continue
        if _PHOTO.match(s):
            continue
        target.append(line)

    title, date, rest = _split_title_date(main)
    body = _paragraphs(rest)
    if not title and not body:
        return []
    articles = [Article(id=path, title=title, body=body, path=path, date=date,
                        sources=sources, tags=tags, related=related)]
    a_title, a_date, a_rest = _split_title_date(also)
    a_body = _paragraphs(a_rest)
    if a_title and a_body:
        articles.append(Article(id=path + "#2", title=a_title, body=a_body, path=path, date=a_date))
    return articles


def parse_plain(text, path):
    """Plain text whose first non-empty line is the title."""
    lines = text.splitlines()
    title, date, rest = _split_title_date(lines)
    body = _paragraphs(rest)
    if not title and not body:
        return []
    return [Article(id=path, title=title, body=body, path=path, date=date)]


def _is_scraped_page(text):
    head = text[:200000]
    return any(p.search(head) for p in (
        re.compile(r"^\s*المصدر\s*:", re.M), re.compile(r"^\s*كلمات دلالية\s*:", re.M),
        re.compile(r"^\s*[إا]قرأ\s+[أا]يض", re.M), re.compile(r"^\s*مقالات مشابهة", re.M),
    ))


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
    rid = _first(rec, ("id", "docno", "url")) or ("%s#%d" % (path, n) if n > 1 else path)
    author = _first(rec, names["author"])
    lang = _first(rec, names["lang"])
    return Article(
        id=str(rid), path=path, title=str(title or "").strip(),
        body=_paragraphs(str(body or "").splitlines()),
        date=parse_date(_first(rec, names["date"])),
        sources=_as_list(_first(rec, names["source"])),
        tags=_as_list(_first(rec, names["tags"])),
        url=_first(rec, names["url"]),
        lang=str(lang).lower()[:2] if lang else None,
        author=", ".join(author) if isinstance(author, list) else author,
        abstract=_first(rec, names["abstract"]),
        category=_first(rec, names["category"]),
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
    if ext == ".json":
        return "json"
    if ext == ".csv":
        return "csv"
    if re.match(r"<DOC>", head, re.I):
        return "trec"
    if head.startswith(("{", "[")):
        first = head.split("\n", 1)[0].strip()
        return "jsonl" if first.startswith("{") and first.endswith("}") and "\n" in head else "json"
    return "page" if _is_scraped_page(text) else "plain"


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
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("binary file, not text")
    text = decode(data)
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
        articles = parse_page(text, relpath)
    else:
        articles = parse_plain(text, relpath)
    if not articles:
        raise UnreadableFile("no article found in it")
    return articles


def dedup_key(article):
    """Same key for articles with the same normalised title and body."""
    import hashlib
    norm = normalize(article.title + "\n" + article.body).lower()
    norm = re.sub(r"\s+", " ", norm).strip()
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=12).hexdigest()
