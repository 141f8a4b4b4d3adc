"""A time limit on scoring that keeps Whoosh's block-quality shortcuts.

Whoosh's ``TimeLimitCollector`` collects every match one by one, which turns
off the skipping that makes a top-N search fast.  Instead the scorer itself
looks at the clock every few hundred scores and raises ``TimeLimit``; the
collector keeps the best documents scored so far.
"""
import threading
import time

from whoosh import scoring
from whoosh.collectors import TimeLimit

_CHECK_EVERY = 256


class DeadlineWeighting(scoring.WeightingModel):
    """Wraps a weighting model; scoring past the deadline raises TimeLimit."""

    def __init__(self, model):
        self.model = model
        self.use_final = model.use_final
        self._local = threading.local()

    def start(self, deadline):
        """Enforce ``deadline`` (a time.perf_counter value) in this thread."""
        self._local.deadline = deadline
        self._local.count = 0

    def stop(self):
        self._local.deadline = None

    def check(self):
        local = self._local
        deadline = getattr(local, "deadline", None)
        if deadline is None:
            return
        local.count += 1
        if local.count % _CHECK_EVERY == 1 and time.perf_counter() > deadline:
            raise TimeLimit()

    def idf(self, searcher, fieldname, text):
        return self.model.idf(searcher, fieldname, text)

    def scorer(self, searcher, fieldname, text, qf=1):
        return _DeadlineScorer(self.model.scorer(searcher, fieldname, text, qf=qf), self)

    def final(self, searcher, docnum, score):
        return self.model.final(searcher, docnum, score)


class _DeadlineScorer(scoring.BaseScorer):
    def __init__(self, inner, clock):
        self.inner = inner
        self.clock = clock

    def supports_block_quality(self):
        return self.inner.supports_block_quality()

    def max_quality(self):
        return self.inner.max_quality()

    def block_quality(self, matcher):
        return self.inner.block_quality(matcher)

    def score(self, matcher):
        self.clock.check()
        return self.inner.score(matcher)
