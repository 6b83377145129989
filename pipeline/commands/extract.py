"""`pharmadeals extract`: deals from files or stdin, without touching any database."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from pharmadeals.models.errors import InputError, ItemError
from pharmadeals.models.records import Article, DealMention, DiscoveredItem, Page
from pharmadeals.pipeline.commands.common import ConfigOption, emit_rows, settings_for
from pharmadeals.pipeline.config import Settings
from pharmadeals.pipeline.serialize import deal_to_json
from pharmadeals.scrapers.sources.settings import FilesSource

FORMATS = ("json", "jsonl", "table")


def read_input(path: str, settings: Settings) -> Page:
    """A Page from a saved file (with its sidecar, as the files source reads it) or from stdin."""
    from pharmadeals.scrapers.sources.files import CONTENT_TYPES, item_for

    if path == "-":
        body = sys.stdin.buffer.read()
        kind = "text/html" if body.lstrip()[:1] == b"<" else "text/plain"
        item = DiscoveredItem(url="stdin:", source="extract", inline_body=body, inline_content_type=kind)
    else:
        file = Path(path)
        if not file.is_file():
            raise InputError(f"{path} is not a readable file", "give paths to saved .html/.txt/.md/.pdf files or -")
        if file.suffix.lower() not in CONTENT_TYPES:
            raise InputError(f"{path}: unsupported file type {file.suffix!r}",
                             f"use one of {', '.join(sorted(CONTENT_TYPES))}")
        source = FilesSource(name="extract", type="files", path=str(file.parent))
        item = item_for(file.resolve(), file.parent.resolve(), source, settings.fetch.max_body_bytes)
    return Page(url=item.url, source="extract", body=item.inline_body or b"",
                content_type=item.inline_content_type or "text/plain", item=item)


def with_usd(deal: DealMention, settings: Settings) -> DealMention:
    from dataclasses import replace

    from pharmadeals.pipeline.normalize.fx import to_usd

    converted = {k: to_usd(m, deal.announced, settings.fx) for k, m in deal.amounts().items()}
    return replace(deal, upfront=converted.get("upfront"), milestones=converted.get("milestones"),
                   total=converted.get("total"), equity=converted.get("equity"))


def extract_paths(paths: list[str], settings: Settings) -> list[dict[str, Any]]:
    """One result object per input, in input order (errors are reported per input, not raised)."""
    from pharmadeals.extractors.deals import extract_many
    from pharmadeals.scrapers.article import page_to_article

    results: list[dict[str, Any]] = []
    articles: list[tuple[int, Article]] = []
    for path in paths:
        entry: dict[str, Any] = {"file": path, "language": None, "title": None, "published": None, "deals": []}
        try:
            article = page_to_article(read_input(path, settings))
            entry.update(language=article.language, title=article.title,
                         published=article.published.isoformat() if article.published else None)
            articles.append((len(results), article))
        except ItemError as exc:
            entry["error"] = f"{exc.kind}: {exc.reason}"
        results.append(entry)
    for (index, _), result in zip(articles, extract_many([a for _, a in articles], settings.extract)):
        results[index]["deals"] = [deal_to_json(with_usd(d, settings)) for d in result.deals]
    return results


NONE_SHOWN = "—"


def _table_rows(result: dict[str, Any]) -> list[list[str]]:
    """One row per deal; a file with no deal (or that could not be read) still gets a row saying so."""
    if "error" in result:
        return [[result["file"], f"could not be read: {result['error']}", *[NONE_SHOWN] * 8]]
    if not result["deals"]:
        return [[result["file"], "no deal", *[NONE_SHOWN] * 8]]
    return [[result["file"], d["licensor"]["name"] if d["licensor"] else NONE_SHOWN,
             d["licensee"]["name"] if d["licensee"] else NONE_SHOWN, d["deal_type"], d["territory"] or NONE_SHOWN,
             _amount(d["upfront"]) or NONE_SHOWN, _amount(d["milestones"]) or NONE_SHOWN,
             _amount(d["total"]) or NONE_SHOWN, d["announced"] or NONE_SHOWN, f"{d['confidence']:.2f}"]
            for d in result["deals"]]


def extract(
    paths: Annotated[list[str], typer.Argument(help="Saved pages (.html .htm .txt .md .pdf), or - for stdin.")],
    config: ConfigOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="json (one array), jsonl or table.")] = "json",
) -> None:
    """Extract deals from files without touching any database.

    Example: pharmadeals extract --format table tests/corpora/corpus/en/hengrui-gsk-pr.txt
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown --format {fmt!r}", f"use one of {', '.join(FORMATS)}")
    settings = settings_for(config)
    results = extract_paths(paths, settings)
    if fmt == "json":
        print(json.dumps(results, ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for result in results:
            print(json.dumps(result, ensure_ascii=False))
    else:
        emit_rows(("file", "licensor", "licensee", "type", "territory", "upfront", "milestones", "total",
                   "announced", "confidence"), [row for r in results for row in _table_rows(r)], "table")
    if any("error" in r for r in results):
        for r in results:
            if "error" in r:
                print(f"error: {r['file']}: {r['error']}", file=sys.stderr)
        raise typer.Exit(1)


def _amount(amount: dict[str, Any] | None) -> str:
    return "" if amount is None else f"{amount['currency']} {amount['value']:,}"


def register(app: typer.Typer) -> None:
    app.command()(extract)
