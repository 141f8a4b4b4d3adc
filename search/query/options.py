"""What a person asked for: the query text and every option of it, as one frozen value.

The faces (command line, page, Python API) make a ``QueryOptions`` once and
hand it down unchanged to the engine and every view, so the results page,
its timeline, concordance and exports count the same articles for the same
request: there is one place where the options are, not a dozen signatures.
"""
from dataclasses import asdict, dataclass, field, replace
from typing import Optional, Tuple

from search.query.syntax import QueryError

SORTS = ("relevance", "newest", "oldest")
MAX_PAGE = 1000
MAX_LIMIT = 1000
DEFAULT_TIME_LIMIT = 5.0


@dataclass(frozen=True)
class QueryOptions:
    """A query as typed with its filters and options; ``checked()`` refuses what cannot be used.

    ``time_limit`` None means the searcher's own limit; ``drop_variants`` are
    name variants the reader removed; ``variants=False`` searches names only
    as typed.
    """
    text: Optional[str] = ""          # as typed; None for a search by filters alone
    lang: Optional[str] = None
    source: Optional[str] = None
    date_from: Optional[str] = None
    date_to: Optional[str] = None
    sort: str = "relevance"
    variants: bool = True
    drop_variants: Tuple[str, ...] = field(default_factory=tuple)
    page: int = 1
    limit: int = 10
    time_limit: Optional[float] = None

    def __post_init__(self):
        # Lists and generators from the faces become tuples, so the value stays hashable and frozen.
        object.__setattr__(self, "drop_variants", tuple(self.drop_variants or ()))

    def checked(self):
        """These options with page and limit brought into range; QueryError for an unknown sort."""
        if self.sort not in SORTS:
            raise QueryError("sort must be one of %s" % ", ".join(SORTS))
        return replace(self, page=max(1, min(int(self.page), MAX_PAGE)),
                       limit=max(1, min(int(self.limit), MAX_LIMIT)))

    def filters(self):
        """The filters alone, as keywords (lang, source, date_from, date_to)."""
        return dict(lang=self.lang, source=self.source, date_from=self.date_from, date_to=self.date_to)

    def filtered(self):
        """Whether any filter is set."""
        return any(self.filters().values())

    def with_text(self, text):
        """The same options for another query text (a timeline's other series, the filters' base)."""
        return replace(self, text=text)

    def but(self, **changes):
        """These options with some changed."""
        return replace(self, **changes)

    def seconds(self, default):
        """The time limit, or ``default`` when none was given."""
        return default if self.time_limit is None else self.time_limit

    def as_dict(self):
        return asdict(self)
