"""What a person types, read into a query tree, then into a Whoosh query.

Syntax (also in ``akhbar search --help`` and the README):

    words              ranked free words
    "a phrase"         also «…» and “…”; matched after normalisation
    a AND b, a OR b    also أو for OR; NOT a / ليس a / -a excludes; +a requires
    ( … )              grouping
    title: source: lang: tag: date:   (عنوان: مصدر: لغة: وسم: تاريخ:)
    date:2018  date:2018-03  date:2018-03-01..2018-04-15  date:..2018-06
    word*              prefix (expansion capped)      word~  fuzzy

Nothing a person types raises anything but ``QueryError`` (with a message
meant for them); most slips are read sensibly instead.
"""
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import List, Optional

from whoosh import query as wq

from indexer.analysis import normalize_word, query_stems, tokens
from indexer.analysis.arabic import normalize
from indexer.prepare import tag_term

from .ranking import WEIGHTS, free_words_query, word_query

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 64
PREFIX_EXPANSION_CAP = 64
PREFIX_SCAN_CAP = 5000      # words looked at before choosing the commonest

FIELD_ALIASES = {
    "title": "title", "عنوان": "title", "العنوان": "title",
    "source": "source", "مصدر": "source", "المصدر": "source",
    "lang": "lang", "language": "lang", "لغة": "lang", "اللغة": "lang",
    "tag": "tag", "tags": "tag", "وسم": "tag", "الوسم": "tag",
    "date": "date", "تاريخ": "date", "التاريخ": "date",
}
LANG_NAMES = {
    "ar": "ar", "arabic": "ar", "عربي": "ar", "العربية": "ar", "عربية": "ar",
    "en": "en", "english": "en", "انجليزي": "en", "الانجليزية": "en",
    "fr": "fr", "french": "fr", "francais": "fr", "français": "fr", "فرنسي": "fr", "الفرنسية": "fr",
    "ru": "ru", "russian": "ru", "русский": "ru", "روسي": "ru", "الروسية": "ru",
}
OR_WORDS = {"OR", "أو", "او"}
AND_WORDS = {"AND"}
NOT_WORDS = {"NOT", "ليس"}


class QueryError(ValueError):
    """A query that cannot be read; the message is for the person who typed it."""


# ---------------------------------------------------------------- tree

@dataclass
class Word:
    text: str
    field: Optional[str] = None
    prefix: bool = False
    fuzzy: bool = False


@dataclass
class Phrase:
    words: List[str]
    field: Optional[str] = None


@dataclass
class Filter:
    field: str       # source, lang, tag, date
    value: str


@dataclass
class Not:
    node: object


@dataclass
class Bool:
    op: str                       # "and", "or", "soft" (ranked free words)
    nodes: list = field(default_factory=list)
    required: list = field(default_factory=list)


# ---------------------------------------------------------------- lexing

_LEX = re.compile(r"""
    (?P<phrase>"[^"]*"?|«[^»]*»?|“[^”]*”?)
  | (?P<mod>(?<![^\s(])[+-](?=[^\s+-]))
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<field>[^\s():"«“]+):(?=\S)
  | (?P<word>[^\s()"«»“”]+)
""", re.X)


def _lex(text):
    out = []
    for m in _LEX.finditer(text):
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "phrase":
            value = value[1:].rstrip('"»”') if value[:1] in '"«“' else value
        out.append((kind, value))
    return out


