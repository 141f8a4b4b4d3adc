"""What a search returns, in the reader's terms: data, never markup.

Text that should show the query's words highlighted is a ``Marked``: the
text as the article wrote it plus the (start, end) spans of the matched
words.  Each face renders it its own way: the page and the JSON as HTML with
``<mark>`` (``web.display.marked_html``), the terminal in colour
(``akhbar.output``).
"""
from dataclasses import dataclass, field
from typing import List, Optional, Tuple


@dataclass(frozen=True)
class Marked:
    """Text with the spans a face should highlight (offsets into ``text``, in order)."""
    text: str
    spans: Tuple[Tuple[int, int], ...] = ()

    def pieces(self):
        """(piece, marked) in order, covering the whole text."""
        last = 0
        for start, end in self.spans:
            if start > last:
                yield self.text[last:start], False
            yield self.text[start:end], True
            last = end
        if last < len(self.text):
            yield self.text[last:], False


@dataclass
class StoredArticle:
    """One article as the index stores it."""
    id: str
    title: str
    body: str
    lang: str
    date: Optional[str]
    sources: List[str]
    path: Optional[str]
    url: Optional[str]
    author: Optional[str]
    category: Optional[str]
    abstract: Optional[str]
    tags: List[str]

    @classmethod
    def from_stored(cls, f):
        """From the stored fields of one document (see indexer.schema)."""
        return cls(id=f["id"], title=f.get("title_text") or "", body=f.get("body_text") or "",
                   lang=f.get("lang") or "und", date=f.get("date_iso"), sources=list(f.get("sources") or []),
                   path=f.get("path"), url=f.get("url"), author=f.get("author"),
                   category=f.get("category"), abstract=f.get("abstract"), tags=list(f.get("tag_list") or []))


@dataclass
class Copy:
    """Another place the same article was filed (a duplicate merged into one result)."""
    id: str
    path: Optional[str]
    sources: List[str]
    date: Optional[str]

    @classmethod
    def of(cls, article):
        return cls(id=article.id, path=article.path, sources=article.sources, date=article.date)

    @property
    def source(self):
        """Its sources joined for display."""
        return ", ".join(self.sources)


@dataclass
class Hit:
    id: str
    title: str
    date: Optional[str]
    source: str                 # sources joined for display
    sources: List[str]
    lang: str
    score: float
    snippet: Marked             # one or two passages around the matched words
    marked_title: Marked
    path: str
    url: Optional[str] = None
    also: List[Copy] = field(default_factory=list)   # other places the same article appeared


@dataclass
class SearchResults:
    query: str
    total: int
    page: int
    limit: int
    hits: List[Hit]
    facets: dict = field(default_factory=dict)     # {"source"|"lang"|"month": {value: count}}
    interpretation: str = ""
    suggestion: Optional[str] = None
    # Name variants per query word (search.query.variants): word, articles, evidence,
    # variants [{form, script, articles, terms, used}].
    expansions: List[dict] = field(default_factory=list)
    partial: bool = False
    seconds: float = 0.0
    missing: List[str] = field(default_factory=list)   # shards of a sharded index that did not answer

    @property
    def pages(self):
        return max(1, -(-self.total // self.limit)) if self.limit else 1


@dataclass
class ArticlePage:
    """One whole article with a query's words marked, its copies and its neighbours."""
    article: StoredArticle
    title: Marked               # the id when the article has no title
    abstract: Optional[Marked]
    paragraphs: List[Marked]
    copies: List[Copy]
    similar: List[Hit]
    omitted: int = 0            # characters of the text past what is shown (search.searcher.MAX_ARTICLE_CHARS)

    @property
    def marks(self):
        """How many words are marked."""
        parts = [self.title, self.abstract] + self.paragraphs
        return sum(len(p.spans) for p in parts if p is not None)
