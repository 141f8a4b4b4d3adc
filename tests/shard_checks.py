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
    # Names whose variants (search.query.variants) are few and spread over the shards.
    "Kolbeck", "كولبيك محاضرة", "النرويج",
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
                                   ("expansions", a.expansions, b.expansions),
                                   ("partial", a.partial, b.partial)):
                    if x != y:
                        out.append((q, sort, page, what, x, y))
                if not same_ranking(a.hits, b.hits, sort):
                    out.append((q, sort, page, "hits", [(h.id, h.score, h.date) for h in a.hits],
                                [(h.id, h.score, h.date) for h in b.hits]))
    return out


# ---------------------------------------------------------------- the research views

TIMELINES = [("الأمم المتحدة", ["election", "زيت"], {}), ("date:2023", [], {}), ("government", [], {"lang": "en"}),
             ("الأمم", [], {"date_from": "2023-03", "date_to": "2023-12"}), ("xyzzy", [], {})]
CONCORDANCES = ["الأمم", '"الأمم المتحدة"', "election OR government", "انتخابات", "زيت -تونس", "выборы", "xyzzy"]
WORDS = ["انتخابات", "الأمم", "government", "gouvernement", "xyzzy"]
EXPORTS = [("الأمم OR election", {}), ("", {"lang": "en"}), ("زيت الزيتون", {"date_from": "2022"})]


def export_hits(searcher, query, sort, options):
    """(total, partial, every exported hit) of ``query`` through search.views.export."""
    export = searcher.export(query, sort=sort, **options)
    return export.total, export.partial, [h for batch in export.batches() for h in batch]


def research_differences(one, sharded):
    """[(view, arguments, what differs)] between Searcher ``one`` and ``sharded`` for every research view."""
    from search.query.options import QueryOptions
    from search.views.kwic import SORTS
    from search.views.timeline import BY
    out = []
    for q, others, filters in TIMELINES:
        for by in BY:
            a, b = (s.timeline([q, *others], QueryOptions(**filters), by=by) for s in (one, sharded))
            if a != b:
                out.append(("timeline", q, by, a, b))
    for q in CONCORDANCES:
        for sort in SORTS:
            for limit in (3, 1000):
                a, b = (s.kwic(q, limit=limit, sort=sort) for s in (one, sharded))
                if a != b:
                    out.append(("kwic", q, sort, limit, a, b))
    for word in WORDS:
        a, b = one.forms(word), sharded.forms(word)
        if a != b:
            out.append(("forms", word, a, b))
    for q, options in EXPORTS:
        for sort in ("relevance", "newest", "oldest"):
            (ta, pa, a), (tb, pb, b) = (export_hits(s, q, sort, options) for s in (one, sharded))
            if (ta, pa, len(a)) != (tb, pb, len(b)) or len(a) != ta or not same_ranking(a, b, sort) \
                    or {article(h) for h in a} != {article(h) for h in b}:
                out.append(("export", q, sort, [(h.id, h.score, h.date) for h in a],
                            [(h.id, h.score, h.date) for h in b]))
    return out