class _Parser:
    def __init__(self, toks, notes):
        self.toks = toks
        self.i = 0
        self.notes = notes
        self.depth = 0

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self):
        t = self.peek()
        self.i += 1
        return t

    def parse(self):
        node = self.or_expr()
        while self.i < len(self.toks):        # stray ")" etc.
            kind, value = self.take()
            self.notes.append("ignored an unmatched “%s”" % value)
            rest = self.or_expr()
            parts = [n for n in (node, rest) if n is not None]
            node = Bool("soft", parts) if len(parts) > 1 else (parts[0] if parts else None)
        return node

    def or_expr(self):
        parts = [self.seq()]
        while self.peek()[0] == "word" and self.peek()[1] in OR_WORDS:
            self.take()
            parts.append(self.seq())
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else Bool("or", parts)

    def seq(self):
        node = Bool("soft")
        force_and = False
        while True:
            kind, value = self.peek()
            if kind is None or kind == "rparen":
                break
            if kind == "word" and value in OR_WORDS:
                if not node.nodes and not node.required:
                    self.take()
                    self.notes.append("ignored “%s” with nothing before it" % value)
                    continue
                break
            if kind == "word" and value in AND_WORDS:
                self.take()
                # "a AND b" requires both neighbours, and only them.
                if node.nodes and not isinstance(node.nodes[-1], Not):
                    node.required.append(node.nodes.pop())
                elif not node.nodes and not node.required:
                    self.notes.append("ignored “%s” with nothing before it" % value)
                    continue
                force_and = True
                continue
            modifier = None
            if kind == "word" and value in NOT_WORDS:
                self.take()
                modifier = "-"
            elif kind == "mod":
                self.take()
                modifier = value
            atom = self.atom()
            if atom is None:
                if modifier == "-":
                    self.notes.append("ignored a NOT with nothing after it")
                elif force_and:
                    self.notes.append("ignored an AND with nothing after it")
                force_and = False
                continue
            if modifier == "-":
                node.nodes.append(Not(atom))
            elif modifier == "+" or force_and:
                node.required.append(atom)
            else:
                node.nodes.append(atom)
            force_and = False
        if force_and:
            self.notes.append("ignored an AND with nothing after it")
        if not node.nodes and not node.required:
            return None
        if len(node.nodes) == 1 and not node.required and not isinstance(node.nodes[0], Not):
            return node.nodes[0]
        return node

    def atom(self):
        kind, value = self.take()
        if kind == "lparen":
            self.depth += 1
            inner = self.or_expr()
            if self.peek()[0] == "rparen":
                self.take()
            else:
                self.notes.append("closed an unclosed “(”")
            self.depth -= 1
            return inner
        if kind == "rparen":
            self.notes.append("ignored an unmatched “)”")
            return None
        if kind == "phrase":
            words = tokens(value)
            if not words:
                return None
            return Phrase(words) if len(words) > 1 else Word(words[0])
        if kind == "field":
            name = FIELD_ALIASES.get(normalize(value.lower()), FIELD_ALIASES.get(value.lower()))
            nkind, nvalue = self.take()
            if nvalue is None or nkind in ("lparen", "rparen", "mod"):
                self.notes.append("“%s:” has nothing after it; ignored it" % value)
                if nkind == "lparen":
                    self.i -= 1          # read the group as ordinary words
                return None
            if name is None:
                self.notes.append("“%s:” is not a field (fields: title, source, lang, tag, date); searched it as words" % value)
                words = tokens(value + " " + nvalue)
                return Bool("soft", [Word(w) for w in words]) if words else None
            if name == "title":
                words = tokens(nvalue)
                if len(words) > 1:
                    return Phrase(words, "title") if nkind == "phrase" else Bool("soft", [Word(w, "title") for w in words])
                return Word(words[0], "title", prefix=nvalue.endswith("*")) if words else None
            return Filter(name, nvalue)
        if kind == "word":
            if value.endswith(":") and value[:-1].lower() in FIELD_ALIASES:
                self.notes.append("“%s” has nothing after it; ignored it" % value)
                return None
            prefix = value.endswith("*")
            fuzzy = value.endswith("~")
            words = tokens(value)
            if not words:
                return None
            if len(words) > 1:
                return Bool("soft", [Word(w) for w in words])
            return Word(words[0], prefix=prefix, fuzzy=fuzzy)
        return None


def parse(text):
    """(tree or None, notes): notes say how slips in the query were read."""
    notes = []
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notes.append("the query was cut to its first %d characters" % MAX_QUERY_CHARS)
    toks = _lex(text)
    if len(toks) > MAX_CLAUSES:
        toks = toks[:MAX_CLAUSES]
        notes.append("only the first %d words were used" % MAX_CLAUSES)
    return _Parser(toks, notes).parse(), notes


# ---------------------------------------------------------------- dates

_DATE_PART = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def _date_bounds(value):
    """(start, end) datetimes of '2018', '2018-03', '2018-03-01' (end exclusive)."""
    m = _DATE_PART.match(value)
    if not m:
        raise QueryError("cannot read the date “%s”: write 2018, 2018-03 or 2018-03-01" % value)
    y, mo, d = m.groups()
    try:
        if d:
            start = datetime(int(y), int(mo), int(d))
            return start, start + timedelta(days=1)
        if mo:
            start = datetime(int(y), int(mo), 1)
            end = datetime(int(y) + (int(mo) == 12), int(mo) % 12 + 1, 1)
            return start, end
        return datetime(int(y), 1, 1), datetime(int(y) + 1, 1, 1)
    except ValueError:
        raise QueryError("“%s” is not a real date" % value)


