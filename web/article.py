"""One article as the article page shows it: text, highlights, copies, neighbours."""
from dataclasses import dataclass, field
from typing import List, Optional

from markupsafe import Markup
from search.compile import QueryBuilder
from search.syntax import QueryError, parse
from search.snippets import Matcher, highlight

SIMILAR_COUNT = 5


@dataclass
class ArticleView:
    id: str
    title_html: Markup
    lang: str
    date: Optional[str]
    sources: List[str]
    url: Optional[str]
    path: str
    author: Optional[str]
    category: Optional[str]
    abstract: Optional[Markup]
    tags: List[str]
    paragraphs: List[Markup]
    places: List[dict] = field(default_factory=list)     # the other copies of this article
    similar: list = field(default_factory=list)            # Hits from Searcher.similar
    highlighted: int = 0                                 # how many words were marked


def query_matcher(reader, q):
    """The Matcher of a query's words, or None when there is none to mark."""
    if not (q or "").strip():
        return None
    try:
        tree, _ = parse(q)
        builder = QueryBuilder(reader)
        builder.build(tree)
    except QueryError:
        return None
    m = Matcher(builder.exact_terms, builder.stem_terms)
    return m or None


def _paragraphs(text):
    """Paragraphs split at blank lines, or at line ends when an archive has no blank lines."""
    text = (text or "").replace("\r\n", "\n").strip()
    paras = [p.strip() for p in text.split("\n\n")]
    if len(paras) == 1:
        paras = [p.strip() for p in text.split("\n")]
    return [p for p in paras if p]


def load_article(searcher, article_id, q=""):
    """The ArticleView of ``article_id``, or None when the index has no such article."""
    s = searcher.searcher()
    docnum = s.document_number(id=article_id)
    if docnum is None:
        return None
    f = s.stored_fields(docnum)
    matcher = query_matcher(s.reader(), q)
    marked = 0

    def mark(text):
        nonlocal marked
        if matcher is None:
            return Markup.escape(text)
        html = highlight(text, matcher)[1]
        marked += html.count("<mark>")
        return Markup(html)

    view = ArticleView(
        id=f["id"], title_html=mark(f.get("title_text") or f["id"]), lang=f.get("lang") or "und",
        date=f.get("date_iso"), sources=list(f.get("sources") or []), url=f.get("url"),
        path=f.get("path") or "", author=f.get("author"), category=f.get("category"),
        abstract=mark(f["abstract"]) if f.get("abstract") else None, tags=list(f.get("tag_list") or []),
        paragraphs=[mark(p) for p in _paragraphs(f.get("body_text"))],
    )
    view.highlighted = marked
    if f.get("dupkey"):
        for other in s.documents(dupkey=f["dupkey"]):
            if other["id"] != f["id"]:
                view.places.append({"id": other["id"], "path": other.get("path") or "",
                                    "sources": list(other.get("sources") or []),
                                    "date": other.get("date_iso")})
    view.similar = searcher.similar(article_id, limit=SIMILAR_COUNT) or []
    return view
