"""Two ingest processes storing the same reports at the same time create no duplicate article, company or deal."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from backends import db_url  # noqa: F401 (fixture)
from sqlalchemy import text

from pharmadeals.models.base import make_engine
from pharmadeals.models.migrate import upgrade
from pharmadeals.models.records import Article, DealMention, Money, PartyMention
from pharmadeals.pipeline.config import settings_from_mapping
from pharmadeals.pipeline.normalize.store import Storage

LICENSORS = ("Hengrui", "Kelun-Biotech", "Hansoh", "Innovent", "Akeso", "BeiGene", "Zai Lab", "CSPC")
LICENSEES = ("Merck", "AstraZeneca", "GSK", "Roche", "Summit", "Novartis", "Takeda", "Pfizer")
DEALS = len(LICENSORS)
REPORTS_PER_DEAL = 4
HERE = Path(__file__).resolve().parent


def reports() -> list[tuple[Article, list[DealMention]]]:
    """DEALS deals, each reported by REPORTS_PER_DEAL articles naming the parties in different ways."""
    items = []
    for i in range(DEALS):
        registry = f"HKEX:{9000 + i}" if i % 2 == 0 else None
        day = date(2025, 1, 6) + timedelta(days=30 * i)
        for r in range(REPORTS_PER_DEAL):
            lor, lee = LICENSORS[i], LICENSEES[i]
            body = f"Report {r}: {lor} licenses SB-{100 + i} to {lee} for US${10 * (i + 1)} million."
            licensor = PartyMention(lor, lor + (" Co., Ltd." if r % 2 else ""), "CN", registry_id=registry)
            licensee = PartyMention(lee, lee + (" Inc." if r >= 2 else ""), "US")
            mention = DealMention(licensor, licensee, territory="global", direction="out",
                                  upfront=Money(Decimal(10_000_000 * (i + 1)), "USD", text=f"US${10 * (i + 1)} million"),
                                  assets=(f"SB-{100 + i}",), announced=day + timedelta(days=r), confidence=0.8,
                                  evidence=(body,))
            items.append((Article(url=f"https://wire.example/{i}/{r}", source="wire", title=f"deal {i} report {r}",
                                  text=body, language="en", published=day + timedelta(days=r),
                                  content_hash=hashlib.sha256(body.encode()).hexdigest()), [mention]))
    return items


def ordered(order: str) -> list[tuple[Article, list[DealMention]]]:
    """same: deal by deal; reverse: last deal first; crossed: deal by deal, each deal's reports backwards
    (so the two writers report the same deal from different articles at the same moment)."""
    items = reports()
    if order == "reverse":
        return items[::-1]
    if order == "crossed":
        return [items[i * REPORTS_PER_DEAL + r] for i in range(DEALS) for r in reversed(range(REPORTS_PER_DEAL))]
    return items


def writer(url: str, go_file: str, order: str) -> None:
    """Entry point of one writer process: wait for the start signal, then store every report."""
    settings = settings_from_mapping({"database": {"url": url}, "archive": {"enabled": False},
                                      "logging": {"file": None}}, "<test>")
    storage = Storage(make_engine(url), settings)
    run_id = storage.begin_run()
    items = ordered(order)
    while not Path(go_file).exists():
        time.sleep(0.005)
    statuses = [storage.store_article(run_id, "feed", a, d).status for a, d in items]
    storage.finish_run(run_id, "ok", 0, {})
    print(json.dumps(statuses))


def start_writer(url: str, go_file: Path, order: str) -> subprocess.Popen[str]:
    code = (f"import sys; sys.path[:0] = [{str(HERE)!r}, {str(HERE.parent)!r}]; "
            f"from test_concurrent_writers import writer; writer({url!r}, {str(go_file)!r}, {order!r})")
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=HERE.parent.parent)


def count(conn, sql: str) -> int:  # type: ignore[no-untyped-def]
    return conn.execute(text(sql)).scalar_one()


@pytest.mark.parametrize("order", ["same", "reverse", "crossed"])
def test_two_writers_never_duplicate(db_url: str, tmp_path: Path, order: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    go = tmp_path / "go"
    procs = [start_writer(db_url, go, "same"), start_writer(db_url, go, order)]
    time.sleep(2.0)  # both processes imported and connected; then release them together
    go.touch()
    outputs = [p.communicate(timeout=240) for p in procs]
    for proc, (_out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err[-3000:]
    statuses = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    total = DEALS * REPORTS_PER_DEAL
    # every report stored exactly once: one writer stored it, the other saw a duplicate
    assert sum(s.count("deal") for s in statuses) == total
    assert sum(s.count("duplicate") for s in statuses) == total
    with engine.connect() as conn:
        assert count(conn, "SELECT COUNT(*) FROM articles") == total
        assert count(conn, "SELECT COUNT(*) FROM deals") == DEALS
        assert count(conn, "SELECT COUNT(*) FROM companies") == 2 * DEALS
        assert count(conn, "SELECT COUNT(*) FROM deal_mentions") == total
        assert count(conn, "SELECT COUNT(*) FROM ingest_entries") == 2 * total
        assert count(conn, "SELECT MIN(article_count) FROM deal_summary") == REPORTS_PER_DEAL
        pairs = conn.execute(text("SELECT licensor, licensee FROM deal_summary ORDER BY licensor")).all()
    assert sorted(tuple(p) for p in pairs) == sorted(zip(LICENSORS, LICENSEES))
    engine.dispose()