def date_query(value):
    """A Whoosh query for date:VALUE (a day, month, year, or a .. range of them)."""
    value = normalize(value.strip())
    if ".." in value:
        lo, hi = value.split("..", 1)
        start = _date_bounds(lo)[0] if lo else None
        end = _date_bounds(hi)[1] - timedelta(microseconds=1) if hi else None
        if start is None and end is None:
            raise QueryError("a date range needs at least one end, like date:2018-03..")
    else:
        start, end = _date_bounds(value)
        end = end - timedelta(microseconds=1)
    return wq.DateRange("date", start, end)


# ---------------------------------------------------------------- to Whoosh

class QueryBuilder:
    """Turns a query tree into a Whoosh query over one index reader."""

    def __init__(self, reader, lang=None):
        self.reader = reader
        self.lang = lang
        self.exact_terms = set()      # for snippets
        self.stem_terms = set()
        self.notes = []

    def build(self, node):
        q = self._build(node)
        return q

    def _word(self, w):
        n = normalize_word(w.text)
        if not n:
            return None
        fields = ("title",) if w.field == "title" else ("title", "body")
        if w.prefix:
            return self._prefix(n, fields)
        if w.fuzzy:
            return self._fuzzy(n, fields)
        stems = query_stems(n, self.lang)
        self.exact_terms.add(n)
        self.stem_terms.update(stems)
        return word_query(n, stems, fields)

    def _prefix(self, n, fields):
        """The commonest words starting with ``n`` (at most PREFIX_EXPANSION_CAP of them)."""
        found = {}
        for f in fields:
            fname = f + "_exact"
            for i, t in enumerate(self.reader.expand_prefix(fname, n)):
                if i >= PREFIX_SCAN_CAP:
                    break
                t = t.decode("utf-8") if isinstance(t, bytes) else t
                found[t] = found.get(t, 0) + self.reader.doc_frequency(fname, t)
        if len(found) > PREFIX_EXPANSION_CAP:
            self.notes.append("“%s*” matches many words; used the %d commonest" % (n, PREFIX_EXPANSION_CAP))
        kept = sorted(found, key=lambda t: (-found[t], t))[:PREFIX_EXPANSION_CAP]
        self.exact_terms.update(kept)
        clauses = [wq.Term(f + "_exact", t, boost=WEIGHTS[f + "_exact"]) for f in fields for t in kept]
        return wq.Or(clauses) if clauses else wq.NullQuery

    def _fuzzy(self, n, fields):
        """Words within one edit (two for long words) of ``n``, in exact and stem forms."""
        maxdist = 1 if len(n) < 6 else 2
        wanted = [(f + "_exact", n, self.exact_terms) for f in fields]
        wanted += [(f, s, self.stem_terms) for s in query_stems(n, self.lang) for f in fields]
        clauses = []
        for fname, text, highlight in wanted:
            near = []
            if len(text) < 4:
                # A short stem is a letter away from dozens of unrelated ones.
                if self.reader.doc_frequency(fname, text):
                    highlight.add(text)
                    clauses.append(wq.Term(fname, text, boost=WEIGHTS[fname]))
                continue
            for t in self.reader.terms_within(fname, text, maxdist, prefix=1):
                near.append(t.decode("utf-8") if isinstance(t, bytes) else t)
                if len(near) >= PREFIX_EXPANSION_CAP:
                    self.notes.append("“%s~” is near many words; used the first %d" % (n, PREFIX_EXPANSION_CAP))
                    break
            highlight.update(near)
            clauses.extend(wq.Term(fname, t, boost=WEIGHTS[fname]) for t in near)
        return wq.Or(clauses) if clauses else wq.NullQuery

    def _phrase(self, p):
        words = [normalize_word(w) for w in p.words]
        words = [w for w in words if w]
        self.exact_terms.update(words)
        fields = ("title",) if p.field == "title" else ("title", "body")
        return wq.Or([wq.Phrase(f + "_exact", words, boost=WEIGHTS[f + "_exact"]) for f in fields])

    def _filter(self, f):
        if f.field == "date":
            return date_query(f.value)
        if f.field == "lang":
            code = LANG_NAMES.get(normalize(f.value.lower()), LANG_NAMES.get(f.value.lower()))
            if code is None:
                raise QueryError("lang:%s is not a language this archive knows; use ar, en, fr or ru"
                                 % f.value)
            return wq.Term("lang", code)
        if f.field == "tag":
            return wq.Term("tags", tag_term(f.value))
        if f.field == "source":
            return source_query(self.reader, f.value)
        raise QueryError("unknown field %s" % f.field)

    def _build(self, node):
        if node is None:
            return None
        if isinstance(node, Word):
            return self._word(node)
        if isinstance(node, Phrase):
            return self._phrase(node)
        if isinstance(node, Filter):
            return self._filter(node)
        if isinstance(node, Not):
            inner = self._build_quiet(node.node)
            return wq.Not(inner) if inner is not None else None
        if isinstance(node, Bool):
            if node.op == "or":
                parts = [q for q in map(self._build, node.nodes) if q is not None]
                return wq.Or(parts) if parts else None
            return self._soft(node)
        raise TypeError(node)

    def _build_quiet(self, node):
        """Build a subtree whose words must not be highlighted (a NOT)."""
        saved = (set(self.exact_terms), set(self.stem_terms))
        q = self._build(node)
        self.exact_terms, self.stem_terms = saved
        return q

    def _soft(self, node):
        optional, required, excluded, filters = [], [], [], []
        words = [n for n in node.nodes if isinstance(n, Word) and not n.prefix and not n.fuzzy]
        # Stopwords are left out of a ranked query unless it holds nothing else.
        content = [w for w in words if query_stems(normalize_word(w.text), self.lang)]
        for n in node.nodes:
            if isinstance(n, Not):
                q = self._build_quiet(n.node)
                if q is not None:
                    excluded.append(q)
                continue
            if isinstance(n, Word) and content and n in words and n not in content:
                continue
            q = self._build(n)
            if q is None:
                continue
            (filters if isinstance(n, Filter) else optional).append(q)
        for n in node.required:
            q = self._build(n)
            if q is not None:
                (filters if isinstance(n, Filter) else required).append(q)
        if optional and required:
            q = wq.AndMaybe(wq.And(required), free_words_query(optional))
        elif required:
            q = wq.And(required)
        elif optional:
            q = free_words_query(optional)
        elif filters:
            q = None
        elif excluded:
            q = wq.Every()
        else:
            return None
        if filters:
            # Never And(Every, ...): Whoosh's And.normalize reads it as Every.
            q = wq.And(([q] if q is not None else []) + filters) if len(filters) > 1 or q is not None else filters[0]
        if excluded:
            q = wq.AndNot(q, wq.Or(excluded))
        return q


