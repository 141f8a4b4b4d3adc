"""Comparing a sharded index's answers with one index's (tests/test_shards.py, tests/test_cluster.py).

Scores, totals and facets must be equal.  Ranked ids are compared run by
run of equal sort keys: one index orders documents of equal score (or equal
date) by document number, which is the order its build happened to commit
them in (several indexing workers make that order vary from build to build),
so the order inside such a run is not a property of the archive.  An article
filed twice is compared as the set of its ids, since either copy may be the
one shown.
"""

QUERIES = [
    "الأمم المتحدة", "الامم المتحده", "زيت الزيتون تونس", '"الأمم المتحدة"', "زيت OR نفط",
    "(زيت OR نفط) AND تونس", "الأمم -ليبيا", "title:الأمم", "date:2023", "date:2023-03..2023-12 مياه",
    "lang:en election", "government water", "правительство", "выборы", "gouvernement", '"olive oil"',
    "source:الشروق", "زيت*", "صفاقص~", "الامم المتحدا", "xyzzy",
]


def article(hit):
    return frozenset([hit.id] + [c.id for c in hit.also])


def runs(hits, key):
    """[(key, articles)] of each run of equal ``key`` in ranked ``hits``."""
    out = []
    for h in hits:
        k = key(h)
        if out and out[-1][0] == k:
            out[-1][1].add(article(h))
        else:
            out.append((k, {article(h)}))
    return out


def same_ranking(a, b, sort="relevance"):
    """Whether hit lists ``a`` and ``b`` rank alike: the same keys in the same order, each run of
    equal keys the same articles (the first and last runs may continue off the page, so of them
    only the length is compared)."""
    key = (lambda h: h.score) if sort == "relevance" else (lambda h: h.date)
    ra, rb = runs(a, key), runs(b, key)
    if [(k, len(ids)) for k, ids in ra] != [(k, len(ids)) for k, ids in rb]:
        return False
    return ra[1:-1] == rb[1:-1]


def differences(one, sharded, queries=QUERIES, sorts=("relevance", "newest"), pages=(1, 2), limit=5):
    """[(query, sort, page, what differs)] between Searcher ``one`` and ``sharded``."""
    out = []
    for q in queries:
        for sort in sorts:
            for page in pages:
                a = one.search(q, sort=sort, page=page, limit=limit)
                b = sharded.search(q, sort=sort, page=page, limit=limit)
                for what, x, y in (("total", a.total, b.total), ("facets", a.facets, b.facets),
                                   ("suggestion", a.suggestion, b.suggestion),
                                   ("interpretation", a.interpretation, b.interpretation),
                                   ("partial", a.partial, b.partial)):
                    if x != y:
                        out.append((q, sort, page, what, x, y))
                if not same_ranking(a.hits, b.hits, sort):
                    out.append((q, sort, page, "hits", [(h.id, h.score, h.date) for h in a.hits],
                                [(h.id, h.score, h.date) for h in b.hits]))
    return out
