"""Cue tables the extraction rules read from data/ (YAML a linguist can edit), loaded once and checked."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from pharmadeals.extractors.literals import phrase_trie
from pharmadeals.models.errors import InputError
from pharmadeals.models.records import AMOUNT_ROLES

# libyaml's parser when PyYAML was built with it (same safe constructors, about 7x faster on the registry).
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DATA = Path(__file__).parent / "data"
MONEY_ROLES_FILE = DATA / "money_roles.yaml"
PRICE_CUES_FILE = DATA / "price_cues.yaml"
WEAK_CUES_FILE = DATA / "weak_cues.yaml"
RECEIVED_CUES_FILE = DATA / "received_cues.yaml"
PRICE_AFTER_FILE = DATA / "price_after.yaml"
TABLE_HEADERS_FILE = DATA / "table_headers.yaml"
TABLE_PARTIES_FILE = DATA / "table_parties.yaml"
DEAL_TYPE_CUES_FILE = DATA / "deal_type_cues.yaml"
AGGREGATE_CUES_FILE = DATA / "aggregate_cues.yaml"
CARRIED_SUBJECTS_FILE = DATA / "carried_subjects.yaml"
CLAUSE_SUBJECTS_FILE = DATA / "clause_subjects.yaml"
PAID_MILESTONES_FILE = DATA / "paid_milestones.yaml"
FORWARD_SUBJECTS_FILE = DATA / "forward_subjects.yaml"


@cache
def load_role_cues(path: Path = MONEY_ROLES_FILE) -> dict[str, tuple[str, ...]]:
    """Role -> cue phrases (see below); also the shape of data/table_headers.yaml."""
    return _role_table(path)


def _role_table(path: Path) -> dict[str, tuple[str, ...]]:
    """Every deal-term role and 'none' must be present, each a list of non-empty strings."""
    table = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    expected = {*AMOUNT_ROLES, "none"}
    if not isinstance(table, dict) or set(table) != expected:
        raise InputError(f"{path}: roles must be exactly {sorted(expected)}", "fix the file's top-level keys")
    for role, phrases in table.items():
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise InputError(f"{path}: {role} must be a list of non-empty phrases", "quote phrases that YAML reads as other types")
    return {role: tuple(dict.fromkeys(table[role])) for role in (*AMOUNT_ROLES, "none")}


@cache
def load_phrases(path: Path) -> tuple[str, ...]:
    """A data file that is one YAML list of non-empty phrases."""
    table = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    if not isinstance(table, list) or not all(isinstance(p, str) and p.strip() for p in table):
        raise InputError(f"{path}: expected a YAML list of non-empty phrases", "quote phrases that YAML reads as other types")
    return tuple(dict.fromkeys(table))


def phrase_before(path: Path) -> re.Pattern[str]:
    """A pattern for 'one of these phrases, then only a currency word, right before a figure'."""
    alternatives = phrase_trie(load_phrases(path), latin_before=r"(?<!\w)")
    return re.compile(rf"{alternatives}\s*(?:US|USD|RMB|HK|EUR|CNY|人民币|人民幣)?\s*(?:up to\s*)?$", re.IGNORECASE)


def phrase_after(path: Path, describing: int = 0) -> re.Pattern[str]:
    """A pattern for 'one of these phrases right after a figure' (Latin ones end a word). Up to `describing`
    characters of describing words may come between ("a $925M trispecific agreement", "60亿美元抗癌药合作")."""
    alternatives = phrase_trie(load_phrases(path), latin_after=r"\b")
    between = rf"(?:\s?[^\d\s,，。;；.:：$€¥()（）]{{1,{describing}}}?)??" if describing else ""
    return re.compile(rf"\s?{between}\s?{alternatives}", re.IGNORECASE)


@cache
def load_table_headers(path: Path = TABLE_HEADERS_FILE) -> dict[str, str]:
    """A table header cell (casefolded) -> the role of the figures in its column."""
    return {phrase.casefold(): role for role, phrases in _role_table(path).items() for phrase in phrases}


@cache
def deal_type_cues(path: Path = DEAL_TYPE_CUES_FILE) -> dict[str, re.Pattern[str]]:
    """Deal type -> one pattern of its cue phrases (data/deal_type_cues.yaml)."""
    table = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    if not isinstance(table, dict) or not all(isinstance(v, list) and all(isinstance(p, str) and p.strip() for p in v)
                                              for v in table.values()):
        raise InputError(f"{path}: expected deal types, each with a list of phrases", "fix the file's layout")
    return {kind: re.compile(phrase_trie(phrases, r"(?<!\w)", r"(?!\w)"), re.IGNORECASE) for kind, phrases in table.items()}


def phrase_anywhere(path: Path) -> re.Pattern[str]:
    """A pattern for 'one of these phrases anywhere' (Latin ones at word boundaries)."""
    return re.compile(phrase_trie(load_phrases(path), r"(?<!\w)", r"(?!\w)"), re.IGNORECASE)


@cache
def load_party_headers(path: Path = TABLE_PARTIES_FILE) -> dict[str, str]:
    """A table header cell (casefolded) -> 'licensor', 'licensee' or 'party' (a company, role unsaid) for its column."""
    table = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    if not isinstance(table, dict) or not {"licensor", "licensee"} <= set(table) <= {"licensor", "licensee", "party"}:
        raise InputError(f"{path}: expected the keys licensor, licensee and party", "fix the file's top-level keys")
    return {str(phrase).casefold(): role for role, phrases in table.items() for phrase in phrases}