def source_query(reader, value):
    """Articles whose source name contains the words typed, spelling-insensitively."""
    wanted = " ".join(normalize_word(w) for w in tokens(value))
    matches = []
    for raw in reader.lexicon("source"):
        name = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if wanted and wanted in " ".join(normalize_word(w) for w in tokens(name)):
            matches.append(wq.Term("source", name))
    return wq.Or(matches) if matches else wq.NullQuery


def describe(node):
    """A short reading of the query tree, for --explain and the page."""
    if node is None:
        return "(nothing to search)"
    if isinstance(node, Word):
        n = normalize_word(node.text)
        s = "/".join(sorted(query_stems(n))) or "stopword"
        base = "%s%s[%s]" % ("title:" if node.field else "", n, s)
        return base + ("*" if node.prefix else "") + ("~" if node.fuzzy else "")
    if isinstance(node, Phrase):
        return "%s\"%s\"" % ("title:" if node.field else "", " ".join(normalize_word(w) for w in node.words))
    if isinstance(node, Filter):
        return "%s:%s" % (node.field, node.value)
    if isinstance(node, Not):
        return "NOT " + describe(node.node)
    if isinstance(node, Bool):
        if node.op == "or":
            return "(" + " OR ".join(describe(n) for n in node.nodes) + ")"
        parts = ["+" + describe(n) for n in node.required] + [describe(n) for n in node.nodes]
        return "(" + " ".join(parts) + ")" if len(parts) > 1 else parts[0]
    return str(node)
