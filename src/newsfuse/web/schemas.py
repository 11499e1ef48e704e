"""Typed response models of the JSON API (what /api/docs shows); extra fields from newer stages pass through."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from newsfuse.models import FusedStory


class Open(BaseModel):
    # Fusion gains fields over time (conflict-aware facts, ...): keep them rather than drop them.
    model_config = ConfigDict(extra="allow")


class ArticleRef(Open):
    id: str
    external_id: str | None = None
    outlet: str | None = None
    published: str | None = None
    title: str = ""
    headline_only: bool = Field(False, description="a headline without a body (a feed's or an aggregator's line): "
                                "it can support a fact only through its headline")


class Coverage(Open):
    outlet: str
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code of the newsroom's seat, from the outlet registry")
    kind: str | None = Field(None, description="wire agency, public broadcaster, state-owned, newspaper, digital, ...")
    lean: str | None = Field(None, description="only where the user's outlet registry gives one")


class Counts(Open):
    all: int = Field(0, description="facts every independent source reports")
    some: int = 0
    one: int = 0
    conflicts: int = 0


class StoryCard(Open):
    """One story as the front page and `GET /api/stories` show it."""

    id: str
    title: str
    articles: list[ArticleRef]
    outlets: list[str] = []
    keywords: list[str] = []
    entities: list[str] = []
    first_seen: str | None = None
    last_seen: str | None = None
    copies: list[list[str]] = []
    state: Literal["fused", "updating", "fusing", "single"] = Field(
        description="fused; updating (an older fused account is shown while the new one is made); "
                    "fusing (not fused yet); single (one article: nothing to fuse)")
    lead: str = Field("", description="the story's lead sentence: the first summary sentence, else the first article's")
    coverage: list[Coverage] = []
    counts: Counts = Counts()
    only: str | None = Field(None, description="the blindspot: 'Covered only by …' when every outlet shares a country, kind or lean")


class StoryPage(BaseModel):
    items: list[StoryCard]
    total: int
    offset: int
    limit: int
    next_offset: int | None = None


class StoryPending(Open):
    """A story with no (current) fused account: one article, or fusion still to run in the background."""

    id: str
    title: str
    state: Literal["fusing", "single"]
    articles: list[ArticleRef]
    by_outlet: dict[str, list[ArticleRef]] = {}


class SearchHit(Open):
    id: str
    external_id: str | None = None
    outlet: str | None = None
    title: str
    published: str | None = None
    url: str | None = None
    language: str | None = None
    snippet: str = ""


class Removal(Open):
    reason: str
    text: str
    position: int


class ArticleOut(Open):
    id: str
    title: str
    text: str
    outlet: str | None = None
    outlet_found_by: str | None = None
    published: str | None = None
    published_found_by: str | None = None
    language: str | None = None
    url: str | None = None
    external_id: str | None = None
    removals: list[Removal] = []
    headline_only: bool = Field(False, description="a headline without a body: `text` holds its teaser or nothing")
    sources: list[dict[str, Any]] = []
    story: str | None = Field(None, description="id of the story the article belongs to")


class EntityOut(Open):
    id: str
    name: str
    type: str
    aliases: list[str] = []
    articles: int = 0
    mentions: int = 0
    stories: list[dict[str, Any]] = []
    quotes_by: list[dict[str, Any]] = []
    quotes_about: list[dict[str, Any]] = []


class InputError(BaseModel):
    input: str
    reason: str


class Job(BaseModel):
    """A batch added from the add page (or POST /api/jobs): what it has done so far."""

    id: str
    inputs: list[str]
    state: Literal["queued", "reading", "analysing", "grouping", "fusing", "done", "failed"]
    read: int = 0
    ingested: int = 0
    duplicates: int = 0
    failures: list[InputError] = []
    stories: list[str] = []
    message: str = ""


class Changes(BaseModel):
    version: str = Field(description="changes whenever a story, an article or a fused account does")
    stories: int
    articles: int


class ErrorOut(BaseModel):
    error: str
    status: int


# The story JSON contract: the fused-story record itself, so the schema follows models.py.
FusedStoryOut = FusedStory
