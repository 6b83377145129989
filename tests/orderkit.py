"""Order-independence checks: a mixed EN/ZH corpus of deals reported many times, folders that feed it in a
chosen order, and the stored deals compared by content (deal ids and clocks differ between runs)."""
from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from backends import plain
from sqlalchemy import create_engine, text
from suitekit import CORPUS

# Six deals with two to eight reports each in both languages (an amendment, a termination, regional and
# global reports, announcements beside wire stories), plus roundups that recall many other deals.
ORDER_CORPUS = (
    "en/hansoh-gsk-hkex", "en/hansoh-gsk-wire", "en/bms-systimmune-pr", "en/bms-biokin-adc-trade",
    "en/innovent-roche-hkex", "en/roche-innovent-adc-wire", "en/hutchmed-takeda-pr", "en/hutchmed-takeda-wire",
    "en/summit-akeso-8k", "en/summit-akeso-trade", "en/summit-akeso-territory-expansion",
    "en/beigene-novartis-tislelizumab-termination", "en/2024-china-biotech-deals-review",
    "zh/hansoh-gsk-hkex", "zh/hansoh-gsk-vcbeat", "zh/biokin-bms-cninfo", "zh/biokin-bms-yiyaomofang",
    "zh/innovent-roche-hkex", "zh/innovent-roche-yaozhi", "zh/hutchmed-takeda-hkex", "zh/hutchmed-takeda-yicai",
    "zh/akeso-summit-hkex", "zh/akeso-summit-vcbeat", "zh/akeso-summit-amend-hkex", "zh/akeso-summit-amend-stcn",
    "zh/roundup-2024-annual-stcn", "zh/roundup-jan2025-cs", "zh/roundup-2023-yiyaoguanlan",
    "zh/roundup-pd1vegf-hkej-big5", "zh/beigene-novartis-termination-cls",
)


def corpus_files(stem: str) -> list[Path]:
    """The saved page and its sidecar (the sidecar holds the URL, so a copy keeps the article's identity)."""
    folder, name = stem.split("/")
    return sorted((CORPUS / folder).glob(name + ".*"))


def write_folder(target: Path, stems: Sequence[str]) -> Path:
    """A folder the files source reads in exactly this order (it reads names in sorted order)."""
    target.mkdir(parents=True)
    for place, stem in enumerate(stems):
        for path in corpus_files(stem):
            shutil.copy(path, target / f"{place:03d}-{stem.replace('/', '-')}{path.suffix}")
    return target


SUMMARY_SKIP = ("deal_id",)


def deal_content(url: str) -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    """deal_summary rows without their ids, and deal_sources as (source row, its deal's content) pairs."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            summary = conn.execute(text("SELECT * FROM deal_summary")).mappings().all()
            sources = conn.execute(text("SELECT * FROM deal_sources")).mappings().all()
    finally:
        engine.dispose()
    content = {row["deal_id"]: tuple((k, plain(v)) for k, v in row.items() if k not in SUMMARY_SKIP)
               for row in summary}
    deals = Counter(content.values())
    reports = Counter((tuple((k, plain(v)) for k, v in row.items() if k != "deal_id"), content[row["deal_id"]])
                      for row in sources)
    return deals, reports


def differences(expected: Counter[tuple[Any, ...]], got: Counter[tuple[Any, ...]]) -> list[str]:
    """Readable rows only one side has (for assertion messages)."""
    return ([f"missing: {dict(r)}" for r in (expected - got)] + [f"extra: {dict(r)}" for r in (got - expected)])[:6]
