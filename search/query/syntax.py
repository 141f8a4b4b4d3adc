"""The query language people type: read into a tree that knows nothing of the index.

Syntax (also in ``akhbar search --help``, the page's help and the README):

    words              ranked free words
    "a phrase"         also «…» and “…”; matched after normalisation
    a AND b, a OR b    also أو for OR; NOT a / ليس a / -a excludes; +a requires
    ( … )              grouping
    title: source: lang: tag: date:   (عنوان: مصدر: لغة: وسم: تاريخ:)
    date:2018  date:2018-03  date:2018-03-01..2018-04-15  date:..2018-06
    word*              prefix (expansion capped)      word~  fuzzy
    =word  ="a phrase" exactly as written: no stemming, no name variants;
                       harakat typed (=كَتَبَ) must be on the article's word

Nothing a person types raises anything but ``QueryError`` (with a message
meant for them); most slips are read sensibly instead, and ``parse`` says how
in its notes.  ``search.query.compile`` turns the tree into an index query;
``search.query.date_ranges`` reads the dates of ``date:``.
"""
import re
from dataclasses import dataclass, field
from typing import List, Optional

from indexer.analysis import normalize_word, query_stems, tokens
from indexer.analysis.arabic import normalize
from indexer.analysis.marks import has_marks, marked_form

# A longer query is cut to its first QUERY_CHARS_READ characters and MAX_CLAUSES tokens.
QUERY_CHARS_READ = 1000
MAX_CLAUSES = 64

# Each field by the names the docs give it, English and Arabic; FIELD_ALIASES
# adds the other spellings read.  tests/test_docs.py checks that README,
# ``akhbar search --help``, the help page and this docstring name them all.
FIELDS = {"title": "عنوان", "source": "مصدر", "lang": "لغة", "tag": "وسم", "date": "تاريخ"}
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
# The marks the language gives a meaning to (phrase quotes, +/- before a word,
# grouping, prefix and fuzzy suffixes, a date range); documented everywhere too.
SYNTAX_MARKS = ('"', "«", "“", "+", "-", "(", ")", "*", "~", "..")


class QueryError(ValueError):
    """A query that cannot be read; the message is for the person who typed it."""


# ---------------------------------------------------------------- tree

@dataclass
class Word:
    text: str
    field: Optional[str] = None
    prefix: bool = False
    fuzzy: bool = False
    exact: bool = False          # =word: the written form only


@dataclass
class Phrase:
    words: List[str]
    field: Optional[str] = None
    exact: bool = False          # ="…": harakat typed must be on the article's words


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
  | (?P<exact>(?<![^\s(+:-])=(?=[^\s=()]))
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
        if kind == "exact":
            return _exact(self.atom())
        if kind == "lparen":
            inner = self.or_expr()
            if self.peek()[0] == "rparen":
                self.take()
            else:
                self.notes.append("closed an unclosed “(”")
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
            exact = nkind == "exact"
            if exact:
                nkind, nvalue = self.take()
            if nvalue is None or nkind in ("lparen", "rparen", "mod", "exact"):
                self.notes.append("“%s:” has nothing after it; ignored it" % value)
                if nkind == "lparen":
                    self.i -= 1          # read the group as ordinary words
                return None
            if name is None:
                self.notes.append("“%s:” is not a field (fields: %s); searched it as words"
                                  % (value, ", ".join(FIELDS)))
                words = tokens(value + " " + nvalue)
                return Bool("soft", [Word(w) for w in words]) if words else None
            if name == "title":
                words = tokens(nvalue)
                if len(words) > 1:
                    if nkind == "phrase" or exact:
                        return Phrase(words, "title", exact=exact)
                    return Bool("soft", [Word(w, "title") for w in words])
                return Word(words[0], "title", prefix=nvalue.endswith("*") and not exact,
                            exact=exact) if words else None
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


def _exact(node):
    """The word or phrase after ``=``, marked exact (a word the tokenizer split is a phrase)."""
    if isinstance(node, Word):
        return Word(node.text, node.field, exact=True)
    if isinstance(node, Phrase):
        return Phrase(node.words, node.field, exact=True)
    if isinstance(node, Bool) and node.op == "soft" and node.nodes and not node.required \
            and all(isinstance(n, Word) and not n.field for n in node.nodes):
        return Phrase([n.text for n in node.nodes], exact=True)
    return node


def parse(text):
    """(tree or None, notes): notes say how slips in the query were read."""
    notes = []
    if len(text) > QUERY_CHARS_READ:
        text = text[:QUERY_CHARS_READ]
        notes.append("the query was cut to its first %d characters" % QUERY_CHARS_READ)
    toks = _lex(text)
    if len(toks) > MAX_CLAUSES:
        toks = toks[:MAX_CLAUSES]
        notes.append("only the first %d words were used" % MAX_CLAUSES)
    return _Parser(toks, notes).parse(), notes



def describe(node):
    """A short reading of the query tree, for --explain and the page."""
    if node is None:
        return "(nothing to search)"
    if isinstance(node, Word) and node.exact:
        return "%s=%s" % ("title:" if node.field else "", _shown(node.text))
    if isinstance(node, Phrase) and node.exact:
        return "%s=\"%s\"" % ("title:" if node.field else "", " ".join(_shown(w) for w in node.words))
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


def _shown(word):
    """A word as an exact match reads it: normalised, with its harakat if it has any."""
    return marked_form(word) if has_marks(word) else normalize_word(word)
