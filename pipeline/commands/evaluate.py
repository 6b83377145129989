"""`pharmadeals eval`: score the extractor on gold-labelled articles, through the same JSON `extract` prints."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from pharmadeals.models.errors import InputError
from pharmadeals.pipeline.commands.common import ConfigOption, emit_rows, settings_for
from pharmadeals.pipeline.config import DEFAULT_CONFIG, ENV_CONFIG, Settings

FORMATS = ("table", "json")


def _settings(config: str | None) -> Settings:
    """The given config; the defaults when none is given and none sits in the working folder."""
    import os

    if config or os.environ.get(ENV_CONFIG) or Path(DEFAULT_CONFIG).is_file():
        return settings_for(config)
    return Settings()


def predict(rows: list[dict[str, Any]], settings: Settings) -> dict[str, list[dict[str, Any]]]:
    """Run `extract` on every gold article; deals keyed by the gold row's `file`."""
    from pharmadeals.pipeline.commands.extract import extract_paths

    results = extract_paths([row["path"] for row in rows], settings)
    return {row["file"]: result["deals"] for row, result in zip(rows, results)}


def evaluate(
    gold: Annotated[list[str], typer.Argument(help="Gold label files (gold_en.jsonl ...); article paths are "
                                                   "relative to each gold file's folder.")],
    split: Annotated[str, typer.Option("--split", help="dev, test, holdout or all.")] = "dev",
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    errors: Annotated[bool, typer.Option("--errors", help="Also list missed and spurious deals.")] = False,
    config: ConfigOption = None,
) -> None:
    """Precision/recall/F1 of deal detection and amounts, and role, type, territory and negative accuracy.

    Example: pharmadeals eval tests/corpora/corpus/gold_en.jsonl tests/corpora/corpus/gold_zh.jsonl --split test
    """
    from pharmadeals.pipeline.evaluation import load_gold, report_json, report_rows, score

    if fmt not in FORMATS:
        raise InputError(f"unknown --format {fmt!r}", f"use one of {', '.join(FORMATS)}")
    rows = load_gold(gold, split)
    if not rows:
        raise InputError(f"no gold articles in split {split!r}", "choose --split dev, test, holdout or all")
    report = score(rows, predict(rows, _settings(config)))
    if fmt == "json":
        print(json.dumps(report_json(report), ensure_ascii=False, indent=2))
        return
    print(f"{report.articles} articles, split {split}")
    emit_rows(("metric", "precision", "recall", "F1 / accuracy", "n"), report_rows(report), "table")
    if errors:
        for line in report.errors:
            print(line)


def register(app: typer.Typer) -> None:
    app.command(name="eval")(evaluate)
