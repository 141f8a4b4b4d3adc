"""What a search returns, in the reader's terms."""
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional


@dataclass
class Hit:
    id: str
    title: str
    date: Optional[str]
    source: str                 # sources joined for display
    sources: List[str]
    lang: str
    score: float
    snippet: str
    snippet_html: str
    title_html: str
    path: str
    url: Optional[str] = None
    also: List[Dict[str, str]] = field(default_factory=list)   # other places the same article appeared


@dataclass
class SearchResults:
    query: str
    total: int
    page: int
    limit: int
    hits: List[Hit]
    facets: Dict[str, Dict[str, int]] = field(default_factory=dict)
    interpretation: str = ""
    suggestion: Optional[str] = None
    partial: bool = False
    seconds: float = 0.0

    @property
    def pages(self):
        return max(1, -(-self.total // self.limit)) if self.limit else 1

    def to_json(self):
        data = asdict(self)
        data["pages"] = self.pages
        return data
