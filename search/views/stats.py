"""What an index holds: articles overall, by language and by source, and per shard."""
from search.engine.collector import Collector


class Counts(Collector):
    """Each shard's article counts, added up; ``sharded`` adds each shard's own line."""

    def __init__(self, sharded):
        self.sharded = sharded

    def collect(self, shard):
        return shard.counts()

    def merge(self, parts, missing):
        langs, sources, shards = {}, {}, []
        for _, part in parts:
            for k, v in part["languages"].items():
                langs[k] = langs.get(k, 0) + v
            for k, v in part["sources"].items():
                sources[k] = sources.get(k, 0) + v
            shards.append({"shard": part["shard"], "articles": part["articles"], "bytes": part["bytes"],
                           "path": part["path"]})
        out = {"articles": sum(s["articles"] for s in shards), "languages": langs,
               "sources": dict(sorted(sources.items(), key=lambda kv: (-kv[1], kv[0])))}
        if self.sharded:
            out.update(shards=shards, missing=list(missing))
        return out


def stats(engine):
    """Article counts overall, by language and by source (and by shard, for a sharded index)."""
    return engine.collect(Counts(engine.sharded))
