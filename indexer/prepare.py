"""Articles to ready-made Whoosh documents.

Everything here runs in the indexer's worker processes: the article's text is
analysed by ``indexer.analysis`` and its terms encoded into the postings the
index stores, so the single process that writes the index only files them.
"""
import hashlib
import re
from collections import defaultdict
from datetime import datetime
from pickle import dumps

from whoosh.system import pack_uint

from .analysis import detect_language, index_terms
from .analysis.arabic import normalize
from .analysis.tags import tag_terms


_SINGLE = {}       # position -> encoding of a term found once, at that position


def _single(pos):
    v = _SINGLE.get(pos)
    if v is None:
        v = pack_uint(1) + dumps([pos], 2)
        if len(_SINGLE) < 100000:
            _SINGLE[pos] = v
    return v


def postings(terms):
    """(term bytes, frequency, weight, encoded positions) of each distinct term.

    The encoding is that of Whoosh's ``Positions`` format (a count, then the
    pickled position deltas), so the index reads these postings as its own.
    Most terms occur once in an article; their encodings are reused.
    """
    poses = defaultdict(list)
    for pos, term in enumerate(terms):
        poses[term].append(pos)
    out = []
    for term, plist in poses.items():
        n = len(plist)
        if n == 1:
            out.append((term.encode("utf-8"), 1, 1.0, _single(plist[0])))
            continue
        deltas, base = [], 0
        for p in plist:
            deltas.append(p - base)
            base = p
        out.append((term.encode("utf-8"), n, float(n), pack_uint(n) + dumps(deltas, 2)))
    return out


def dedup_key(article):
    """Same key for articles with the same normalised title and body."""
    norm = normalize(article.title + "\n" + article.body).lower()
    norm = re.sub(r"\s+", " ", norm).strip()
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
        title=postings(title_stems), title_exact=postings(title_exact),
        body=postings(body_stems), body_exact=postings(body_exact),
        lang=lang or "und",
        title_text=article.title, body_text=article.body,
        date_iso=article.date, sources=article.sources, tag_list=article.tags,
        related_list=article.related, url=article.url, author=article.author,
        category=article.category, abstract=article.abstract,
    )
    if article.related:
        related_stems = index_terms("\n".join(article.related), lang)[1]
        if related_stems:
            doc["related"] = postings(related_stems)
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
    return {k: v for k, v in doc.items() if v not in (None, [], "")}
