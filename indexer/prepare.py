"""Articles to ready-made Whoosh documents.

Everything here runs in the indexer's worker processes: the article's text is
analysed by ``indexer.analysis`` into each field's terms in order, which the
segment writer (``indexer.store.writer``) turns into postings for a whole
segment at once.
"""
import hashlib
from datetime import datetime

from .analysis import detect_language, index_terms
from .analysis.arabic import normalize
from .analysis.marks import written_terms
from .analysis.tags import tag_terms
from .store.writer import Prepared


def with_positions(terms):
    """The terms of a field whose positions are kept (``indexer.store.formats.Positions``)."""
    return Prepared(terms, True)


def frequencies(terms):
    """The terms of a field that keeps only each term's frequency."""
    return Prepared(terms, False)


def dedup_key(article):
    """Same key for articles with the same normalised title and body."""
    # Runs of whitespace as one space, ends stripped: split() and \s agree on what is whitespace.
    norm = " ".join(normalize(article.title + "\n" + article.body).lower().split())
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=12).hexdigest()


def article_document(article, full, sig):
    """The Whoosh document of one article, its analysed fields as encoded postings."""
    lang = article.lang or detect_language(article.title + "\n" + article.body[:4000])
    title_exact, title_stems = index_terms(article.title, lang)
    # The abstract is searched with the body: readers remember its words, and
    # some sources (BBC Arabic) write an abstract the body never repeats.
    body_exact, body_stems = index_terms(
        article.abstract + "\n" + article.body if article.abstract else article.body, lang)
    doc = dict(
        id=article.id, file=full, filesig=sig, path=article.path,
        dupkey=dedup_key(article),
        title=frequencies(title_stems), title_exact=with_positions(title_exact),
        body=frequencies(body_stems), body_exact=with_positions(body_exact),
        lang=lang or "und",
        title_text=article.title, body_text=article.body,
        date_iso=article.date, sources=article.sources, tag_list=article.tags,
        related_list=article.related, url=article.url, author=article.author,
        category=article.category, abstract=article.abstract,
    )
    if article.related:
        related_stems = index_terms("\n".join(article.related), lang)[1]
        if related_stems:
            doc["related"] = frequencies(related_stems)
    written = written_terms("\n".join((article.title, article.abstract or "", article.body)))
    if written:
        doc["written"] = frequencies(sorted(written))
    terms = tag_terms(article.tags)
    if terms:
        doc["tags"] = ",".join(t.replace(",", " ") for t in terms)
    if article.sources:
        # Raw names: the facet shows them as written; ``source:`` queries
        # match them through their normalised form (search.compile).
        doc["source"] = ",".join(s.replace(",", " ") for s in article.sources)
    if article.date:
        doc["date"] = datetime.fromisoformat(article.date)
        doc["month"] = article.date[:7]
    return {k: v for k, v in doc.items() if _present(v)}


def _present(value):
    if isinstance(value, Prepared):
        return bool(value.terms)
    return value not in (None, [], "")
