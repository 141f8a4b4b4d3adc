"""Articles to ready-made Whoosh documents.

Everything here runs in the indexer's worker processes: the article's text is
analysed by ``indexer.analysis`` into each field's terms in order, as numbers
of the process's vocabulary, which the segment writer
(``indexer.store.writer``) turns into postings for a whole segment at once.
"""
import hashlib
from array import array
from collections import defaultdict
from datetime import datetime
from itertools import count, islice
from operator import itemgetter

from .analysis import detect_language, gather_runs, run_terms
from .analysis.arabic import normalize
from .analysis.marks import written_terms
from .analysis.tags import tag_terms
from .store.writer import Prepared


class Vocabulary:
    """Terms numbered as this process first meets them, and each run of word characters as numbers.

    An article's analysed fields become arrays of term numbers through a
    cache of runs (``indexer.analysis.gather_runs``), so a term seen before
    costs no lookup of its own, and a segment's pool holds numbers only.
    Past ``LIMIT`` terms or runs a fresh one takes its place when the
    segment in progress is finished (``renew_vocabulary``), so one
    vocabulary is alive at a time; past twice that, at once (pools still
    holding numbers of the old one keep it alive until they end).
    """

    LIMIT = 500_000

    def __init__(self):
        self.ids = defaultdict(count().__next__)     # term -> number, new terms numbered as they come
        self.runs = {}                  # language -> {run: (exact numbers, stem numbers) as int32 bytes}
        self._terms = []

    def terms(self):
        """Every term so far; a term's number is its index."""
        if len(self._terms) < len(self.ids):
            self._terms.extend(islice(self.ids, len(self._terms), None))
        return self._terms

    def full(self, limit=None):
        limit = limit or self.LIMIT
        return len(self.ids) > limit or sum(map(len, self.runs.values())) > limit

    def numbers(self, terms):
        """The numbers of ``terms``, as an array."""
        return array("i", map(self.ids.__getitem__, terms))

    def term_ids(self, text, lang):
        """(exact term numbers, stem numbers) of a text in language ``lang``, as arrays."""
        cache = self.runs.get(lang)
        if cache is None:
            cache = self.runs[lang] = {}
        found = gather_runs(text, cache, lambda run: self._run_ids(run, lang))
        exact, stems = array("i"), array("i")
        # A run's numbers are kept as the bytes of an int32 array: one join copies them all.
        exact.frombytes(b"".join(map(_EXACT, found)))
        stems.frombytes(b"".join(map(_STEMS, found)))
        return exact, stems

    def _run_ids(self, run, lang):
        exact, stems = run_terms(run, lang)
        return self.numbers(exact).tobytes(), self.numbers(stems).tobytes()


_EXACT, _STEMS = itemgetter(0), itemgetter(1)
_vocabulary = Vocabulary()


def vocabulary():
    """This process's current ``Vocabulary``."""
    global _vocabulary
    if _vocabulary.full(2 * Vocabulary.LIMIT):
        _vocabulary = Vocabulary()
    return _vocabulary


def renew_vocabulary():
    """A fresh vocabulary if this one is full: called when a segment is finished and no pool uses it."""
    global _vocabulary
    if _vocabulary.full():
        _vocabulary = Vocabulary()


def dedup_key(article):
    """Same key for articles with the same normalised title and body."""
    # Runs of whitespace as one space, ends stripped: split() and \s agree on what is whitespace.
    norm = " ".join(normalize(article.title + "\n" + article.body).lower().split())
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=12).hexdigest()


def article_document(article, full, sig):
    """The Whoosh document of one article, its analysed fields as ``Prepared`` term numbers."""
    lang = article.lang or detect_language(article.title + "\n" + article.body[:4000])
    vocab = vocabulary()
    title_exact, title_stems = vocab.term_ids(article.title, lang)
    # The abstract is searched with the body: readers remember its words, and
    # some sources (BBC Arabic) write an abstract the body never repeats.
    body_exact, body_stems = vocab.term_ids(
        article.abstract + "\n" + article.body if article.abstract else article.body, lang)
    doc = dict(
        id=article.id, file=full, filesig=sig, path=article.path,
        dupkey=dedup_key(article),
        title=Prepared(title_stems, False, vocab), title_exact=Prepared(title_exact, True, vocab),
        body=Prepared(body_stems, False, vocab), body_exact=Prepared(body_exact, True, vocab),
        lang=lang or "und",
        title_text=article.title, body_text=article.body,
        date_iso=article.date, sources=article.sources, tag_list=article.tags,
        related_list=article.related, url=article.url, author=article.author,
        category=article.category, abstract=article.abstract,
    )
    if article.related:
        related_stems = vocab.term_ids("\n".join(article.related), lang)[1]
        if related_stems:
            doc["related"] = Prepared(related_stems, False, vocab)
    written = written_terms("\n".join((article.title, article.abstract or "", article.body)))
    if written:
        doc["written"] = Prepared(vocab.numbers(sorted(written)), False, vocab)
    terms = tag_terms(article.tags)
    if terms:
        doc["tags"] = ",".join(t.replace(",", " ") for t in terms)
    if article.sources:
        # Raw names: the facet shows them as written; ``source:`` queries
        # match them through their normalised form (search.query.compile).
        doc["source"] = ",".join(s.replace(",", " ") for s in article.sources)
    if article.date:
        doc["date"] = datetime.fromisoformat(article.date)
        doc["month"] = article.date[:7]
    return {k: v for k, v in doc.items() if _present(v)}


def _present(value):
    if isinstance(value, Prepared):
        return len(value.ids) > 0
    return value not in (None, [], "")
