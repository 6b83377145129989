"""Test databases on both backends: a SQLite file in tmp_path, or a fresh database on the PostgreSQL
server named by PHARMADEALS_TEST_PG_URL (scripts/pg-test-server starts one; .ci/run does)."""
from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from pharmadeals.models.base import make_engine
from pharmadeals.models.migrate import upgrade
from pharmadeals.models.records import Article, DealMention, Money, PartyMention
from pharmadeals.pipeline.config import Settings, settings_from_mapping
from pharmadeals.pipeline.normalize.store import Storage

PG_URL_ENV = "PHARMADEALS_TEST_PG_URL"
PG_SKIP = (f"PostgreSQL run skipped: {PG_URL_ENV} is not set "
           "(start a server with `scripts/pg-test-server start DIR` and export the URL it prints)")
BACKENDS = [pytest.param("sqlite", id="sqlite"),
            pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres)]


def pg_server_url() -> str:
    url = os.environ.get(PG_URL_ENV)
    if not url:
        pytest.skip(PG_SKIP)
    return url


@contextmanager
def fresh_database(backend: str, tmp_path: Path, name: str = "pd") -> Iterator[str]:
    """The URL of an empty database that is thrown away afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / name}.db"
        return
    server = make_url(pg_server_url())
    dbname = f"pdtest_{name}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{dbname}"'))
    try:
        yield server.set(database=dbname).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each backend in turn (PostgreSQL skipped, saying why, without a server)."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


def plain(value: Any) -> Any:
    """One Python value for what the two drivers return differently (dates as text on SQLite, bools)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] in " T":
        return value.replace("T", " ")  # SQLite datetime text
    return value


def plain_rows(rows: list[tuple[Any, ...]] | list[Any]) -> list[tuple[Any, ...]]:
    return [tuple(plain(v) for v in row) for row in rows]


# A small storage scenario shared by the backend and db copy tests.
HENGRUI = PartyMention("Jiangsu Hengrui Pharmaceuticals", "Hengrui", "CN")
HENGRUI_ZH = PartyMention("Jiangsu Hengrui Pharmaceuticals", "恒瑞医药", "CN")
ACME = PartyMention("Acme Therapeutics", "Acme", "US")
KELUN = PartyMention("Sichuan Kelun-Biotech", "Kelun-Biotech", "CN", registry_id="HKEX:6990")
MERCK = PartyMention("Merck & Co.", "MSD", "US", registry_id="SEC:310158")


def usd(value: str) -> Money:
    return Money(Decimal(value), "USD", text=f"US${value}")


def cny(value: str) -> Money:
    return Money(Decimal(value), "CNY", text=f"{value}元")


def article(slug: str, text_body: str, published: date, language: str = "en") -> Article:
    return Article(url=f"https://news.example/{slug}", source="wire", title=slug.replace("-", " "),
                   text=text_body, language=language, published=published, content_hash=hashlib.sha256(text_body.encode()).hexdigest(),
                   kind="news")


# (article, deal mentions) in the order they are stored; every figure is in the article's own text
SCENARIO: list[tuple[Article, list[DealMention]]] = [
    (article("hengrui-acme", "Hengrui licenses HRS-1234 to Acme for US$100000000 upfront.", date(2025, 3, 3)),
     [DealMention(HENGRUI, ACME, territory="ex-China", direction="out", royalties=True, upfront=usd("100000000"),
                  milestones=usd("1000000000"), assets=("HRS-1234",), announced=date(2025, 3, 3),
                  confidence=0.8, evidence=("Hengrui licenses HRS-1234 to Acme.",))]),
    (article("hengrui-acme-zh", "恒瑞医药将HRS-1234授权给Acme，首付款7.2亿元。", date(2025, 3, 4), "zh"),
     [DealMention(HENGRUI_ZH, ACME, territory="ex-China", direction="out", upfront=cny("720000000"),
                  assets=("HRS-1234",), announced=date(2025, 3, 4), confidence=0.7,
                  evidence=("恒瑞医药将HRS-1234授权给Acme。",))]),
    (article("kelun-msd", "Kelun-Biotech grants MSD an option on SKB-999 for US$35000000.", date(2025, 6, 1)),
     [DealMention(KELUN, MERCK, deal_type="option", territory="global", direction="out",
                  upfront=usd("35000000"), assets=("SKB-999",), announced=date(2025, 6, 1), confidence=0.9,
                  evidence=("Kelun-Biotech grants MSD an option.",))]),
    (article("hengrui-acme-copy", "Hengrui licenses HRS-1234 to Acme for US$100000000 upfront.", date(2025, 3, 3)),
     []),  # same text at another url: a duplicate
    (article("market-wrap", "Shares rose on Monday; no licensing news.", date(2025, 6, 2)), []),
    (article("hengrui-acme-ends", "Acme returns HRS-1234 rights to Hengrui.", date(2026, 1, 5)),
     [DealMention(HENGRUI, ACME, direction="out", assets=("HRS-1234",), announced=date(2026, 1, 5),
                  confidence=0.6, event="termination", evidence=("Acme returns HRS-1234 rights.",))]),
]
VIEW_ORDER = {"deal_summary": "deal_id", "deal_sources": "deal_id, url",
              "ingest_log": "run_id, url, status"}


def settings_for(url: str, tmp_path: Path) -> Settings:
    """Settings on `url` with archive and log file off."""
    return settings_from_mapping({"database": {"url": url}, "archive": {"enabled": False},
                                  "logging": {"file": None}}, str(tmp_path / "config.yaml"))


def store_scenario(url: str, tmp_path: Path) -> tuple[list[str], dict[str, list[tuple]]]:
    """Migrate, store SCENARIO through Storage; returns the statuses and every view's rows."""
    engine = make_engine(url)
    upgrade(engine)
    storage = Storage(engine, settings_for(url, tmp_path))
    run_id = storage.begin_run()
    statuses = [storage.store_article(run_id, "feed", a, d).status for a, d in SCENARIO]
    storage.finish_run(run_id, "ok", 0, {})
    views = {}
    with engine.connect() as conn:
        for view, order in VIEW_ORDER.items():
            views[view] = plain_rows(conn.execute(text(f"SELECT * FROM {view} ORDER BY {order}")).all())
    engine.dispose()
    return statuses, views


