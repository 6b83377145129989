"""Does merging slow down as the database grows? Store articles into an empty database and into one
holding 100,000 deals, and compare the time per article (the write path with company and deal identity)."""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from dealkit import article, mention, party, usd  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from pharmadeals.models.repository import utcnow  # noqa: E402
from pharmadeals.models.tables import Company, CompanyAlias, Deal  # noqa: E402
from pharmadeals.pipeline.config import settings_from_mapping  # noqa: E402
from pharmadeals.pipeline.normalize.companies import normalise_name  # noqa: E402
from pharmadeals.pipeline.run import open_storage  # noqa: E402


def seed(storage, deals: int, companies: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    now = utcnow()
    with storage.sessions.begin() as session:
        session.execute(insert(Company), [{"id": i, "name": f"Seed Company {i}", "country": "CN" if i % 2 else "US",
                                           "needs_review": False} for i in range(1, companies + 1)])
        session.execute(insert(CompanyAlias), [{"alias_key": normalise_name(f"Seed Company {i}"),
                                                "alias": f"Seed Company {i}", "company_id": i, "origin": "auto"}
                                               for i in range(1, companies + 1)])
        start = date(2015, 1, 1)
        rows = [{"announced_on": start + timedelta(days=rng.randrange(4000)),
                 "licensor_id": rng.randrange(1, companies + 1), "licensee_id": rng.randrange(1, companies + 1),
                 "direction": "out", "deal_type": "license", "assets": f"SD-{i}", "royalties": False,
                 "confidence": 0.8, "status": "active", "created_at": now, "updated_at": now}
                for i in range(deals)]
        for chunk in range(0, len(rows), 10_000):
            session.execute(insert(Deal), rows[chunk:chunk + 10_000])


def time_articles(storage, count: int, tag: str) -> float:  # type: ignore[no-untyped-def]
    run = storage.begin_run()
    started = time.perf_counter()
    for i in range(count):
        licensor = party(f"Seed Company {1 + i % 50}")
        licensee = party(f"Seed Company {1000 + i % 50}")
        storage.store_article(run, "files", article(f"https://bench/{tag}/{i}", f"{tag} {i}"),
                              [mention(licensor, licensee, assets=(f"BM-{i}",), upfront=usd("100000000"))])
    return (time.perf_counter() - started) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for label, deals in (("empty", 0), (f"{args.deals:,} deals", args.deals)):
            settings = settings_from_mapping({"database": {"url": f"sqlite:///{tmp}/{label[:5]}.db"},
                                              "logging": {"file": None}})
            storage = open_storage(settings)
            if deals:
                seed(storage, deals, companies=2_000)
            results[label] = time_articles(storage, args.articles, label[:5])
        for label, seconds in results.items():
            print(f"store+merge into {label:>15}: {seconds * 1000:.2f} ms/article ({1 / seconds:.0f} articles/s)")


if __name__ == "__main__":
    main()
