"""Company mentions in a text: every pass in order, from registry aliases to coreference, over one shared
list of hits. The passes live in parties.py (names), zh_names.py (Chinese names) and coref.py (references)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pharmadeals.extractors import coref, literals, parties, registry
from pharmadeals.extractors.build_cache import cached_build
from pharmadeals.extractors.parties import (
    EN_COMPANY_SUFFIXES,
    MEDIA_AFTER,
    CompanyHit,
    CompanyIndex,
    add_hits,
    as_known,
    as_longer,
    clean_name,
    en_city_names,
    en_dash_pairs,
    en_described,
    en_introduced,
    en_unknown,
    filing_issuers,
    glued_first_words,
    self_references,
    short_forms,
)
from pharmadeals.extractors.places import infer_country
from pharmadeals.extractors.registry import load_registry, registry_file
from pharmadeals.extractors.rows import party_cells
from pharmadeals.extractors.zh_names import zh_unknown


def _glued(text: str, start: int, end: int) -> bool:
    """Whether a span touches a Chinese character on either side."""
    return any("\u3400" <= ch <= "\u9fff" for ch in text[max(0, start - 1):start] + text[end:end + 1])


def find_companies(index: CompanyIndex, text: str, matched: list[CompanyHit] | None = None) -> list[CompanyHit]:
    """Known companies first (`matched` ones from the EntityRuler, then aliases the token matcher could not see,
    such as 'GSK' glued to Chinese text), then unknown ones from name patterns, short forms and self-references."""
    hits = sorted(matched or [], key=lambda h: h.start)
    add_hits(hits, index.known(text))
    add_hits(hits, index.ticker_named(text))
    hits.sort(key=lambda h: h.start)
    unknown = []
    first_words = index.first_words()
    for start, end in en_unknown(text) + en_described(text) + en_introduced(text) + zh_unknown(text) \
            + en_city_names(text) + filing_issuers(text) + en_dash_pairs(text) + party_cells(text) \
            + index.ticker_spans(text):
        mention = text[start:end]
        name = clean_name(mention)
        if all(word in EN_COMPANY_SUFFIXES for word in name.split()):
            continue  # "Therapeutics AG" is the tail of a name the patterns could not see whole
        if mention in first_words and _glued(text, start, end):
            continue  # "與Summit訂立": the registry's Summit Therapeutics, found below as a glued first word
        if len(name) >= 2 and not MEDIA_AFTER.match(text, end):
            unknown.append(CompanyHit(start, end, mention, name, None, infer_country(text, start, end)
                                      or ("CN" if not mention.isascii() else None)))
    known = [as_known(hit, hits) for hit in unknown]
    add_hits(hits, [as_longer(hit, known) for hit in known])
    hits.sort(key=lambda h: h.start)
    add_hits(hits, short_forms(index, text, hits))
    hits.sort(key=lambda h: h.start)
    add_hits(hits, glued_first_words(index, text))
    hits.sort(key=lambda h: h.start)
    add_hits(hits, self_references(text, hits))
    hits.sort(key=lambda h: h.start)
    defined = coref.defined_aliases(text, hits, index)
    hits = [h for h in hits if not any(d.start <= h.start and h.end <= d.end and d.key != h.key for d in defined)]
    add_hits(hits, defined)
    add_hits(hits, coref.descriptions(text, hits))
    hits = coref.merge_zh_short(coref.acquired_subsidiaries(text, sorted(hits, key=lambda h: h.start)))
    hits = coref.merge_en_prefix(coref.stated_subsidiaries(text, hits))
    return coref.share_country(coref.bilingual_names(text, hits))


@lru_cache(maxsize=1)
def company_index() -> CompanyIndex:
    """The registry-backed index, built once per process, or read from the build cache (a tenth of a second
    of every cold start) while the registry file and the code that builds the index are unchanged."""
    source = registry_file()
    inputs = [source, *(Path(module.__file__ or "") for module in (parties, literals, registry))]
    return cached_build("company-index", inputs, lambda: CompanyIndex(load_registry(source)))
