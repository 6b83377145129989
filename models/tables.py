"""The schema: every table as a typed SQLAlchemy 2.0 declarative model.

Amounts keep the exact original value as decimal text (`value_text`) beside a float copy for
aggregation; USD values are derived, with the rate, its date and source next to them.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pharmadeals.models.base import Base


class Source(Base):
    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    type: Mapped[str] = mapped_column(String(30))
    cursor: Mapped[str | None] = mapped_column(Text)  # last seen item, survives runs
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)


class Run(Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    command: Mapped[str] = mapped_column(String(30), default="ingest")
    # running|ok|partial|unreachable|failed|interrupted|abandoned (abandoned: stored by a later run on a server database)
    status: Mapped[str] = mapped_column(String(20), default="running")
    exit_code: Mapped[int | None] = mapped_column(Integer)
    counters: Mapped[str] = mapped_column(Text, default="{}")  # JSON: per source counters
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)  # since 0005: last sign of life (UTC)
    abandon_after_seconds: Mapped[float | None] = mapped_column(Float)  # since 0005: silence that means abandoned


class UrlState(Base):
    """Conditional-request validators per URL (feeds, listings and articles alike)."""

    __tablename__ = "url_state"
    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    checked_at: Mapped[datetime | None] = mapped_column(DateTime)


class Article(Base):
    __tablename__ = "articles"
    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True, unique=True)  # unique since 0003
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    title: Mapped[str] = mapped_column(Text, default="")
    published_on: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(5))
    kind: Mapped[str] = mapped_column(String(20), default="news")  # official|press_release|news
    text: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(DateTime)


class Company(Base):
    __tablename__ = "companies"
    id: Mapped[int] = mapped_column(primary_key=True)
    registry_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2))
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))


class CompanyAlias(Base):
    __tablename__ = "company_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    alias_key: Mapped[str] = mapped_column(String(300), unique=True)  # normalised form
    alias: Mapped[str] = mapped_column(String(300))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    origin: Mapped[str] = mapped_column(String(20), default="auto")  # registry|auto|fuzzy|manual


class Deal(Base):
    __tablename__ = "deals"
    id: Mapped[int] = mapped_column(primary_key=True)
    announced_on: Mapped[date | None] = mapped_column(Date, index=True)
    licensor_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    licensee_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    direction: Mapped[str] = mapped_column(String(10), default="other")
    deal_type: Mapped[str] = mapped_column(String(30), default="license")
    territory: Mapped[str | None] = mapped_column(String(20))
    assets: Mapped[str] = mapped_column(Text, default="")  # comma-separated, as displayed
    royalties: Mapped[bool] = mapped_column(Boolean, default=False)
    currency: Mapped[str | None] = mapped_column(String(3))
    confidence: Mapped[float] = mapped_column(Float, default=0.5)
    status: Mapped[str] = mapped_column(String(20), default="active")  # active|rejected
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class DealParty(Base):
    __tablename__ = "deal_parties"
    __table_args__ = (UniqueConstraint("deal_id", "role", "company_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    role: Mapped[str] = mapped_column(String(20))  # licensor|licensee
    mention: Mapped[str] = mapped_column(String(300), default="")


class DealAmount(Base):
    """The reconciled amount of a deal per kind (what deal_summary shows)."""

    __tablename__ = "deal_amounts"
    __table_args__ = (UniqueConstraint("deal_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # upfront|milestones|total|equity
    value_text: Mapped[str] = mapped_column(String(60))
    value: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    usd_value: Mapped[float | None] = mapped_column(Float)
    fx_rate: Mapped[float | None] = mapped_column(Float)
    fx_date: Mapped[date | None] = mapped_column(Date)
    fx_source: Mapped[str | None] = mapped_column(String(100))
    support: Mapped[int] = mapped_column(Integer, default=1)  # mentions agreeing with this value
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)


class DealAmountHistory(Base):
    """Since 0006: the figures of a deal an amendment changed, with the one it replaced; `current` marks the
    figure deal_amounts shows. Rebuilt from the reports whenever the deal is reconciled."""

    __tablename__ = "deal_amount_history"
    __table_args__ = (UniqueConstraint("deal_id", "kind", "mention_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # upfront|milestones|total|equity
    value_text: Mapped[str] = mapped_column(String(60))
    value: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    usd_value: Mapped[float | None] = mapped_column(Float)
    event: Mapped[str | None] = mapped_column(String(30))  # amendment, or NULL for the deal's own report
    effective_on: Mapped[date | None] = mapped_column(Date)  # the report's announcement date
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    mention_id: Mapped[int] = mapped_column(ForeignKey("deal_mentions.id", ondelete="CASCADE"), index=True)
    current: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class DealMention(Base):
    """Which article said what about which deal, and why it joined that deal."""

    __tablename__ = "deal_mentions"
    __table_args__ = (UniqueConstraint("article_id", "ordinal"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    # the companies this report names (its deal is decided from its reports: pipeline/normalize/membership.py)
    licensor_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    licensee_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    licensor_mention: Mapped[str] = mapped_column(String(300), default="")
    licensee_mention: Mapped[str] = mapped_column(String(300), default="")
    payload: Mapped[str] = mapped_column(Text)  # JSON of the extract contract for this mention
    evidence: Mapped[str] = mapped_column(Text, default="")  # sentences joined by newlines
    confidence: Mapped[float] = mapped_column(Float, default=0.5)
    event: Mapped[str | None] = mapped_column(String(30))
    join_reason: Mapped[str] = mapped_column(String(300), default="new deal")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class MentionAmount(Base):
    __tablename__ = "mention_amounts"
    __table_args__ = (UniqueConstraint("mention_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    mention_id: Mapped[int] = mapped_column(ForeignKey("deal_mentions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    value_text: Mapped[str] = mapped_column(String(60))
    value: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    usd_value: Mapped[float | None] = mapped_column(Float)
    span: Mapped[str] = mapped_column(Text, default="")


class DealEvent(Base):
    __tablename__ = "deal_events"
    __table_args__ = (UniqueConstraint("deal_id", "kind", "article_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    happened_on: Mapped[date | None] = mapped_column(Date)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))


class IngestEntry(Base):
    """One row per article (or item) per run: what happened and why."""

    __tablename__ = "ingest_entries"
    __table_args__ = (Index("ix_ingest_run_url", "run_id", "url"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    source: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(20))  # deal|no_deal|duplicate|skipped|error
    reason: Mapped[str] = mapped_column(Text, default="")
    deals_found: Mapped[int] = mapped_column(Integer, default=0)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class WarcFile(Base):
    """A WARC file a backfill has fully processed, by content hash, so a rerun skips it."""

    __tablename__ = "warc_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)  # where it was read from (informative; the hash is the key)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    articles: Mapped[int] = mapped_column(Integer, default=0)
    deals: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    processed_at: Mapped[datetime] = mapped_column(DateTime)


class Override(Base):
    """A reviewer's correction; wins over any later re-extraction."""

    __tablename__ = "overrides"
    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(50))  # a deal field, or "status" for reject
    value: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class DealChange(Base):
    """History of a deal: created, joined by a mention, amount changed, corrected."""

    __tablename__ = "deal_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    change: Mapped[str] = mapped_column(Text)  # JSON {"what": ..., "field": ..., "old": ..., "new": ...}
    created_at: Mapped[datetime] = mapped_column(DateTime)
